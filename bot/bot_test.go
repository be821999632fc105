package bot_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

var (
	loadOnce sync.Once
	testBot  *bot.Bot
)

func newBot(t testing.TB) *bot.Bot {
	t.Helper()
	loadOnce.Do(func() {
		cat, err := catalog.Load()
		if err != nil {
			t.Fatalf("catalog.Load: %v", err)
		}
		testBot = bot.New(cat, bot.Options{Rand: func(n int) int { return n - 1 }})
	})
	return testBot
}

// want describes what a query must resolve to.
type want struct {
	kind  bot.Kind
	codes []int // codes[0] of the answer must be one of these (status, search)
	class int   // for class and nonstandard
	pair  []int // for compare: exactly these codes, any order
}

func check(t *testing.T, q string, a *bot.Answer, w want) {
	t.Helper()
	if a.Kind != w.kind {
		t.Fatalf("Answer(%q).Kind = %q (codes %v), want %q", q, a.Kind, a.Codes, w.kind)
	}
	if len(w.codes) > 0 && (len(a.Codes) == 0 || !slices.Contains(w.codes, a.Codes[0])) {
		t.Errorf("Answer(%q).Codes = %v, want first of %v", q, a.Codes, w.codes)
	}
	if w.class != 0 && a.Class != w.class {
		t.Errorf("Answer(%q).Class = %d, want %d", q, a.Class, w.class)
	}
	if w.pair != nil {
		got := slices.Clone(a.Codes)
		slices.Sort(got)
		exp := slices.Clone(w.pair)
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Errorf("Answer(%q).Codes = %v, want %v", q, a.Codes, w.pair)
		}
	}
}

func status(codes ...int) want { return want{kind: bot.KindStatus, codes: codes} }
func found(codes ...int) want  { return want{codes: codes} } // status or search
func class(n int) want         { return want{kind: bot.KindClass, class: n} }
func compare(a, b int) want    { return want{kind: bot.KindCompare, pair: []int{a, b}} }

func TestAnswerNumbersInAnyWrapping(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"429":                            status(429),
		"!http 429":                      status(429),
		"/http 429":                      status(429),
		"HTTP 429":                       status(429),
		"status 429":                     status(429),
		"error 500":                      status(500),
		"what does 503 mean":             status(503),
		"what does 503 mean?":            status(503),
		"HTTP/1.1 502 Bad Gateway":       status(502),
		"HTTP/2 404":                     status(404),
		"HTTP/1.0 200 OK":                status(200),
		"i keep getting a 401 from curl": status(401),
		"four oh four":                   status(404),
		"the app logs show five oh three a lot, is that bad?": status(503),
		"4O4":                        status(404),
		"got a 5o3 from the gateway": status(503),
		"four twenty nine":           status(429),
		"what is four eighteen":      status(418),
		"five hundred and two":       status(502),
		"  418  ":                    status(418),
		"**429**":                    status(429),
		"`404`":                      status(404),
		"404s":                       status(404),
		"nginx 444":                  status(444),
		"cloudflare 520":             status(520),
		"!http 250":                  {kind: bot.KindNonstandard, class: 2},
		"299":                        {kind: bot.KindNonstandard, class: 2},
		"!http 600":                  {kind: bot.KindInvalid},
		"!http 7":                    {kind: bot.KindInvalid},
		"42":                         {kind: bot.KindInvalid},
		"999":                        {kind: bot.KindInvalid},
		"0":                          {kind: bot.KindInvalid},
		"99999999999999999999999":    {kind: bot.KindInvalid},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

func TestAnswerNames(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"gone":                            status(410),
		"what is gone":                    status(410),
		"What is GONE?":                   status(410),
		"too many requests":               status(429),
		"Too-Many-Requests":               status(429),
		"payload too large":               status(413),
		"request entity too large":        status(413),
		"content too large":               status(413),
		"unprocessable entity":            status(422),
		"request-uri too long":            status(414),
		"requested range not satisfiable": status(416),
		"moved temporarily":               status(302),
		"variant also negotiable":         status(506),
		"i'm a teapot":                    status(418),
		"I’m a teapot":                    status(418),
		"im used":                         status(226),
		"ok":                              status(200),
		"found":                           status(302),
		"client closed request":           status(499),
		"enhance your calm":               status(420),
		"what's the code for not found?":  status(404),
		"internal server error":           status(500),
		"http version not supported":      status(505),
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

func TestAnswerTypos(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"too many requets":     found(429),
		"too many reqeusts":    found(429),
		"not fonud":            found(404),
		"unauthorised":         found(401),
		"unauthorzed":          found(401),
		"servce unavailable":   found(503),
		"gatway timeout":       found(504),
		"internal server eror": found(500),
		"forbiden":             found(403),
		"bad gatewy":           found(502),
		"gnoe":                 found(410),
		// Two extra letters in a long word, as French and German spell it.
		"proxy authentification required": found(407),
	} {
		t.Run(q, func(t *testing.T) {
			a := b.Answer(q)
			if a.Kind != bot.KindStatus && a.Kind != bot.KindSearch {
				t.Fatalf("Answer(%q).Kind = %q, want status or search", q, a.Kind)
			}
			check(t, q, a, want{kind: a.Kind, codes: w.codes})
		})
	}
}

func TestAnswerClasses(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"every code where the upload succeeded":     class(2),
		"list the redirect codes a server can send": class(3),
		"the codes that send you somewhere else":    class(3),
		"4xx":                                       class(4),
		"5XX":                                       class(5),
		"!http 3xx":                                 class(3),
		"1xx":                                       class(1),
		"4**":                                       class(4),
		"500s":                                      class(5),
		"400-499":                                   class(4),
		"the whole five-hundred family":             class(5),
		"the four hundreds":                         class(4),
		"what are the 100-level codes":              class(1),
		"all the codes that send you elsewhere":     class(3),
		"client errors":                             class(4),
		"server errors":                             class(5),
		"redirects":                                 class(3),
		"success":                                   class(2),
		"informational":                             class(1),
		"41x":                                       class(4),
		"list 2xx codes":                            class(2),
		// A class by its first digit, as a digit or by name.
		"all codes starting with a five":          class(5),
		"show me everything that starts with a 2": class(2),
		// The asker's fault, listed, is the client's class.
		"which codes mean I messed up the request?":                      class(4),
		"the status codes for when my app did something wrong":           class(4),
		"4xx list, need it for the onboarding doc of the support team":   class(4),
		"the full 2xx list please, I am writing the client library docs": class(2),
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
	if a := b.Answer("the request starting with a one-line summary"); a.Kind == bot.KindClass {
		t.Errorf("a digit's name in a text that asks for no listing was read as class %d", a.Class)
	}
	if a := b.Answer("our five hundred customers got logged out"); a.Kind == bot.KindClass {
		t.Errorf("a count in words was read as class %d", a.Class)
	}
	for _, q := range []string{"cloudflare gave up waiting 100s on the origin", "what should GET /status return when everything is fine?",
		"cloudflare's 100s timeout hit again", "the edge cut us off after 100s", "the proxy cuts the request off at 100s", "cloudflare: origin silent past 100s",
		"a partner sends 10x their quota per minute", "load test report: Non-2xx responses: 40 of 5000",
		"wrk says Non-2xx or 3xx responses: 17, the rest were fine"} {
		if a := b.Answer(q); a.Kind == bot.KindClass || slices.Contains(a.Codes, 100) {
			t.Errorf("Answer(%q) was read as class %d or codes %v", q, a.Class, a.Codes)
		}
	}
	// A rate is not a class either: the answer is not kept within 5xx.
	answersFirst(t, b, map[string]int{"a scraper hits our coupon search 50x per second from one key, how do we tell it to back off?": 429})
	// A range in words, and a whole list asked for in a long text.
	for q, want := range map[string]int{
		"what sits in the 300 to 399 range": 3,
		"new support staff start monday and I need the full list of the 4xx codes for their handbook, with a line each, not only the 404 they all know": 4,
	} {
		if a := b.Answer(q); a.Kind != bot.KindClass || a.Class != want {
			t.Errorf("Answer(%q) = %s %v class %d, want class %d", q, a.Kind, a.Codes, a.Class, want)
		}
	}
	for _, q := range []string{"the player asked for bytes 100 to 199 of the file", "the player asked for bytes 100-199 of the file"} {
		if a := b.Answer(q); a.Kind == bot.KindClass {
			t.Errorf("the byte range of %q was read as class %d", q, a.Class)
		}
	}
	// A request to list, in a long text that names a code of the class.
	if a := b.Answer("hello, intern here. my mentor talked about the 5xx codes during onboarding but never listed them. could you show all of the 5xx ones? I have only seen 502 in the nginx logs while deploying the app"); a.Kind != bot.KindClass || a.Class != 5 {
		t.Errorf("a request to show all the 5xx got %s %v, class %d", a.Kind, a.Codes, a.Class)
	}
	// A word that tells how one request went is a story among others.
	for q, class := range map[string]int{"the photo list came back fine": 0, "the range request for the video worked fine": 0, "show me all the ok ones": 2} {
		if a := b.Answer(q); (a.Kind == bot.KindClass) != (class != 0) || a.Kind == bot.KindClass && a.Class != class {
			t.Errorf("Answer(%q) = %s class %d, want class %d (0: none)", q, a.Kind, a.Class, class)
		}
	}
	// "100+ seconds" is an amount, never a status.
	if a := b.Answer("the origin took 100+ seconds"); a.Kind == bot.KindStatus || a.Kind == bot.KindClass {
		t.Errorf("Answer(the origin took 100+ seconds) = %s %v, class %d: an amount read as a status", a.Kind, a.Codes, a.Class)
	}
	// "all" alone asks for a listing only when nothing else is said.
	if a := b.Answer("all backends unhealthy behind the balancer"); a.Kind == bot.KindClass {
		t.Errorf("a story of all backends failing was read as class %d", a.Class)
	}
	if a := b.Answer("all the server errors"); a.Kind != bot.KindClass || a.Class != 5 {
		t.Errorf("Answer(all the server errors) = %s %d, want class 5", a.Kind, a.Class)
	}
	a := b.Answer("41x")
	for _, c := range a.Codes {
		if c < 410 || c > 419 {
			t.Errorf("Answer(41x) lists %d", c)
		}
	}
	if len(a.Items) != len(a.Codes) || len(a.Codes) < 9 {
		t.Errorf("Answer(41x) has %d items for %d codes", len(a.Items), len(a.Codes))
	}
}

func TestAnswerComparisons(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"401 vs 403": compare(401, 403),
		"Conflict vs Unprocessable Content, how are they different?": compare(409, 422),
		"difference between 404 and 410":                             compare(404, 410),
		"compare 307 and 308":                                        compare(307, 308),
		"302 or 307?":                                                compare(302, 307),
		"301/308":                                                    compare(301, 308),
		"unauthorized vs forbidden":                                  compare(401, 403),
		"not found versus gone":                                      compare(404, 410),
		"difference between gone and not found":                      compare(404, 410),
		"compare bad gateway with gateway timeout":                   compare(502, 504),
		"unauthorised vs forbiden":                                   compare(401, 403),
		"is 409 better than 422":                                     compare(409, 422),
		"when do we send 401 and when 403?":                          compare(401, 403),
		"how is gone different from not found":                       compare(404, 410),
		"how do unauthorized and forbidden differ":                   compare(401, 403),
		"301 vs 308 differences?":                                    compare(301, 308),
		"404 vs 410 which means what":                                compare(404, 410),
		"is 'bad gateway' the same as 'gateway timeout'?":            compare(502, 504),
		"when is it 301 and when is it 308, how do they differ":      compare(301, 308),
		"401 vs 403 when the token is valid but the role is wrong?":  compare(401, 403),
		"gone compared with not found":                               compare(404, 410),
		"bad gateway vs gateway timeout, what's the real difference": compare(502, 504),
		"gone vs not found lol":                                      compare(404, 410),
		`"401 Unauthorized" vs "403", what's the difference`:         compare(401, 403),
		"diferencia entre 409 y 412? in english pls bot":             compare(409, 412),
		"was ist der unterschied zwischen 502 und 504 bitte":         compare(502, 504),
		// By name, with what the comparison is for after the names.
		"not found vs gone for retired product pages, how do they differ?":           compare(404, 410),
		"what's the difference between unauthorized and forbidden for the admin api": compare(401, 403),
		"what separates 408 from 504 for slow mobile uploads?":                       compare(408, 504),
		"307 or 308 for the moved upload endpoint? explain both":                     compare(307, 308),
		// Three codes in turn, in numbers or names.
		"301 vs 302 vs 308 side by side":                {kind: bot.KindCompare, pair: []int{301, 302, 308}},
		"what separates 500 from 502 and 504":           {kind: bot.KindCompare, pair: []int{500, 502, 504}},
		"compare bad gateway, gateway timeout and gone": {kind: bot.KindCompare, pair: []int{502, 504, 410}},
		"unauthorized vs forbidden vs not found":        {kind: bot.KindCompare, pair: []int{401, 403, 404}},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
	// With a situation told, "vs" and "torn between" ask which fits.
	for q, w := range map[string]want{
		"in our game a player with a valid token equips an item he does not own. we argued 401 vs 403 all morning":         {kind: bot.KindSearch, codes: []int{403}},
		"a logged-in editor publishes a post after the embargo ends but the rules forbid it, I'm torn between 403 and 409": {kind: bot.KindSearch, codes: []int{403, 409}},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

func TestCompareFieldByField(t *testing.T) {
	b := newBot(t)
	a := b.Answer("201 vs 418") // no curated note for this pair
	if a.Kind != bot.KindCompare {
		t.Fatalf("kind = %q", a.Kind)
	}
	var names []string
	for _, f := range a.Fields {
		names = append(names, f.Name)
	}
	for _, n := range []string{"201 Created", "Class", "Specification", "Related headers"} {
		if !slices.Contains(names, n) {
			t.Errorf("Answer(201 vs 418) fields %v lack %q", names, n)
		}
	}
}

// TestAnswerSuccessStories: a story of a request that went well gets a
// success code, however plain its domain words, and whether a body comes
// back decides between 200 and 204; a success outside any exchange of
// requests is not ours to answer.
func TestAnswerSuccessStories(t *testing.T) {
	b := newBot(t)
	ok := func(code int) want { return want{kind: bot.KindSearch, codes: []int{code}} }
	for q, w := range map[string]want{
		"the sign-in form is posted, the password is correct and we send back a session cookie":                                                              ok(200),
		"login with an expired password, the password is not correct, what code":                                                                             {kind: bot.KindSearch, codes: []int{401}},
		"order lookup by id, order found, returning the order":                                                                                               ok(200),
		"our webhook handler works fine, I just want to know how to write a unit test for it in jest":                                                        {kind: bot.KindNotFound},
		"we created a new repo for the mobile app, who should get admin access?":                                                                             {kind: bot.KindNotFound},
		"hello! quick one from the travel team: a customer searched flights by date and there were simply no results. should we return 404 for that? thanks": ok(200),
		"the ferry API returns the timetable for the harbour when the route exists":                                                                          ok(200),
		"I send back the inventory of the player when the account exists":                                                                                    ok(200),
		"the library search endpoint finds no results for that author, what status":                                                                          ok(200),
		"the PATCH on the fleet record went fine, we don't return a body":                                                                                    ok(204),
		"new ticket created via the helpdesk API and we return its id":                                                                                       ok(201),
		"the POST took 2 seconds and created invoice 4411":                                                                                                   ok(201),
		"git push worked": {kind: bot.KindNotFound},
		"my python function returns the list reversed, why": {kind: bot.KindNotFound},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
	// A success still awaited, or a body missing from the request, is no
	// story of success.
	for _, q := range []string{
		"the cli asks you to sign in before the sync even works, what code is that",
		"a client sends a PATCH with an empty body to a route that needs a JSON patch document, which status?",
	} {
		if a := b.Answer(q); len(a.Codes) > 0 && a.Codes[0]/100 == 2 {
			t.Errorf("Answer(%q) = %d first, a success", q, a.Codes[0])
		}
	}
}

// TestAnswerDuplicates: a story of a duplicate in any domain gets 409 (or
// 422) with confidence; a coding question about duplicates gets none.
func TestAnswerDuplicates(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"I already asked twice in standup, can someone please review my PR":  {kind: bot.KindNotFound},
		"the same boarding pass scanned twice at the gate":                   {kind: bot.KindSearch, codes: []int{409, 422}},
		"a tenant signs up with a subdomain that is already on record":       {kind: bot.KindSearch, codes: []int{409, 422}},
		"write a python function that removes duplicate words from a string": {kind: bot.KindNotFound},
		// A word of the readings misspelt by a letter left out.
		"the form sends a shipping code that alredy exists in our table, what status": {kind: bot.KindSearch, codes: []int{409, 422}},
		// A story of creating that tells of a repeat is no success.
		"the importer created the same supplier three times before we added a uniqueness check; what should the later attempts get?": {kind: bot.KindSearch, codes: []int{409, 422}},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

// TestAnswerVagueTopics: a topic named with a vague word ("the login
// thing") is not a situation, and gets suggestions, not a code; the same
// topic with a situation told gets its code.
func TestAnswerVagueTopics(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"my endpoint isn't working, what's the code for that?": {kind: bot.KindNotFound},
		"something with the login, which code":                 {kind: bot.KindNotFound},
		"the invoice stuff again, status?":                     {kind: bot.KindNotFound},
		"the upload stuff is too big, over 2 GB":               {kind: bot.KindSearch, codes: []int{413}},
		// Something wrong with one topic is no situation; a second
		// thing told may be.
		"something is wrong with the refunds page, status?":                    {kind: bot.KindNotFound},
		"something went wrong with a shipment, code?":                          {kind: bot.KindNotFound},
		"something's wrong with checkout, which code":                          {kind: bot.KindNotFound},
		"something is wrong, the login token expired an hour ago, which code?": {kind: bot.KindSearch, codes: []int{401}},
		"what status should the backend send for the new feature":              {kind: bot.KindNotFound},
		"what code should the backend return for the bug in the ticket":        {kind: bot.KindNotFound},
		"a new customer signs up with an email that is taken":                  {kind: bot.KindSearch, codes: []int{409, 422}},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

// TestMentionedCodeNeedsTheSituation: a code the text mentions wins over
// the situation's only when it scores close to it: "we put a 301 in front"
// does not make 301 the answer to a redirect that must keep the POST.
func TestMentionedCodeNeedsTheSituation(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"Our upload API moved to a new domain for good and we put a 301 in front. Old clients follow it but turn their POST into a GET and lose the file. What should the redirect be?": 308,
		"the load balancer logged 502 when the target accepted the connection but never answered within the 60s idle timeout, which code fits that?":                                    504,
	})
}

// TestAnswerReplacesTheCodeSentNow: a text that tells the code its server
// sends now and asks what it should be wants the situation's code, not the
// one it mentions; a question about what a mentioned code means wants that
// code.
func TestAnswerReplacesTheCodeSentNow(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"after the deploy the orders endpoint returns 500 whenever the required quantity field is missing. what SHOULD the client get?": {kind: bot.KindSearch, codes: []int{400, 422}},
		"the voucher endpoint throws a 500 when the voucher was already used, what should it actually be":                               {kind: bot.KindSearch, codes: []int{409, 422}},
		"the ticket endpoint gives 500 when the ticket was scanned twice, what should it actually return":                               {kind: bot.KindSearch, codes: []int{409, 422}},
		"the API returns 404 when the file was purged for good, the spec says it should be the permanent one":                           {kind: bot.KindSearch, codes: []int{410}},
		"a partner's endpoint answers 410 to our webhooks, should we stop sending?":                                                     {kind: bot.KindStatus, codes: []int{410}},
		"What does a 304 in my CDN logs mean for the cached assets?":                                                                    {kind: bot.KindStatus, codes: []int{304}},
		"Stripe answers 402 when a charge fails because the card was declined. Why that code and not 400?":                              {kind: bot.KindStatus, codes: []int{402}},
		"we reply 400 when the uploaded file is over the size limit, maybe there is a more exact one?":                                  {kind: bot.KindSearch, codes: []int{413}},
		"our proxy sends 502 when the upstream does not answer in time. is there a more precise code?":                                  {kind: bot.KindSearch, codes: []int{504}},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

func TestAnswerHelpRandomAndRefusals(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"", "   ", "help", "!http", "!http help", "/http", "HELP"} {
		if a := b.Answer(q); a.Kind != bot.KindHelp || !a.Private || len(a.Items) == 0 {
			t.Errorf("Answer(%q) = kind %q private %v items %d, want private help with examples", q, a.Kind, a.Private, len(a.Items))
		}
	}
	if a := b.Answer("random"); a.Kind != bot.KindStatus || len(a.Codes) != 1 {
		t.Errorf("Answer(random) = %q %v", a.Kind, a.Codes)
	}
	// Nothing fits: not found, never a confident guess on a generic word
	// ("error") when the telling word ("cors") matches nothing.
	for _, q := range []string{"banana", "zzqxj", "purple monkey dishwasher", "thanks", "cors error", "banana error",
		"my cat ate the server", "the server is on fire", "what's the difference between put and post", "idempotency"} {
		if a := b.Answer(q); a.Kind != bot.KindNotFound || !a.Private {
			t.Errorf("Answer(%q) = %q %v, want private not_found", q, a.Kind, a.Codes)
		}
	}
	long := strings.Repeat("too many requests ", bot.MaxQueryLen/10)
	a := b.Answer(long)
	if a.Kind != bot.KindInvalid || a.Reason != "too_long" || len(a.Query) > bot.MaxQueryLen {
		t.Errorf("Answer(long) = %q %q, query %d bytes", a.Kind, a.Reason, len(a.Query))
	}
	if a := b.Answer("42"); a.Reason != "range" || !strings.Contains(a.Text, "100") || !strings.Contains(a.Text, "599") {
		t.Errorf("Answer(42) = %q %q", a.Reason, a.Text)
	}
}

func TestNonstandardNamesItsClass(t *testing.T) {
	b := newBot(t)
	a := b.Answer("250")
	if a.Kind != bot.KindNonstandard || a.Class != 2 || !strings.Contains(a.Text, "Successful") {
		t.Errorf("Answer(250) = %q class %d text %q", a.Kind, a.Class, a.Text)
	}
}

func TestAnswerCodeSuggestionButtons(t *testing.T) {
	b := newBot(t)
	for _, c := range b.Catalog().Codes() {
		a := b.AnswerCode(c.Code)
		if a.Kind != bot.KindStatus || a.Codes[0] != c.Code || a.Title == "" {
			t.Errorf("AnswerCode(%d) = %q %v %q", c.Code, a.Kind, a.Codes, a.Title)
		}
		if *a.Official != c.Official {
			t.Errorf("AnswerCode(%d).Official = %v", c.Code, *a.Official)
		}
	}
	if a := b.AnswerCode(42); a.Kind != bot.KindInvalid {
		t.Errorf("AnswerCode(42) = %q", a.Kind)
	}
}

func TestRankedAnswersOfferTheRest(t *testing.T) {
	b := newBot(t)
	a := b.Answer("too many requets")
	if len(a.Codes) < 2 || len(a.Choices) != len(a.Codes)-1 || len(a.Choices) > bot.MaxChoices {
		t.Fatalf("codes %v, choices %v", a.Codes, a.Choices)
	}
	for i, c := range a.Choices {
		if c.Code != a.Codes[i+1] || c.Code != a.Suggestions[i] {
			t.Errorf("choice %d = %v, codes %v", i, c, a.Codes)
		}
	}
}

// Answers share prebuilt parts: one query must not change another's answer.
func TestAnswersAreIndependent(t *testing.T) {
	b := newBot(t)
	first := b.Answer("429")
	_ = b.Answer("too many requets")
	again := b.Answer("429")
	if len(first.Codes) != 1 || len(again.Codes) != 1 || again.Query != "429" || again.Choices != nil {
		t.Errorf("answers interfere: %+v / %+v", first.Codes, again.Codes)
	}
}

func TestHostileInputGetsAnAnswer(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{
		"\xff\xfe\xfd", "4\x0029", "\u200b429\u200b", "\u202e429", "@everyone 404", "<!channel> gone",
		"```404```", "||429||", strings.Repeat("x", 100_000), strings.Repeat("4", 300), strings.Repeat("é", 299),
		"404 404 404 404 404", "100 200 300 400 500 101 201", "vs", "or or or", "compare", "between and",
		"\n\n\t", "１２３", "😀 429 😀",
	} {
		a := b.Answer(q)
		if a == nil || a.Kind == "" || a.Title == "" {
			t.Errorf("Answer(%q) = %+v", q, a)
		}
		if !utf8.ValidString(a.Query) || !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text) {
			t.Errorf("Answer(%q) has invalid UTF-8", q)
		}
	}
}

// The first questions about a code build its answer; many at once must agree.
func TestConcurrentFirstAnswers(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(cat, bot.Options{})
	var wg sync.WaitGroup
	titles := make([][]string, 8)
	for g := range titles {
		wg.Go(func() {
			for _, q := range []string{"429", "gone", "too many requets", "banana", "4xx", "401 vs 403"} {
				titles[g] = append(titles[g], b.Answer(q).Title)
			}
		})
	}
	wg.Wait()
	for g := range titles {
		if !slices.Equal(titles[g], titles[0]) {
			t.Errorf("goroutine %d saw %v, goroutine 0 saw %v", g, titles[g], titles[0])
		}
	}
}

// TestMentionedCodeToReplace: a long question that mentions the code it
// sends now and asks for another never gets that code back as the answer;
// one that mentions a code without asking for another still weighs it.
func TestMentionedCodeToReplace(t *testing.T) {
	b := newBot(t)
	for q, old := range map[string]int{
		"when the cache is cold our proxy returns 502 after a while, what would be a more fitting code instead?":   502,
		"the api answers 200 with an empty array when the user id does not exist, is there a better code?":         200,
		"our export endpoint queues the job and replies 200, and that seems wrong to me since nothing is done yet": 200,
		"I send 500 right now when the uploaded file is bigger than allowed but my lead wants a better code":       500,
		"our booking API answers 200 with an empty body when the room id is unknown; QA says that's wrong":         200,
		"the refund endpoint replies 201 although the money only moves tomorrow, which seems off to me":            201,
		"right now the booking endpoint says 200 OK after it creates the slot; should that be different?":          200,
		"the transfer endpoint sends 401 when the identity check is unfinished, but I am not sure it fits":         401,
		"QA asks whether a delete test should expect something else than the 200 the endpoint sends now":           200,
		"our reviewer says never send 500 when the client posts a malformed date":                                  500,
		"a client keeps using an API key we revoked last week, and we currently return 404 for it":                 404,
		"a guest tries to check out an empty cart. right now we send 200.":                                         200,
		"a product search found nothing, should we return 404 for that?":                                           404,
		"the importer gets an amount column with 'abc' in it and right now we crash with a 500":                    500,
		"our sale page moved for one weekend and we used 301; which code should we have used?":                     301,
		"our tests want something other than the 404 the search endpoint gives now when nothing matches":           404,
		"our handler answered 500 when the slug was taken, what would a seasoned dev have returned?":               500,
		"we send 404 for an unsupported method on the route, which code would be more appropriate?":                404,
	} {
		if a := b.Answer(q); len(a.Codes) > 0 && a.Codes[0] == old {
			t.Errorf("%q: answered %d, the code it asks to replace", q, old)
		}
	}
	for q, want := range map[string]int{
		"we return 409 when the email is already taken at signup, is that right?":    409,
		"should we return 409 when the email is already taken?":                      409,
		"our app returned 503 to everyone during the deploy, what is wrong with it?": 503,
		// A code a text tells it got once is what it asks about.
		"our partner's endpoint kept answering 403 to the nightly sync. what does that tell us?": 403,
		// A question that points back at the code told asks about it.
		"the console shows app.js:88:12 ReferenceError, but the network tab says the GET came back 200 in 90 ms. what does that status mean?": 200,
		"the payment provider answered 402 on all our calls this morning; what happened?":                                                     402,
		"the old proxy returned 305 to our crawler last night, what was it after?":                                                            305,
		// An opening "ok" asks nothing.
		"okay so we get 429 from the partner api since noon, why": 429,
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != want {
			t.Errorf("%q: %s %v, want %d weighed and kept", q, a.Kind, a.Codes, want)
		}
	}
}

// TestErrorNumbersAlone: an error number pasted alone ("AH01630", Apache's
// "client denied by server configuration") is a signature's identifier,
// and the status of a botocore error is read in its parentheses.
func TestErrorNumbersAlone(t *testing.T) {
	b := newBot(t)
	for q, want := range map[string]int{
		"AH01630": 403,
		"An error occurred (403) when calling the HeadObject operation: Forbidden": 403,
		// Django's exception classes named with their code.
		"raise Http404": 404,
		"Resolver404":   404,
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != want || a.Kind == bot.KindNotFound {
			t.Errorf("%q: %s %v, want %d", q, a.Kind, a.Codes, want)
		}
	}
}

// TestQuotedNames: a quoted name is a code's name as error bodies quote
// it, but a quoted plain word that is only another vendor's one-word phrase
// (IIS's 451 "Redirect") names nothing.
func TestQuotedNames(t *testing.T) {
	b := newBot(t)
	for q, want := range map[string]int{
		`{"message":"Forbidden"}`: 403,
		`got "Conflict" back`:     409,
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != want {
			t.Errorf("%q: %s %v, want %d", q, a.Kind, a.Codes, want)
		}
	}
	for _, q := range []string{`the "redirect" flag`, `in nginx, a rewrite rule with the "redirect" flag sends which status?`} {
		if a := b.Answer(q); len(a.Codes) > 0 && a.Codes[0] == 451 {
			t.Errorf("%q: answered 451, IIS's phrase for a plain word", q)
		}
	}
}

// TestOtherThanAStatus: a question that asks for a header, a method or a
// tool gets no status as its answer, unless it asks for a status too.
func TestOtherThanAStatus(t *testing.T) {
	b := newBot(t)
	answersNotFound(t, b, "which http header sets the cache lifetime", "what method should a search with a body use",
		"recommend a good rate limiting library for go", "can you suggest a retry library for our webhooks",
		"which image format should we store profile photos in, png or jpeg?", "what caching approach fits a product catalogue api best?",
		"which algorithm should we use to throttle clients per api key?")
	answersFirst(t, b, map[string]int{
		"which status and which header when a client is rate limited": 429,
		// What someone gets back is a status, whatever else is asked.
		"our api lets each key make 60 calls a minute; what should the extra ones get, and with which header?":                        429,
		"a client sends no credentials to an endpoint that needs a bearer token; what should we send, and which header goes with it?": 401,
		"the endpoint only reads, someone keeps deleting through it, what should it say, and which header lists the allowed ones?":    405,
	})
}

// TestPhrasalVerbs: "turned off" and "switched off" read as "disabled",
// so a story told either way meets the same situations.
func TestPhrasalVerbs(t *testing.T) {
	b := newBot(t)
	var first []int
	for _, q := range []string{"feature flag disabled for this tenant", "feature flag turned off for this tenant", "feature flag switched off for this tenant"} {
		a := b.Answer(q)
		if len(a.Codes) == 0 || a.Kind == bot.KindNotFound || a.Codes[0] != 404 && a.Codes[0] != 403 {
			t.Errorf("%q: %s %v, want 404 or 403", q, a.Kind, a.Codes)
			continue
		}
		first = append(first, a.Codes[0])
	}
	for _, c := range first[1:] {
		if c != first[0] {
			t.Errorf("the same story in other words answers %v", first)
		}
	}
}

// TestTemporaryRedirectBySpan: a redirect said to last a while is a
// temporary one, however the while is told.
func TestTemporaryRedirectBySpan(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{
		"for the next three days the pricing page forwards to the sale page, which code",
		"we point /docs at the mirror until tomorrow, what status",
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Kind == bot.KindNotFound || a.Codes[0] != 302 && a.Codes[0] != 307 {
			t.Errorf("%q: %s %v, want 302 or 307", q, a.Kind, a.Codes)
		}
	}
}

// TestWhoQuit: in a timeout story the side that gave up decides the code,
// even when the text names a vendor whose own code is about another side
// giving up.
func TestWhoQuit(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"nginx waited two minutes on the rails app and gave up, what status":       504,
		"nginx gave up on uwsgi after the read timeout":                            504,
		"the ALB idle timeout is 30s but the lambda behind it needs 45s":           504,
		"AWS ALB idle timeout of 120s, the ECS task answers after 150s, what code": 504,
		"the browser gave up waiting for nginx after 10 seconds":                   499,
		"the mobile client hung up on the ALB before the target answered":          460,
		"the server gave up because the client was too slow sending its body":      408,
	})
}

// TestHeaderState: whether a conditional header was left out (428) or sent
// and did not match (412) decides the code, though the words are the same.
func TestHeaderState(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"our sync client saves with the etag it cached, and the etag on the server differs now; what do we answer the write with?": 412,
		"the etag sent with the save doesn't equal the one we store, which status":                                                 412,
		"the upload uses If-None-Match: * so it only creates new keys, and this key already exists. code?":                         412,
		"the client's cached etag is stale when it tries to save the note, status?":                                                412,
		"the PATCH had no etag, we only take writes that name the version they replace":                                            428,
		"a stale copy was saved, but the request sent no If-Match at all":                                                          428,
		"old app versions lack the If-Match header on saves and our api now needs it":                                              428,
		"the client's If-None-Match etag still matches, so no body is sent":                                                        304,
		// A conditional write in a story of a lost update; without the
		// header, the same story is a conflict.
		"our mobile and web clients both PUT the profile with If-Match, and last night one clobbered the other's edit. what should the later PUT get?":       412,
		"our mobile and web clients both PUT the profile, and last night one clobbered the other's edit; we don't use etags. what should the later PUT get?": 409,
	})
}

// TestFormatDirection: a format the server does not handle that the client
// sent is refused with 415, one it asked for with 406; a body in the right
// format that is broken or invalid stays 400 or 422.
func TestFormatDirection(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"a partner wants the catalogue in XML, we only have JSON":        406,
		"a reseller wants orders in CSV, our api makes only JSON":        406,
		"customer wants the invoice as XML but we only generate PDF":     406,
		"the client sent CSV rather than the JSON we require":            415,
		"the printer driver uploads PNG where only PDF goes":             415,
		"a client sent YAML instead of JSON":                             415,
		"the JSON body is malformed, a trailing comma breaks the parser": 400,
		"the posted JSON has a missing closing brace":                    400,
		"the JSON parses fine but the age field is -3":                   422,
		"well-formed json body but the email value is not an email":      422,
	})
}

// TestWhatIsTooLarge: the part said to be too large decides between 413,
// 414 and 431, whatever else the request is about; cookies counted by the
// dozen are headers too large.
func TestWhatIsTooLarge(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"the photo upload fails because the session cookie got too large, what status?":               431,
		"the attachment is fine but the query string exceeds the server limit":                        414,
		"the uploaded image is refused because the request line is too long":                          414,
		"visitors with 30 cookies on the domain can't open any page, which status":                    431,
		"hundreds of cookies from the old subdomains, nothing loads anymore, status?":                 431,
		"the upstream sent a response header too large for nginx's buffer, what does the client get?": 502,
	})
}

// TestAbsent: a story that says the thing asked for is not there finds
// 404, though no word of it names a status.
func TestAbsent(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"the requested photo isn't in the bucket, which status should the image service answer?": 404,
		"our endpoint looks a customer up by phone number and finds nobody, what status?":        404,
		"the report id in the URL points to a report that isn't in the database":                 404,
	})
}

// TestHidingExistence: a text that asks to hide that a resource exists
// gets the 404 RFC 9110 allows for it; one fine with revealing it does
// not.
func TestHidingExistence(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"a logged-in nurse opens a chart from another ward and we must not reveal the chart exists. which code?":                404,
		"the API should avoid leaking that a private album exists when a stranger asks for it, what status":                     404,
		"a seller opens a rival's draft listing; we're fine admitting it exists, they just can't edit it. status?":              403,
		"an intern asks for the salary report of another department and we don't want to confirm such a report exists, status?": 404,
	})
}

// TestOthersThing: a thing that belongs to another user or tenant is
// hidden, 404, though the story says it exists; a change to another's
// thing, which the caller can see, is still refused, 403.
func TestOthersThing(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"GET /customers/5/invoices/31 but invoice 31 belongs to customer 8, which status?":                   404,
		"tenant blue asks for /reports/12 and report 12 belongs to tenant red; we must not reveal it exists": 404,
		"a host tries to edit a listing that belongs to another host, which status?":                         403,
	})
}

// answersFirst checks that each question is answered with its code first.
func answersFirst(t *testing.T, b *bot.Bot, want map[string]int) {
	t.Helper()
	for q, code := range want {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Kind == bot.KindNotFound || a.Codes[0] != code {
			t.Errorf("%q: %s %v, want %d", q, a.Kind, a.Codes, code)
		}
	}
}

// answersStatus fails t unless each query is answered with exactly its
// code, as a status: the code looked up, not a ranking.
func answersStatus(t *testing.T, b *bot.Bot, want map[string]int) {
	t.Helper()
	for q, code := range want {
		if a := b.Answer(q); a.Kind != bot.KindStatus || len(a.Codes) != 1 || a.Codes[0] != code {
			t.Errorf("%q: %s %v, want the status %d", q, a.Kind, a.Codes, code)
		}
	}
}

// answersNotFound checks that b answers each of qs with "not found".
func answersNotFound(t *testing.T, b *bot.Bot, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if a := b.Answer(q); a.Kind != bot.KindNotFound {
			t.Errorf("%q: %s %v, want not found", q, a.Kind, a.Codes)
		}
	}
}

// TestLogOnlyCodes: naming nginx or an AWS load balancer does not make
// their log-only codes (499, 460) what a client saw; a text about the logs
// still finds them.
func TestLogOnlyCodes(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"our nginx waited 90 seconds on the django upstream and then gave up, what did the browser get?": 504,
		"the application load balancer stopped waiting for the slow target after its idle timeout":       504,
		"the nginx logs are full of requests where the user closed the tab before we answered":           499,
	})
}

// TestVendorCodeRefines: a vendor's code wins over a close standard one
// when it refines it (Cloudflare's timeout page for 504), not when it is
// the vendor's code for something else (an ALB's 464, a protocol
// mismatch, for its empty target group).
func TestVendorCodeRefines(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"our ALB's target group lost all its registered targets after a bad deploy, what do clients get from the ALB?": 503,
		"Cloudflare shows its timeout page because our origin took too long to answer":                                 524,
	})
	// A vendor's name before one of its own codes puts the number in a
	// status position, among times, addresses and ports.
	answersStatus(t, newBot(t), map[string]int{
		"nginx 499 on /api/search at 12:01:07 for 3 of 40 requests, upstream took 2.3 s": 499,
		"cloudflare 522 for the shop since 09:40, origin 203.0.113.7 port 443, ray 7f3a": 522,
	})
}

// TestSignatureConfiguration: where the software sends one status or
// another by its configuration, a text that names the configuration gets
// that one first; any other gets the default.
func TestSignatureConfiguration(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		// DRF's default classes put SessionAuthentication first, which
		// sends no WWW-Authenticate, so the default is 403 (views.py,
		// handle_exception); a first class that sends one makes it 401.
		`DRF answers {"detail":"Authentication credentials were not provided."}, what status`:                                      403,
		`we only use SessionAuthentication in DRF and get {"detail":"Authentication credentials were not provided."}, what status`: 403,
		`our DRF views use TokenAuthentication and answer {"detail":"Authentication credentials were not provided."}, status?`:     401,
		"AH00898: Error reading from remote server, what does apache send":                                                         502,
		"proxy timed out: AH00898: Error reading from remote server, what does apache send":                                        504,
	})
}

// TestSignatureOfTheNamedSoftware: among the signatures a paste matches,
// those of the software the text names come first.
func TestSignatureOfTheNamedSoftware(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		`our rails app raised ActiveRecord::RecordNotUnique (PG::UniqueViolation: ERROR: duplicate key value violates unique constraint "users_email_key"), no rescue_from, what status`: 500,
		`supabase insert failed: duplicate key value violates unique constraint "users_email_key", what status`:                                                                          409,
	})
}

// TestSignatureBeforeConstant: S3's PermanentRedirect error is a 301; its
// message is known, so the code's name, which .NET gives 308, does not
// decide.
func TestSignatureBeforeConstant(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message></Error>": 301,
		"PermanentRedirect: The bucket you are attempting to access must be addressed using the specified endpoint.":                                                                                                301,
	})
}

// TestErrorPages: the pages software serves by default, pasted whole or
// quoted in a question, answer the status they are served with.
func TestErrorPages(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"<html><head><title>405 Not Allowed</title></head><body><center><h1>405 Not Allowed</h1></center><hr><center>nginx</center></body></html>": 405,
		"Error establishing a database connection": 500,
		"my wordpress blog shows 'Error establishing a database connection' since the move, what status does it send?":                                             500,
		"Application error An error occurred in the application and your page could not be served. If you are the application owner, check your logs for details.": 503,
		"The page has expired due to inactivity. Please refresh and try again.":                                                                                    419,
		// AWS WAF's CAPTCHA and Challenge actions, by the header they send.
		"the login call came back with x-amzn-waf-action: captcha and an HTML page": 405,
		"x-amzn-waf-action: challenge on every request from the scraper":            202,
	})
}

// TestLibraryMessages: the messages of Devise and of DRF's token view, Go's
// TimeoutHandler by its bare name, and nginx's own constants for its codes.
func TestLibraryMessages(t *testing.T) {
	b := newBot(t)
	answersFirst(t, b, map[string]int{
		`{"error":"You need to sign in or sign up before continuing."}`:                    401,
		`devise returns {"error":"Invalid Email or password."} to the mobile app, status?`: 401,
		`{"non_field_errors":["Unable to log in with provided credentials."]}`:             400,
		"which status does a go TimeoutHandler send":                                       503,
	})
	answersStatus(t, b, map[string]int{"NGX_HTTP_TO_HTTPS": 497, "ngx_http_client_closed_request": 499, "what is NGX_HTTPS_NO_CERT": 496})
}

// TestOwnCodeOfAPage: nginx answers a client certificate or header it
// cannot take with a 400 page; a text about error_page, or that asks for
// the internal code, wants the code nginx itself uses for the case.
func TestOwnCodeOfAPage(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"users see \"400 Request Header Or Cookie Too Large\", what status is that":                                  400,
		"users see \"400 Request Header Or Cookie Too Large\", which code do I catch in error_page for a nicer page": 494,
		"nginx says \"No required SSL certificate was sent\", what's its internal code for that":                     496,
	})
}

// TestServerAtFault: a request that is fine, failing because of the
// server's own code or setup, gets a server error.
func TestServerAtFault(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"the user did everything right, my handler just has a typo in a variable name and dies, what status?":          500,
		"our config points the database at a host that was renamed, so every request fails, what should the user get?": 500,
	})
}

// TestHelpInOtherWords: a question about using the bot, however it is
// put, gets the help; one with a status in it does not, nor one about "this
// situation" or "the error", which the text does not tell.
func TestHelpInOtherWords(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"so how do I drive this thing", "umm how do i use this", "do I need a prefix or can I just ask", "hey bot, what kinds of questions do you answer", "im new, what do I type here", "what can you do", "!http", "how should I phrase questions for you", "is there a manual for this thing somewhere", "how do I talk to this thing", "can I ask by a code's name instead of its number?", "what commands does it take", "halp", "bonjour statusbot, how do I use you?", "hi there", "can I ask about a status without typing its number?", "what kind of input do you accept", "do you take slash commands",
		"can I paste a stack trace here and you tell me the status?", "what sorts of stuff can I ask you?", "do you answer plain questions or only numbers?", "how does this bot work, do I paste logs or just numbers?",
		"does it answer in DMs too, or only here?", "is there some special syntax, or do I write a full sentence?", "how do I get two codes side by side?", "may I paste a traceback or only the error code?",
		"kindly explain how to ask this bot about a code", "is there a way to see what this bot can understand?", "como se usa este bot?", "sorry, how do I use this thing lol",
		"how do I ask for a comparison of two statuses", "what should I write to get a class listed", "can I give you a situation rather than a code?", "how do I get a whole class of codes",
		"can I write you a sentence instead of a number?", "what is statusbot able to do?", "just joined this channel, usage?",
		"could I drop a log line in here?", "can I ask about a whole group of codes?"} {
		if a := b.Answer(q); a.Kind != bot.KindHelp {
			t.Errorf("Answer(%q) = %q %v, want help", q, a.Kind, a.Codes)
		}
	}
	for _, q := range []string{"what would you return in this situation?", "got an error, help?", "what does the error mean", "how do i return a status", "what do i get",
		"the client asks for a range past the end of the file", "the log line says 502, what now?"} {
		if a := b.Answer(q); a.Kind == bot.KindHelp {
			t.Errorf("Answer(%q) = help, want a question about a situation it does not tell", q)
		}
	}
	for _, q := range []string{"just 404", "look up 404"} {
		if a := b.Answer(q); a.Kind != bot.KindStatus || len(a.Codes) != 1 || a.Codes[0] != 404 {
			t.Errorf("Answer(%q) = %q %v, want 404", q, a.Kind, a.Codes)
		}
	}
}

// TestNoResponse: a client's report that the connection failed carries no
// status, and the answer says so; a proxy's log of its upstream failing
// does (502), and so does a question about what to answer.
func TestNoResponse(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{
		"Error: connect ECONNREFUSED 127.0.0.1:3000",
		`Get "http://orders:8080/v1": dial tcp 10.1.2.3:8080: i/o timeout`,
		"curl: (7) Failed to connect to localhost port 8443 after 0 ms: Couldn't connect to server",
		"GET https://api.example.com/v1/items net::ERR_CONNECTION_TIMED_OUT",
		`Error Domain=NSURLErrorDomain Code=-1009 "The Internet connection appears to be offline."`,
		`Get "https://inventory.svc:8443/items": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
		"System.Net.Http.HttpRequestException: No such host is known. (api.example.com:443)",
		"httpx.ConnectError: [Errno 111] Connection refused",
		"aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host example.com:443 ssl:default",
		"AxiosError: timeout of 30000ms exceeded",
		"Uncaught (in promise) TypeError: Failed to fetch at loadCart (cart.js:41:9)",
		"curl: (56) Recv failure: Connection reset by peer",
		"Net::ReadTimeout with #<TCPSocket:(closed)>",
		"error sending request for url (https://billing.internal/v2/charges): error trying to connect: dns error",
		"System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.",
		"FetchError: request to https://api.example.com/v1 failed, reason: certificate has expired (code CERT_HAS_EXPIRED)",
	} {
		if a := b.Answer(q); a.Kind != bot.KindNotFound || !strings.Contains(a.Text, "no status code") {
			t.Errorf("%q: %s %v %q, want not found with no status", q, a.Kind, a.Codes, a.Text)
		}
	}
	for _, q := range []string{
		"2026/12/01 10:00:01 [error] 31#31: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1",
		`{"level":"error","logger":"http.handlers.reverse_proxy","msg":"dial tcp 10.0.3.7:8080: connect: connection refused"}`,
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != 502 {
			t.Errorf("%q: %s %v, want 502", q, a.Kind, a.Codes)
		}
	}
	if a := b.Answer("why does my app get net::ERR_CONNECTION_REFUSED?"); strings.Contains(a.Text, "no status code") {
		t.Errorf("a question about a connection error got %q, want it answered as a question", a.Text)
	}
}

// TestQuotedStatus: a message that quotes another party's status is
// answered by what the software sends, not by the number it quotes.
func TestQuotedStatus(t *testing.T) {
	q := `[error] 20#20: *5 auth request unexpected status: 302 while sending to client, request: "GET /grafana/ HTTP/1.1"`
	if a := newBot(t).Answer(q); len(a.Codes) == 0 || a.Codes[0] != 500 {
		t.Errorf("%q: %s %v, want 500", q, a.Kind, a.Codes)
	}
}

// TestErrorStatements: an error message's "could not" or "is not" is a
// statement, not a question, so the single status it states answers it.
func TestErrorStatements(t *testing.T) {
	q := "Could not fetch image manifest from the registry (https://registry.example.org/v2/app/manifests/latest): status code: 403, reason phrase: Forbidden (403)"
	if a := newBot(t).Answer(q); a.Kind != bot.KindStatus || len(a.Codes) != 1 || a.Codes[0] != 403 {
		t.Errorf("%q: %s %v, want status 403", q, a.Kind, a.Codes)
	}
}

// TestCodesInPassing: a code a long text only mentions in passing ("the
// 502 bus") is not its answer, unless what the text tells fits the code.
func TestCodesInPassing(t *testing.T) {
	b := newBot(t)
	answersNotFound(t, b, "is the 502 bus running on sunday", "we have 429 users in the beta and 503 on the waitlist, how do I export them to csv")
	q := "a 409 for a duplicate email seems right to me, agree?"
	if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != 409 {
		t.Errorf("%q: %s %v, want 409", q, a.Kind, a.Codes)
	}
}

// TestOtherProtocols: another protocol's or program's codes (FTP, SIP,
// SMTP, SQLSTATE, exit statuses) are not HTTP statuses, unless the text
// is also about the web. A database the app cannot reach is the app's
// trouble, told to its clients with a status.
func TestOtherProtocols(t *testing.T) {
	b := newBot(t)
	answersNotFound(t, b, "FTP server says 530 Login incorrect", "sip phone shows 486 busy here", "the backup job died with exit status 127",
		"smtp 550 5.1.1 user unknown when mailing the newsletter", "does postgres support partial indexes?")
	answersFirst(t, b, map[string]int{
		"our API returns 500 when postgres raises SQLSTATE 23505 on a duplicate email, what should it return":                    409,
		"the mysql primary is failing over and the app cannot reach the database for a minute, which status should clients get?": 503,
	})
}

// TestWeighsAlternatives: a question that weighs two things that are not
// codes ("is JWT better than session cookies?") asks for no status; one
// that weighs two codes by name is answered by its situation.
func TestWeighsAlternatives(t *testing.T) {
	b := newBot(t)
	answersNotFound(t, b, "is JWT better than session cookies for the admin portal?", "REST or GraphQL for our booking app, which would you pick?")
	answersFirst(t, b, map[string]int{"which is better for a deleted account, gone or not found?": 410})
}

// TestMethodNotAllowed: 405 is about the request method; a text that
// names none is not answered with it for its "not allowed".
func TestMethodNotAllowed(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"you are not allowed":                          403,
		"a PUT to the read-only report is not allowed": 405,
	})
}

// TestChecksCode: a question whether the code it mentions is right is
// answered by the situation: the mentioned code when it fits, another when
// it does not.
func TestChecksCode(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"is 409 right for a username that is already taken?": 409,
		"is 401 correct when the token is missing?":          401,
		// "should that be N?" and "should <a long subject> return N?" ask
		// the same.
		"the recipe search gives back an empty list, should it be 404?":                             200,
		"should a product search that matches nothing return 404?":                                  200,
		"should a login with the wrong password return 404?":                                        401,
		"is 401 correct for a signed-in nurse opening another ward's chart, which she may not see?": 403,
		// A code someone proposes is checked the same way.
		"boss wants a 401 when a logged-in user opens an admin page they are not allowed to see, which is it?":                                                         403,
		"the PM wants a 404 when a suspended member signs in and opens the billing page, dev wants 403. she knows the page exists, she is just not allowed in. which?": 403,
	})
}

// TestWellFormedIsNoSuccess: "the JSON itself is fine" says the content
// is what is wrong, not that the request went well.
func TestWellFormedIsNoSuccess(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"customer posts rating 11 on a 1 to 5 scale, the JSON itself is fine. what code?", "booking for zero nights, the body is valid. which code"} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != 422 && a.Codes[0] != 400 {
			t.Errorf("Answer(%q) = %s %v, want 422 or 400", q, a.Kind, a.Codes)
		}
	}
}

// TestCodeToStop: "which code prevents that" asks for another code than
// the one whose effect the text tells.
func TestCodeToStop(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"after a 301 the mobile app re-sent the upload as a GET and lost the file. which code prevents that for a permanent move?": 308,
		"we sent 302 and the browser switched the POST to GET, which code avoids that while the move is temporary?":                307,
	})
}

// TestSentNowIsNoEvidence: a code told as what a server sends now, in a
// text that asks which code it should send, gets no lead from being named:
// the situation decides. One of two to choose from still does.
func TestSentNowIsNoEvidence(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"our delete endpoint replies 200 with an empty json object and the android app chokes on it. which status is meant for success without a body?": 204,
		"which status for a profile update that needs no reply body? we send 200 with {} today":                                                         204,
		"should a login endpoint answer 401 or 403 when the password is just wrong?":                                                                    401,
	})
	// Nor is it the answer where nothing else fits: that is "not found".
	// (Neither a request without a question mark, nor a "should" that
	// comes a few words before its verb, is a pasted error's statement.)
	for q, sent := range map[string]int{
		"when a shopper submits the checkout form without a postcode we send 500 because of a nil map, which one is correct?":                             500,
		"the loyalty app: a member redeems a reward he already claimed. we send 500 because of the unique index. please guide the correct one":            500,
		"our one-time invite link is spent after the first use, now a second click gives 200 and a sorry page. what status should the spent link return?": 200,
		// Stated as a status line or field, too.
		"the shop's sold-out product pages went out with status 200 and an apology text after we removed them for good. what status should those pages send?": 200,
	} {
		if a := newBot(t).Answer(q); len(a.Codes) > 0 && a.Codes[0] == sent {
			t.Errorf("the code sent now came back as the answer to %q: %s %v", q, a.Kind, a.Codes)
		}
	}
}

// TestOnlyTheCodeLeft: a text whose other words are all stopwords asks
// about the code it names ("got 503 at 14:05:09, what does that one
// mean?"), not for the help or a situation; so does one that asks "what
// is N" or what N stands for among other words.
func TestOnlyTheCodeLeft(t *testing.T) {
	b := newBot(t)
	answersStatus(t, b, map[string]int{"got 503 at 14:05:09, what does that one mean?": 503, "we got 429 at 10:00, what is that one": 429,
		// Asked about in a longer text: "what is N", "what does N stand for".
		"what does 404 stand for, saw it in the crawler report of our website yesterday":               404,
		"the old sensor gateway logged it twice last week, what's 598, nobody on the team has seen it": 598})
}

// TestAskedMeaning: a story that asks what a code means is answered with
// that code, however much else it tells or quotes; a code only told, or
// another protocol's, is not.
func TestAskedMeaning(t *testing.T) {
	b := newBot(t)
	answersStatus(t, b, map[string]int{
		"the load balancer dashboard shows a bump of 460 since we raised the client timeout and I'm not sure who is at fault. what does 460 mean?":  460,
		"support forwarded a screenshot with 'HTTP 400' at the top and 495 in the proxy log below. what does 495 stand for?":                        495,
		"our uptime checker treats every 202 as down. what is 202 supposed to mean, so I can argue with the vendor":                                 202,
		"monitoring emailed me about 499 all night on the checkout api, the pods look healthy, what is this 499 number meaning?":                    499,
		"after the CDN switch a few visitors report 522 on the pricing page but the origin is fine and the logs are quiet. what does 522 indicate?": 522,
		"the status page of our host flashed 526 for an hour, what's that? our cert was renewed on friday":                                          526,
		"a customer sees 449 in the exchange logs on her phone sync, what is it? our mail admin is away":                                            449,
		"quick one, 524 from cloudflare means what? the report export takes ages":                                                                   524,
		"can someone tell me what 451 is, a customer abroad saw it on our docs page":                                                                451,
		"523 pops up on the status dashboard every evening, what does it stand for":                                                                 523,
		"found 494 in an error_page directive left by the previous admin in the old vhost config, what is it":                                       494,
		"what does 463 from the load balancer mean":                                                                                                 463,
		"the sync job failed at 09:12:44 with 412 from files-api v2.4.1 on port 8443 - what does that status mean for us?":                          412,
		"what is 444 in the nginx logs, we had hundreds of them overnight on the login page":                                                        444,
		"old api nostalgia: what was 420 again":                                                                                                     420,
		"code 497 from nginx, what does it say":                                                                                                     497,
		"hey, what means 464 from the load balancer?":                                                                                               464,
		"so 598 turned up in the edge proxy graphs overnight, no clue what that is":                                                                 598,
		"our cdn shows 521 for the shop since lunch, anyone know what it means":                                                                     521,
		"nginx keeps logging 444 for the scanner bots all night, what does that one mean":                                                           444,
		"cloudflare gave us 525 on checkout this morning, wat is it":                                                                                525,
	})
	// Told, not asked about: the story decides.
	answersFirst(t, b, map[string]int{
		"500 means the server broke, so what should we send when the signup form has a duplicate email?":            409,
		"the client sends Expect: 300-please and our server has no idea what that expectation is about. What code?": 417,
	})
}

// TestVagueComplaints: a complaint that says only that something fails,
// or a question that tells no situation, gets "not found", not a guess of
// 500 or the help; one that says how it fails, or names a code, still gets
// an answer.
func TestVagueComplaints(t *testing.T) {
	b := newBot(t)
	answersNotFound(t, b, "something is wrong with the server again", "the api doesn't work for me", "our server is broken", "my app is not working, help",
		"error", "what code??", "hmm which status should this be", "which one should I use", "our app is so slow", "something went wrong idk",
		"status?", "something broke after the release, which code", "is there a status code for that?", "what should we return here",
		"which code do i use here", "which status would you use there")
	answersNotFound(t, b, "the payment stuff, which code", "the thing with the tokens again")
	answersFirst(t, b, map[string]int{"thing got created, which code": 201})
	for _, q := range []string{"the server keeps crashing", "something is wrong with the server and it says 502"} {
		if a := b.Answer(q); a.Kind == bot.KindNotFound {
			t.Errorf("Answer(%q) = not found, want an answer", q)
		}
	}
}

// TestNamedAlternatives: when a text names two codes as the choice, the
// situation decides between them; naming the runner-up does not promote
// it over a lead the text names too.
func TestNamedAlternatives(t *testing.T) {
	b := newBot(t)
	for q, want := range map[string]int{
		"we moved the whole blog to a new domain and it will never come back to the old one, 301 or 302 for the old links?":    301,
		"a tenant exceeded their hourly request quota and keeps calling us, should they get 403 or 429 now?":                   429,
		"the payment provider upstream took longer than 30 seconds and our gateway gave up waiting, 502 or 504 to the client?": 504,
		"a logged in user without the admin role opens the admin settings page, 401 or 403 for that request?":                  403,
	} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != want {
			t.Errorf("%q: %s %v, want %d first", q, a.Kind, a.Codes, want)
		}
	}
	// The choice is answered, not compared, and the code not chosen comes
	// second.
	for q, want := range map[string][2]int{
		"should a POST that creates a user return 200 or 201?":                 {201, 200},
		"after a DELETE with no response body, 200 or 204?":                    {204, 200},
		"should I send 400 or 415 when the body is XML but we only take JSON?": {415, 400},
	} {
		if a := b.Answer(q); a.Kind != bot.KindSearch || len(a.Codes) < 2 || a.Codes[0] != want[0] || a.Codes[1] != want[1] {
			t.Errorf("%q: %s %v, want %v first", q, a.Kind, a.Codes, want)
		}
	}
	for _, q := range []string{"should I return 404 or 403 when a user guesses the URL of another tenant's invoice?", "the same email signed up twice on our shop, 409 or 422, which is more correct"} {
		if a := b.Answer(q); a.Kind == bot.KindCompare {
			t.Errorf("a choice told with its situation was compared: %q %v", q, a.Codes)
		}
	}
}

// TestUnusedCodesNeedAQuestion: a code the registry keeps unused (418)
// answers a question about statuses or a text that names it, never a
// stray remark about coffee or jokes.
func TestUnusedCodesNeedAQuestion(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"tell me a joke", "spilled coffee all over my keyboard lol"} {
		if a := b.Answer(q); len(a.Codes) > 0 && a.Codes[0] == 418 && a.Kind != bot.KindNotFound {
			t.Errorf("Answer(%q) = %s %v, want no teapot", q, a.Kind, a.Codes)
		}
	}
	for _, q := range []string{"the kettle endpoint refuses to brew coffee since it is only a teapot", "the coffee pot will not brew", "which joke status does a smart kettle send when asked for coffee?"} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != 418 || a.Kind == bot.KindNotFound {
			t.Errorf("Answer(%q) = %s %v, want 418", q, a.Kind, a.Codes)
		}
	}
}

// TestCodesSaidInPassing: an undefined code the text says it got is
// answered as nonstandard, "meaning of 409" asks about 409, and a crash
// named in a language's own words ("nil pointer panic") is a 500; an
// exit code and a character code are not statuses.
func TestCodesSaidInPassing(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"we got a 432 back from the partner api, what is that", "got a 266 from the partner api, what is that one"} {
		if a := b.Answer(q); a.Kind != bot.KindNonstandard {
			t.Errorf("Answer(%q) = %s %v, want nonstandard", q, a.Kind, a.Codes)
		}
	}
	for q, want := range map[string]int{"the meaning of 409 please, our teacher asked": 409, "nil pointer panic in the handler, status?": 500} {
		if a := b.Answer(q); len(a.Codes) == 0 || a.Codes[0] != want || a.Kind == bot.KindNotFound {
			t.Errorf("Answer(%q) = %s %v, want %d", q, a.Kind, a.Codes, want)
		}
	}
	for _, q := range []string{"the container exited with code 137 after 404 seconds", "JSON parse error: Unexpected character ('}' (code 125)): was expecting double-quote"} {
		if a := b.Answer(q); a.Kind == bot.KindNonstandard {
			t.Errorf("Answer(%q) = nonstandard %v", q, a.Codes)
		}
	}
}

// TestNoRangeIsWholeFile: a request without a Range the server acts on
// gets the whole representation, 200, where 200 nearly ties with 206 or
// 416; a range past the end is still 416.
func TestNoRangeIsWholeFile(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"the request has no Range header, we send the complete mp4, status?":                               200,
		"we do not support byte ranges, a request with a Range header gets the full file back, which code": 200,
		"the player asks for bytes past the end of the file, what status":                                  416,
	})
}

// TestChoiceOfClasses: "a 4xx or a 5xx?" asks which class fits, not for a
// listing: with a situation the situation answers, without one nothing
// does; a listing asked for still lists.
func TestChoiceOfClasses(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"so is it a 4xx or a 5xx then?": {kind: bot.KindNotFound},
		"4xx or 5xx, which one?":        {kind: bot.KindNotFound},
		"should the api send a 4xx or a 5xx while the payment provider is down for planned maintenance?": {kind: bot.KindSearch, codes: []int{503}},
		"list every 4xx or 5xx code": {kind: bot.KindClass},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

// TestDesignChoices: a short question that weighs two things ("X or Y
// for ...?") and asks for no status is no status question; two states
// of one thing ("expired or revoked token?") are a situation.
func TestDesignChoices(t *testing.T) {
	b := newBot(t)
	for q, w := range map[string]want{
		"should ids be strings or integers in the json?":    {kind: bot.KindNotFound},
		"monorepo or polyrepo for the new services?":        {kind: bot.KindNotFound},
		"expired or revoked token?":                         {kind: bot.KindSearch, codes: []int{401}},
		"the token is expired or revoked, what do we send?": {kind: bot.KindSearch, codes: []int{401}},
	} {
		t.Run(q, func(t *testing.T) { check(t, q, b.Answer(q), w) })
	}
}

// TestCredentialsThatHold: credentials that hold and still do not
// suffice are 403; credentials missing, expired or unfinished are 401.
func TestCredentialsThatHold(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"the partner key is valid but it has no rights on that warehouse, which code?": 403,
		"a courier app keeps sending a valid token for a depot it was removed from":    403,
		"the call came without a valid token after the session died, what status?":     401,
		"the password is right but the one-time code is missing, what status?":         401,
	})
}

// TestHowToAct: a question how to do something other than answer a
// request asks for no status, however well its words match one; how to
// tell a client something is a status question.
func TestHowToAct(t *testing.T) {
	b := newBot(t)
	answersNotFound(t, b, "how do I rotate the signing key in our auth server without logging everyone out?",
		"how can I renew the expired origin certificate behind cloudflare?", "how to merge two duplicate customer records in the crm",
		"how do I paginate with cursors instead of page numbers in the orders api?")
	answersFirst(t, b, map[string]int{
		"how do I tell a client it is sending too many requests?":                       429,
		"how do we properly reject an upload that is far too big?":                      413,
		"how do I temporarily send checkout traffic to another host and keep the POST?": 307,
	})
}

// TestAsksRightCode: a text that tells the status sent now, by its name,
// and asks for the correct one, or what it should be however far the
// verb stands from "should", is answered by its situation.
func TestAsksRightCode(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"our photo upload takes files up to 20mb and someone sent 300mb, we answer 400 Bad Request. what is the correct code here?":                413,
		"the api replies 400 bad token when the session key was rotated and the signature fails, what's the right one?":                            401,
		"the worker ran out of memory and the api still sent status 200 with an html page, what code should an unexpected crash on our side give?": 500,
		"our payment proxy returns 500 when the acquirer sends back garbage. I need the proper code for a broken answer from the upstream":         502,
		"a teammate returns 418 for every unknown product as a joke. tell him the real code for a product id that does not exist":                  404,
		"the search route only handles GET and a client's POST to it got a 404. what should a method the route does not support actually return?":  405,
		"calling GET /me without any token at all gives me 403, shouldn't it be the other one since I'm not logged in?":                            401,
	})
}

// TestQuotedNameAfterApostrophe: a code's name in quotes counts however
// many apostrophes the text has before it ("I'll", "don't").
func TestQuotedNameAfterApostrophe(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		`the browsers bounce between /login and /sso forever and I can't see why, but is there a status called "loop detected" or is that WebDAV only?`: 508,
	})
}

// TestAnotherSoftwaresMessage: where a text names its own software, a
// message that another software's signature quotes is not that software's
// answer: Flask-WTF's 400 for "The CSRF token is missing" is not Django's
// or Laravel's.
func TestAnotherSoftwaresMessage(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"in django, what status comes back when the csrf token is missing from a form post?": 403,
		"laravel: the csrf token is missing on a POST form, status?":                         419,
		// (A software named inside the message, "Lambda", is not the text's own.)
		"Execution failed due to configuration error: Malformed Lambda proxy response, the app sees Internal server error": 502,
	})
}

// TestOutOfRangeAskedAbout: a number outside 100-599 in a status position
// of a longer text is invalid where the text asks what it is, not where
// it may be a vendor's own error number.
func TestOutOfRangeAskedAbout(t *testing.T) {
	b := newBot(t)
	for _, q := range []string{"got status 812 from the billing api this morning, what is it?", "the sdk shows status 0 on timeouts, what does that code mean"} {
		if a := b.Answer(q); a.Kind != bot.KindInvalid {
			t.Errorf("%q: %s %v, want invalid", q, a.Kind, a.Codes)
		}
	}
}

// TestWhatItGetsAndWhichHeader: "what should a PUT to it get, and which
// header goes with it?" asks for a status as well as a header.
func TestWhatItGetsAndWhichHeader(t *testing.T) {
	answersFirst(t, newBot(t), map[string]int{
		"the stats endpoint only handles GET and POST. what should a PUT to it get, and which header goes with it?": 405,
	})
}
