package bot

import (
	"slices"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// A story of success tells of a request that went well: "the parcel exists
// and I return its position and ETA", "PUT on the lunch preferences is ok,
// we don't return a body", "search with no matches". Its answer is a
// success code whatever its domain words are, and those words (parcels,
// lunch, ETA) are rarely the catalogue's, so retrieval alone seldom finds
// it with confidence.

// successStory reports whether toks tell of a request that went well, with
// nothing going wrong, and which success code their words point to: 204
// when they say nothing comes back ("no body", "nothing more to say"), 200
// when a result does ("returns the record", "sends back the token", "an
// empty list"), and 0 when they say neither ("seat reservation created"),
// which leaves the choice to the situation.
func successStory(toks []string) (ok bool, code int) {
	var told, result, bodiless bool
	for i := 0; i < len(toks); i++ {
		if n := noBody(toks[i:]); n > 0 && !requestSide(toks, i) {
			bodiless, i = true, i+n-1
			continue
		}
		if n := emptyResult(toks, i); n > 0 {
			result, i = true, i+n-1
			continue
		}
		t := toks[i]
		switch {
		case troubled(t) || t == "otherwise" || t == "up" && i > 0 && quitVerbs[toks[i-1]]:
			return false, 0
		case successWords[t] && !asksIfFine(toks, i) && !awaited(toks, i) && !formatFine(toks, i),
			t == "all" && i+1 < len(toks) && toks[i+1] == "good",
			doneWords[t],
			(t == "found" || t == "known") && i > 0 && beVerbs[toks[i-1]]:
			told = true
		case delivers(toks, i):
			told, result = true, true
		}
	}
	switch {
	case !told && !result && !bodiless || !bodiless && !aboutRequests(toks):
		return false, 0
	case bodiless && !result:
		return true, 204
	case result && !bodiless:
		return true, 200
	}
	return true, 0
}

// aboutRequests reports whether a text is about requests and responses,
// not any success ("git push worked", "my function returns the list"):
// it names a side, a method, a part or a format of an exchange, asks for
// a status, or speaks as the server ("I return ...", "we send back ...").
func aboutRequests(toks []string) bool {
	for i, t := range toks {
		if exchangeWords[t] || serverWords[t] || strings.HasSuffix(t, "method") ||
			(t == "i" || t == "we") && i+1 < len(toks) && resultVerbs[toks[i+1]] {
			return true
		}
	}
	return false
}

// exchangeWords belong to an exchange of requests and responses.
var exchangeWords = wordSet("server", "servers", "request", "requests", "response", "responses", "client",
	"clients", "url", "urls", "uri", "link", "webhook", "body", "json", "xml", "http", "https", "status",
	"code", "codes", "health", "healthcheck", "app", "site", "website", "service", "portal", "page",
	"browser", "dashboard", "payload", "header", "headers", "jpeg", "png", "pdf", "csv", "download",
	"upload", "frontend", "backend", "graphql", "rest", "caller", "lookup", "search")

// troubled reports whether a word says that something went wrong, or turns
// a success around.
func troubled(t string) bool {
	return troubleWords[t] || apostropheNot[t] || strings.HasPrefix(t, "fail") || strings.HasPrefix(t, "error") ||
		strings.HasPrefix(t, "invalid")
}

// doneWords say that what a request asked for was done.
var doneWords = wordSet("exists", "created", "added", "accepted", "queued", "stored", "updated")

// beVerbs are the forms of "to be" before a participle: "the book is found".
var beVerbs = wordSet("is", "are", "was", "were")

// quitVerbs before "up" give up: "the proxy gave up waiting".
var quitVerbs = wordSet("give", "gives", "gave", "giving")

// resultVerbs send a result to the client.
var resultVerbs = wordSet("return", "returns", "returning", "serve", "serves", "serving", "stream", "streams",
	"streaming", "send", "sends", "sending")

// withVerbs send a result with "with": "replies with the updated
// profile", "responds with its id".
var withVerbs = wordSet("reply", "replies", "replied", "replying", "respond", "responds", "responded",
	"responding", "answer", "answers", "answered", "answering")

// resultStarts begin what a server sends: "returns the record", "sends
// back its ETA", "streams them".
var resultStarts = wordSet("the", "its", "their", "his", "her", "our", "a", "an", "all", "them", "it", "this",
	"these", "that")

// notResults are what a server sends that is no result: "returns the right
// status", "sends an error". Nor is sending someone somewhere.
var notResults = wordSet("status", "statuses", "code", "codes", "error", "errors", "header", "headers",
	"redirect", "same")

// delivers reports whether toks[i] sends a result: "returns the record",
// "we send back the session token", "streams them". What a question asks
// to send ("what do I send back") is no result.
func delivers(toks []string, i int) bool {
	j := i + 1
	with := withVerbs[toks[i]] && j < len(toks) && toks[j] == "with"
	switch {
	case (toks[i] == "go" || toks[i] == "goes") && j+1 < len(toks) && toks[j] == "back" && toks[j+1] == "to":
		return true // "the position goes back to the customer"
	case !resultVerbs[toks[i]] && !with:
		return false
	}
	for _, t := range toks[max(0, i-3):i] {
		if askWords[t] || clientWords[t] {
			return false
		}
	}
	if with || j < len(toks) && toks[j] == "back" {
		j++
	} else if strings.HasPrefix(toks[i], "send") && !slices.Contains(toks[j:min(len(toks), j+5)], "back") {
		return false // "send the body" is the client's; "send back the token", "send the record back" the server's
	}
	if j >= len(toks) || !resultStarts[toks[j]] {
		return false
	}
	for _, t := range toks[j:min(len(toks), j+3)] {
		if notResults[t] || isDigits(t) || clientWords[t] || t == "to" {
			return false // "sends the browser to the receipt page"
		}
	}
	return true
}

// clientWords, just before a verb, make the client the one that sends
// ("the client sends the token"); just after it, the one sent somewhere
// ("we send the browser to the receipt page").
var clientWords = wordSet("client", "clients", "browser", "browsers", "user", "users", "caller", "callers",
	"customer", "customers", "device", "devices", "frontend", "scanner", "bot", "bots", "someone", "he",
	"she", "they")

// askWords, just before a verb, make what it sends a question or a wish:
// "what should we return", "which status should we send them", "wants
// POST to return the invoice".
var askWords = wordSet("what", "which", "should", "how", "do", "does", "to", "would", "can", "could", "must")

// asksIfFine reports whether the success word toks[i] is asked about, not
// told: "is that fine?", "is it ok to ...". A bare "ok" or "okay" says so
// only after a verb ("the PUT is ok", "went ok"), not as a chat opener
// ("ok so the proxy gave up") or a test runner's last word.
func asksIfFine(toks []string, i int) bool {
	if i >= 2 && toks[i-2] == "is" && (toks[i-1] == "that" || toks[i-1] == "it" || toks[i-1] == "this") {
		return true
	}
	if t := toks[i]; t == "ok" || t == "okay" {
		return i == 0 || !beVerbs[toks[i-1]] && toks[i-1] != "went"
	}
	return false
}

// requestSide reports whether the words before toks[i] give what starts
// there to the request rather than the response: "a POST with an empty
// body", "the client sends no body"; not "we send back an empty body".
func requestSide(toks []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-6; j-- {
		switch t := toks[j]; {
		case requesterWords[t] || strings.HasSuffix(t, "method"):
			return true
		case t == "we" || t == "i" || t == "back" || serverWords[t]:
			return false
		}
	}
	return false
}

// requesterWords name the request's side of an exchange.
var requesterWords = wordSet("client", "clients", "request", "requests", "caller", "callers", "posts", "posted", "uploads", "uploaded")

// formatFine reports whether a word of success at toks[i] says only that
// a body's format is fine: "the JSON itself is fine", "payload was ok";
// the content may still be refused.
func formatFine(toks []string, i int) bool {
	return slices.ContainsFunc(toks[max(0, i-3):i], func(t string) bool { return wellFormedParts[t] })
}

// awaited reports whether a word of success at toks[i] tells of what has
// not happened yet: "log in first before the pull even works", "retry
// until it succeeds".
func awaited(toks []string, i int) bool {
	return slices.ContainsFunc(toks[max(0, i-6):i], func(t string) bool {
		return t == "before" || t == "until" || t == "till" || t == "unless"
	})
}

// noBody returns how many words at the start of toks say that a response
// has no body ("no body", "we don't return a body", "nothing more to say",
// "empty response", "w/o body"), or 0.
func noBody(toks []string) int {
	if len(toks) < 2 {
		return 0
	}
	switch first := toks[0]; {
	case first == "empty" && (toks[1] == "response" || toks[1] == "reply" || toks[1] == "body"):
		return 2
	case first == "no" && toks[1] == "content" && (len(toks) == 2 || toks[2] != "length" && toks[2] != "type"):
		return 2
	case first == "w" && toks[1] == "o" && len(toks) > 2 && toks[2] == "body":
		return 3
	case !bodyNegators[first]:
		return 0
	}
	sent := false
	for j, t := range toks[1:min(len(toks), 7)] {
		switch {
		case t == "body" || t == "anything" && sent || toks[0] == "nothing" && (t == "say" || resultVerbs[t]):
			return j + 2 // "nothing to say back", "nothing to return"
		case resultVerbs[t]:
			sent = true
		case !bodyFillers[t]:
			return 0
		}
	}
	return 0
}

// bodyNegators begin a body's absence: "no body", "we don't return a body",
// "nothing to say back".
var bodyNegators = wordSet("no", "without", "dont", "doesnt", "wont", "not", "never", "nothing")

// bodyFillers may stand between a negator and the body: "without any
// response body", "not returning anything", "nothing more to say".
var bodyFillers = wordSet("a", "any", "the", "reply", "response", "to", "more", "else", "back", "we", "i", "it",
	"return", "send", "need", "have")

// emptyResult returns how many words from toks[i] tell of a result that is
// empty ("no results", "an empty list", "the list of open tickets is
// empty", "matches nothing"), or 0: a lookup that worked and found nothing.
func emptyResult(toks []string, i int) int {
	if i+1 >= len(toks) {
		return 0
	}
	t, next := toks[i], toks[i+1]
	switch {
	case (t == "no" || t == "zero") && resultNouns[next]:
		return 2
	case t == "empty" && (resultNouns[next] || listNouns[next]):
		return 2
	case beVerbs[t] && next == "empty" && slices.ContainsFunc(toks[max(0, i-5):i], func(u string) bool {
		return resultNouns[u] || listNouns[u]
	}):
		return 2
	case strings.HasPrefix(t, "match") && next == "nothing" && (i+2 == len(toks) || !stillThere[toks[i+2]]):
		return 2 // not "matches, nothing changed"
	case (t == "no" || t == "zero") && next == "matching":
		return 2 // "finds no matching patients"
	case (t == "no" || t == "zero") && isPlural(next) && i+2 < len(toks) &&
		(strings.HasPrefix(toks[i+2], "match") || toks[i+2] == "exist" || toks[i+2] == "found" || toks[i+2] == "yet"):
		return 3 // "no restaurants matching", "no scores exist for the week"
	case t == "zero" && isPlural(next) && slices.ContainsFunc(toks, func(u string) bool { return listContext[u] }):
		return 2 // "zero achievements, what status for GET /me/achievements?"
	case t == "no" && i > 0 && haveVerbs[toks[i-1]] && (isPlural(next) || i+2 < len(toks) && isPlural(toks[i+2])) &&
		slices.ContainsFunc(toks, func(u string) bool { return listContext[u] || listNouns[u] }):
		// "GET /drivers/{id}/stops when the driver has no stops today",
		// "the list is empty because the service has no orders".
		if isPlural(next) {
			return 2
		}
		return 3
	}
	return 0
}

// isPlural reports whether w looks like a plural noun: "scores", not "status".
func isPlural(w string) bool {
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us")
}

// haveVerbs, before "no", tell what a thing lacks: "has no stops".
var haveVerbs = wordSet("has", "have", "had")

// listContext are words of a listing, where zero items is an empty result.
var listContext = wordSet("getmethod", "list", "lists", "listing", "search", "query", "filter", "feed", "page", "collection")

// resultNouns are what a search finds; listNouns hold them.
var (
	resultNouns = wordSet("results", "result", "matches", "hits", "entries")
	listNouns   = wordSet("list", "array", "collection", "feed")
)

// succeeded ranks the success codes for a story of success, the one its
// words point to (code, when not 0) first, and is confident: the story
// decided the class, and its situation picks the code within it.
func (b *Bot) succeeded(q question, code int, toks []string) ranking {
	q.within = 2
	r := b.retrieve(q)
	if len(r.codes) == 0 && code == 0 {
		code = 200
	}
	// The story's words decide between 200 and 204, whether a body comes
	// back; a more particular code the situation picks with confidence
	// (201 for what was created, 206 for a range) stays first, and so
	// does a 201 that retrieval ranks first for a story of making
	// something ("the PUT creates it and returns its id").
	made, existed := tellsMaking(toks), slices.Contains(toks, "exists")
	keep := len(r.codes) > 0 && (r.confident && r.codes[0].Code != 200 && r.codes[0].Code != 204 ||
		made && r.codes[0].Code == 201)
	if len(r.codes) > 0 && r.codes[0].Code == 201 && existed && !made {
		keep = false // "we send back the inventory when the account exists": nothing was created
	}
	if len(r.codes) == 0 || code != 0 && !keep {
		switch i := slices.IndexFunc(r.codes, func(c *catalog.Code) bool { return c.Code == code }); {
		case i > 0:
			r = r.promote(i)
		case i < 0:
			r.codes = append([]*catalog.Code{b.cat.Code(code)}, r.codes...)
			r.scores = append([]float64{0}, r.scores...)
			r.why = append([]int{-1}, r.why...)
		}
	}
	r.confident = true
	return r
}

// saysItExists reports whether a text says the thing asked for exists
// ("the invoice exists and we stream it", "book found, returning the
// record"), or that the credentials were right, while code, retrieval's
// best, says otherwise (404, 410, 401): the story then contradicts the
// code.
func saysItExists(toks []string, code int) bool {
	switch code {
	case 404, 410:
		for i, t := range toks {
			if (t == "exists" || t == "found") && (i == 0 || !troubled(toks[i-1])) {
				return true
			}
			if code == 404 && emptyResult(toks, i) > 0 {
				return true // "a search that matches nothing": the lookup worked
			}
		}
	case 401:
		// "the credentials are right and we send back the token".
		for i, t := range toks {
			if credentialWords[t] && slices.ContainsFunc(toks[i+1:min(len(toks), i+4)], func(u string) bool { return rightWords[u] }) {
				return true
			}
		}
	}
	return false
}

// knowsWho reports whether a text says the caller's credentials hold:
// "the API key is valid", "the token is fine", or the login reading's
// "signedin" ("I am logged in").
func knowsWho(toks, words []string) bool {
	if slices.ContainsFunc(toks, func(t string) bool { return absentWords[t] && t != "no" || t == "wrong" || t == "failed" }) {
		return false // "the password is right but the OTP is missing": not yet known
	}
	if slices.Contains(words, "signedin") {
		return true
	}
	denied := func(ws []string) bool {
		return slices.ContainsFunc(ws, func(u string) bool { return negations[u] || absentWords[u] || u == "lacked" || u == "lacks" })
	}
	for i, t := range toks {
		if credentialWords[t] && t != "login" && t != "code" {
			after := toks[i+1 : min(len(toks), i+4)]
			if j := slices.IndexFunc(after, func(u string) bool { return rightWords[u] }); j >= 0 && !denied(after[:j]) {
				return true // "the API key is valid"; not "the token is not valid"
			}
		}
		if (t == "valid" || t == "correct") && i+1 < len(toks) && !denied(toks[max(0, i-3):i]) &&
			(credentialWords[toks[i+1]] || i+2 < len(toks) && tokenKinds[toks[i+1]] && credentialWords[toks[i+2]]) {
			return true // "a valid token", "a valid access token"; not "without a valid token"
		}
	}
	return false
}

// tokenKinds name a kind of token or key: "a valid access token".
var tokenKinds = wordSet("access", "bearer", "api", "auth", "session", "id", "jwt", "oauth", "personal")

// credentialWords and rightWords: "the credentials are right", "password
// correct".
var (
	credentialWords = wordSet("credentials", "password", "passwords", "token", "login", "otp", "code", "key")
	rightWords      = wordSet("right", "correct", "valid", "ok", "okay", "fine", "matches", "accepted")
)

// tellsMaking reports whether a text tells of something made by the
// request: "the application is created", "the PUT creates it".
func tellsMaking(toks []string) bool {
	return slices.ContainsFunc(toks, func(t string) bool { return makeWords[t] })
}

// saysItWasMade reports whether a text tells that the thing was created
// ("the POST took 2 seconds and created invoice 4411") while code,
// retrieval's best, is one that refuses a creation (a clash, a bad
// request, a missing parent): the story then contradicts the code. A
// repeat ("created twice") does not. ("stored", "saved" and "added" tell
// of other things too: "behind the stored one", "an ingress rule added".)
func saysItWasMade(toks []string, code int) bool {
	switch code {
	case 400, 404, 409, 422:
		return slices.Contains(toks, "created") && !tellsDuplicate(toks)
	}
	return false
}

// makeWords tell of something made.
var makeWords = wordSet("created", "creates", "create", "creating", "made", "makes")
