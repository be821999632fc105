package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/internal/explaintest"
)

// TestExplainAccessLog counts the statuses of a 40-line nginx access log,
// whose other numbers (byte counts such as 502 and 404, times, addresses)
// are not statuses.
func TestExplainAccessLog(t *testing.T) {
	a := newBot(t).Explain(explaintest.Read(t, "nginx_access.log"))
	want := []bot.Count{{Code: 200, Count: 22}, {Code: 502, Count: 8}, {Code: 504, Count: 5}, {Code: 404, Count: 3}, {Code: 301, Count: 2}}
	if a.Kind != bot.KindExplain || !slices.Equal(a.Counts, want) {
		t.Fatalf("Explain(access log) = %s %v, want explain %v", a.Kind, a.Counts, want)
	}
	if !slices.Equal(a.Codes, []int{200, 502, 504, 404, 301}) || len(a.Items) != 5 || len(a.Choices) != 5 {
		t.Errorf("Explain(access log): codes %v, %d items, %d choices", a.Codes, len(a.Items), len(a.Choices))
	}
	if it := a.Items[1]; it.Code != 502 || !strings.HasPrefix(it.Detail, "8 times: ") {
		t.Errorf("Explain(access log).Items[1] = %+v, want 502 seen 8 times", it)
	}
}

// TestExplainResponseHeads reads curl -i output: the status, and the
// related headers with their values interpreted.
func TestExplainResponseHeads(t *testing.T) {
	tests := []struct {
		file string
		code int
		want []string // in the "In this response" field
	}{
		{"curl_301.txt", 301, []string{"Location: https://www.example.com/blog/ (redirects to https://www.example.com/blog/; clients may turn a POST into a GET)"}},
		{"curl_401.txt", 401, []string{`the access token is expired, revoked, malformed or otherwise invalid (RFC 6750)`}},
		{"curl_429.txt", 429, []string{"Retry-After: 120 (wait 2 minutes before retrying)", "X-RateLimit-Remaining: 0 (0 requests left in this window)", "X-RateLimit-Reset: 1796220180 (the window resets at 14:03 UTC on 2 Dec, 5 minutes after the response's Date)"}},
		{"curl_503.txt", 503, []string{"wait until 14:00 UTC on 2 Dec before retrying, 2 minutes after the response's Date"}},
	}
	b := newBot(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := b.Explain(explaintest.Read(t, tt.file))
			if a.Kind != bot.KindExplain || len(a.Codes) != 1 || a.Codes[0] != tt.code {
				t.Fatalf("Explain = %s %v, want explain of %d", a.Kind, a.Codes, tt.code)
			}
			if len(a.Fields) == 0 || a.Fields[0].Name != "In this response" {
				t.Fatalf("Explain(%s) fields %+v lack the response's headers", tt.file, a.Fields)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Fields[0].Value, w) {
					t.Errorf("Explain(%s) headers:\n%s\nwant them to say %q", tt.file, a.Fields[0].Value, w)
				}
			}
		})
	}
}

// TestExplainNothing: a text whose only numbers are not statuses names none.
func TestExplainNothing(t *testing.T) {
	b := newBot(t)
	for _, text := range []string{
		"deploy 2026/12/01 10:00:01 took 503ms on 10.0.0.5:8080, 404 files copied, version 1.4.2, pid 2231",
		"lunch at 12:30? I'll bring 200 cookies",
		"",
	} {
		a := b.Explain(text)
		if a.Kind != bot.KindExplain || len(a.Codes) != 0 || len(a.Counts) != 0 || !a.Private {
			t.Errorf("Explain(%q) = %s %v %v, want a private explain with no codes", text, a.Kind, a.Codes, a.Counts)
		}
	}
}

// TestExplainOneError: one pasted error gets that code's answer.
func TestExplainOneError(t *testing.T) {
	b := newBot(t)
	for text, code := range map[string]int{
		"2024/05/14 03:12:09 [error] 2231#2231: *8812 upstream timed out (110: Connection timed out) while reading response header from upstream": 504,
		"ActiveRecord::RecordNotFound (Couldn't find Invoice with 'id'=502)":                                                                      404,
		"the upload fails because the file is way bigger than our limit":                                                                          413,
	} {
		a := b.Explain(text)
		if a.Kind != bot.KindExplain || len(a.Codes) == 0 || a.Codes[0] != code || len(a.Counts) != 1 {
			t.Errorf("Explain(%q) = %s %v %v, want %d", text, a.Kind, a.Codes, a.Counts, code)
		}
	}
}

// TestExplainCutsLongText reads the first MaxExplainLen bytes and says so.
func TestExplainCutsLongText(t *testing.T) {
	log := explaintest.Read(t, "nginx_access.log")
	a := newBot(t).Explain(strings.Repeat(log, 20))
	if !a.Truncated || !strings.Contains(a.Text, "first 4 KB") || len(a.Counts) == 0 {
		t.Errorf("Explain(%d bytes): truncated %v, text %q", 20*len(log), a.Truncated, a.Text)
	}
}

// TestExplainHostile: 4 KB of hostile text gets a bounded, valid answer.
func TestExplainHostile(t *testing.T) {
	b := newBot(t)
	for _, text := range []string{
		strings.Repeat("HTTP/1.1 200 OK\nRetry-After: "+strings.Repeat("9", 300)+"\n", 20),
		strings.Repeat("@everyone <@&1> \u202e\u200b\xff\xfe 404 ", 400),
		strings.Repeat("\"a\" '", 2000),
		"HTTP/1.1 429 x\n" + strings.Repeat("X-RateLimit-Reset: 99999999999999999999\n", 100),
		"HTTP/1.1 401 x\nWWW-Authenticate: " + strings.Repeat(`Bearer error="`, 300),
	} {
		start := time.Now()
		a := b.Explain(text)
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("Explain took %v", d)
		}
		checkExplain(t, text, a)
	}
}

// checkExplain holds any explain answer to its bounds.
func checkExplain(t *testing.T, text string, a *bot.Answer) {
	t.Helper()
	if a == nil || a.Kind != bot.KindExplain || a.Title == "" {
		t.Fatalf("Explain(%.40q) = %+v", text, a)
	}
	if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Query) || len(a.Query) > bot.MaxQueryLen {
		t.Errorf("Explain(%.40q): invalid UTF-8 or a %d-byte query", text, len(a.Query))
	}
	if len(a.Codes) != len(a.Counts) || len(a.Choices) > bot.MaxChoices || len(a.Items) > 100 {
		t.Errorf("Explain(%.40q): %d codes, %d counts, %d choices, %d items", text, len(a.Codes), len(a.Counts), len(a.Choices), len(a.Items))
	}
	for _, f := range a.Fields {
		if len(f.Value) > 4000 || !utf8.ValidString(f.Value) {
			t.Errorf("Explain(%.40q): field %q is %d bytes", text, f.Name, len(f.Value))
		}
	}
}

// FuzzExplain: any text gets a well-formed, bounded explain answer quickly.
func FuzzExplain(f *testing.F) {
	for _, name := range []string{"nginx_access.log", "curl_301.txt", "curl_401.txt", "curl_429.txt", "curl_503.txt"} {
		f.Add(explaintest.Read(f, name))
	}
	f.Add("HTTP/1.1 503 x\nRetry-After: Wed, 02 Dec 2026 14:00:00 GMT\n")
	f.Add("\xff\xfe HTTP/2 999\nLocation: \x00")
	b := newBot(f)
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		a := b.Explain(text)
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("Explain took %v", d)
		}
		checkExplain(t, text, a)
	})
}

func BenchmarkExplain4KB(b *testing.B) {
	bt := newBot(b)
	log := explaintest.Read(b, "nginx_access.log")
	text := strings.Repeat(log, 1+4096/len(log))[:4096]
	b.ReportAllocs()
	for b.Loop() {
		if a := bt.Explain(text); len(a.Counts) == 0 {
			b.Fatal("nothing found")
		}
	}
}
