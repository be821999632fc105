package bot

import (
	"slices"
	"testing"
)

func TestStatusNumbers(t *testing.T) {
	tests := []struct {
		text  string
		short bool
		want  []int
	}{
		{"429", true, []int{429}},
		{"what is 500 divided by 4", true, nil},
		{"got 200 out of 250 on my networking exam", false, nil},
		{"we got 429 new signups yesterday", false, nil},
		{"TTL 300 on the A record", true, nil},
		{"lunch at 1? tacos", true, nil},
		{"standup is around 10 today", true, nil},
		{"page 2 of the results", true, nil},
		{"plain http hitting the 443 listener", true, nil},
		{"error page 404", true, []int{404}},
		{"the nightly sync job 7 of 9 ended with 503 after 40 retries", false, []int{503}},
		{"since the release 2% of checkouts end in 502", false, []int{502}},
		{"the trial ended 200 days ago", false, nil},
		{"status 42", true, []int{42}},
		{"guys what is 598, we saw it once from the proxy", false, []int{598}},
		{"!http 429", true, []int{429}},
		{"HTTP/1.1 502 Bad Gateway", true, []int{502}},
		{"HTTP/2 404", true, []int{404}},
		{"what does 503 mean", true, []int{503}},
		{"**429**", true, []int{429}},
		{"`404`", true, []int{404}},
		{"404s", true, []int{404}},
		{"[dev] GET /assets/app.9f2c1.js 304 0.002s 0b", false, []int{304}},
		{"GET /v2/items/404 200 5.1 ms", false, []int{200}},
		{"401 vs 403", true, []int{401, 403}},
		{"502 vs 504 whats the diff", true, []int{502, 504}},
		{"when do I use 400 instead of 422", false, []int{400, 422}},
		{"when would I pick 307 over 302", true, []int{307, 302}},
		{`[GIN] 2025/02/11 - 09:41:07 | 404 |      38.2µs |   172.16.4.21 | GET      "/v1/trucks/zz"`, false, []int{404}},
		{"should a login page get 302 rather than 307 these days", false, []int{302, 307}},
		{"502 vs 504 what's the difference", true, []int{502, 504}},
		{"i keep getting a 401 from curl", false, []int{401}},
		{"the server responded with a status of 404 (Not Found)", false, []int{404}},
		{"status=502 path=/x", false, []int{502}},
		{"elb_status_code 460, target_status_code \"-\"", false, []int{460}},
		{`10.0.0.5 - - [02/Dec/2026:10:00:01 +0000] "GET /api/orders HTTP/1.1" 502 157 "-" "curl/8.5.0"`, false, []int{502}},
		{"curl: (56) CONNECT tunnel failed, response 407", false, []int{407}},
		{"Error 1020", true, []int{1020}},
		{"Completed 401 Unauthorized in 12ms (ActiveRecord: 1.9ms | Allocations: 2231)", false, []int{401}},
		{"npm ERR! code E404 npm ERR! 404 Not Found - GET https://registry.npmjs.org/x - Not found", false, []int{404}},
		{`Dec  1 10:22:02 lb1 haproxy[2231]: 10.0.0.41:40022 [01/Dec/2026:10:21:32.001] fe_http bk_reports/rep2 0/0/1/-1/30002 504 194 - - sH-- 3/3/1/0/0 0/0 "POST /reports/run HTTP/1.1"`, false, []int{504}},
		{"301/308", true, []int{301, 308}},
		{"HTTP Error 404.13 - Not Found The request filtering module", false, []int{404}},
		{"101 and 426 side by side please", false, []int{101, 426}},
		{`{"message":"Route POST:/v1/hooks not found","error":"Not Found","statusCode":404}`, false, []int{404}},
		{`{"ClientHost":"10.0.0.9","DownstreamStatus":429,"OriginStatus":0,"RequestPath":"/v1/quotes"}`, false, []int{429}},
		{"upstream_status=502 request_time=0.031", false, []int{502}},
		{"the error page says 404", false, []int{404}},
		{"under load some responses are 503 and the rest time out", false, []int{503}},
		{"302/307 for a login page?", true, []int{302, 307}},
		{"An error occurred (403) when calling the HeadObject operation: Forbidden", false, []int{403}},
		// More log shapes: an arrow or a dash after the request, a
		// Prometheus label, curl's -w output, Squid, a CSV row, IIS.
		{"[app] PUT /v1/carts/88 -> 409 in 12ms", false, []int{409}},
		{"Request finished HTTP/2 POST https://localhost:7001/api/orders - 201 0 - 41.2ms", false, []int{201}},
		{`http_server_requests_seconds_count{code="503",uri="/pay"} 12`, false, []int{503}},
		{"http_code=301 time_total=0.2", false, []int{301}},
		{"1717000000.001    88 10.1.1.1 TCP_MISS/502 4120 GET http://shop.test/ - HIER_DIRECT/10.2.2.2 text/html", false, []int{502}},
		{"1718000000999,81,GET /cart,404,Not Found,Thread Group 1-1,text,false", false, []int{404}},
		{"2025-01-02 03:04:05 10.0.0.4 GET /owa/ - 443 - 192.0.2.7 Mozilla/5.0 - 401 1 2148074254 9", false, []int{401}},
		{"2025-01-02 03:04:05 10.0.0.4 GET /owa/ - 443 - 192.0.2.7 Mozilla/5.0 - 500 0 0 1200", false, []int{500}},
		{"I/okhttp.OkHttpClient: <-- 409 https://api.test/v1/carts/7 (88ms)", false, []int{409}},
		{"Alamofire.AFError: Response status code was unacceptable: 403.", false, []int{403}},
		{"the load balancer said 502 after 30 s of waiting on port 8080", false, []int{502}},
		{"the client sends 300 custom headers and 404 failed requests a minute", false, nil},
		{"my mentor said 403 but the docs list 401, which fits a missing api key", false, nil},
		{"DioException [bad response]: Http status error [429]", false, []int{429}},
		{"Http failure response for https://api.test/v2/cart: 504 Gateway Timeout", false, []int{504}},
		{"Http failure response for http://localhost:4200/api/me: 401 OK", false, []int{401}},
		{"2025-04-01 10:00:00 LHR62-C1 5120 198.51.100.2 GET e2abc9.cloudfront.net /v1/items 403 - curl/8.5.0", false, []int{403}},
		// Not statuses.
		{"convert 100 fahrenheit to celsius", true, nil},
		{"who won the 2018 world cup", true, nil},
		{"convert 404 km to miles", true, nil},
		{"ping answers fine but GET /health comes back 401", false, []int{401}},
		{"since 2019 we answer 410 there", false, []int{410}},
		{"ERROR 2026/12/01 10:00:01 upstream prematurely closed connection while reading response header from upstream, client: 10.0.0.5", false, nil},
		{"2024/05/14 03:12:09 [error] 2231#2231: *8812 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.3.7", false, nil},
		{"user tries to upload a 2 GB video and our limit is 500 MB", false, nil},
		{"one API key is hammering us with 500 requests a second", false, nil},
		{"ActiveRecord::RecordNotFound (Couldn't find Invoice with 'id'=502)", false, nil},
		{"PayloadTooLargeError: request entity too large at readStream (/app/node_modules/raw-body/index.js:155:17)", false, nil},
		{"[error] 7#7: *1902 limiting requests, excess: 20.500 by zone \"api_per_key\", client: 10.1.2.3", false, nil},
		{"we waited 100 seconds", false, nil},
		{"a GET with a 12,000-character query string", false, nil},
		{"listening on localhost:443", false, nil},
		{"took 503ms", false, nil},
		{"python 3.11.7 and go 1.26", true, nil},
		{"Range: bytes=0-1048575", true, nil},
		{"AH00124: Request exceeded the limit of 10 internal redirects", false, nil},
		{"the invoice /invoices/404/items", false, nil},
		{"costs $500", true, nil},
		{"a client sends Expect: 100-continue through our forward proxy, which refuses", false, nil},
		{"on 2026/12/01", true, nil},
		{"GET /api/404/500/x", true, nil},
		// A code made plural is many responses of it; seconds are not.
		{"we got lots of 502s from the checkout api since 9am", false, []int{502}},
		{"the export took 502s to finish", false, nil},
		// An AWS load balancer's log gives the status after the addresses
		// and three times, with or without the request line after it.
		{"h2 2025-01-09T22:41:07.018Z app/shop-alb/3c1d 203.0.113.9:50112 10.0.7.21:80 0.002 -1 -1 502 - 188 272", false, []int{502}},
		{"https 2025-01-09T22:41:07.018Z app/shop-alb/3c1d 203.0.113.9:50112 - -1 -1 -1 460 - 0 0", false, []int{460}},
	}
	for _, tt := range tests {
		var got []int
		for _, h := range statusNumbers(tt.text, tt.short, testNames) {
			got = append(got, h.n)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("statusNumbers(%q, %v) = %v, want %v", tt.text, tt.short, got, tt.want)
		}
	}
}

// testNames knows a few codes' names, as the catalogue would.
func testNames(n int) []string {
	return map[int][]string{401: {"unauthorized"}, 404: {"not"}, 502: {"bad"}, 503: {"service"}, 504: {"gateway"}}[n]
}

// TestClassInCounts: a round number before "group" or "range" names a
// class, unless it is given as an approximate count.
func TestClassInCounts(t *testing.T) {
	for s, want := range map[string]int{
		"anything in the 500 range":                        5,
		"which codes are in the 300 group":                 3,
		"the IdP stuffs ~300 group claims into the token":  0,
		"we serve around 400 series of episodes per month": 0,
		"the export endpoint still 500s for big accounts":  0,
		"right now it 500s, what should it send instead?":  0,
		"we see lots of 500s since the deploy":             5,
		"we raised proxy_read_timeout to 300s last night":  0,
		"the API currently 500s on a stale version":        0,
	} {
		if got, _, _ := classIn(s, tokenize(s, nil)); got != want {
			t.Errorf("classIn(%q) = %d, want %d", s, got, want)
		}
	}
}
