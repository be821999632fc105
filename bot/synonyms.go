package bot

import (
	"slices"
	"strings"
)

// People describe the same situation in different words: "the name is
// taken", "it already exists", "a duplicate". Two small tables bring such
// wordings together, for the catalogue and the question alike.

// idioms are multi-word expressions read as one word: "sign in" is "login",
// "at once" is "concurrently". Keys are the words as tokenised.
var idioms = map[string]string{
	"sign in": "login", "signed in": "login", "signing in": "login", "log in": "login",
	"logged in": "login", "logging in": "login", "log on": "login", "logged on": "login",
	"sign on": "login", "single sign": "sso",
	"log out": "logout", "logged out": "logout", "sign out": "logout", "signed out": "logout",
	"sign up": "signup", "signed up": "signup", "signing up": "signup", "register for": "signup",
	"at once": "concurrently", "same time": "concurrently", "simultaneously": "concurrently",
	"in parallel": "concurrently", "race condition": "race",
	"for good": "permanently", "for ever": "permanently", "forever": "permanently",
	"for now": "temporarily", "just this once": "temporarily", "only this once": "temporarily",
	"this one time": "temporarily", "for a while": "temporarily", "for the moment": "temporarily",
	"timed out": "timeout", "time out": "timeout", "times out": "timeout", "timing out": "timeout",
	"took too long": "timeout", "takes too long": "timeout", "taking too long": "timeout",
	"rate limit": "ratelimit", "rate limited": "ratelimit", "rate limiting": "ratelimit",
	"rate limits": "ratelimit", "rate limiter": "ratelimit", "rate limiters": "ratelimit", "ratelimiter": "ratelimit",
	"throttled": "ratelimit", "throttling": "ratelimit", "throttle": "ratelimit",
	"too many": "toomany", "way too many": "toomany",
	"too big": "toolarge", "too large": "toolarge", "too huge": "toolarge", "too long": "toolong",
	"too old": "outdated", "out of date": "outdated",
	"no longer": "nolonger", "not anymore": "nolonger", "any more": "nolonger", "anymore": "nolonger",
	"doesnt exist": "nonexistent", "does not exist": "nonexistent", "didnt exist": "nonexistent",
	"dont exist": "nonexistent", "no such": "nonexistent", "not exist": "nonexistent", "never existed": "nonexistent",
	"non existent": "nonexistent", "non existing": "nonexistent", "nonexisting": "nonexistent",
	"not existing": "nonexistent", "isnt existing": "nonexistent",
	"already deleted": "nonexistent", "already removed": "nonexistent", "already gone": "nonexistent",
	"already been deleted": "nonexistent", "already been removed": "nonexistent",
	"already exists": "duplicate", "already exist": "duplicate", "already taken": "duplicate",
	"already registered": "duplicate", "already in use": "duplicate", "already used": "duplicate",
	"is taken": "duplicate", "was taken": "duplicate", "already been": "already",
	"already in the": "duplicate", "already in our": "duplicate", "already on record": "duplicate",
	"already on file": "duplicate", "already in the past": "past",
	"somewhere else": "elsewhere", "some other place": "elsewhere", "another place": "elsewhere",
	"at all": "atall", "any url": "anywhere", "any urls": "anywhere", "any of its urls": "anywhere",
	"any resource": "anywhere", "every path": "anywhere", "every url": "anywhere",
	"pre signed": "presigned", "e mail": "email", "e mails": "emails", "read only": "readonly",
	"not valid": "invalid", "not even valid": "invalid", "isnt valid": "invalid", "isnt even valid": "invalid",
	"wasnt valid": "invalid", "arent valid": "invalid", "not a valid": "invalid", "isnt a valid": "invalid",
	"not parseable": "unparseable", "isnt parseable": "unparseable", "cant be parsed": "unparseable", "not well formed": "malformed", "isnt well formed": "malformed",
	"parses fine": "wellformed", "parse fine": "wellformed", "parsed fine": "wellformed", "parses ok": "wellformed",
	"parses correctly": "wellformed", "syntax is fine": "wellformed", "syntax is ok": "wellformed",
	"well formed": "wellformed", "syntactically valid": "wellformed", "otherwise valid": "wellformed",
	"not allowed": "disallowed", "isnt allowed": "disallowed", "not permitted": "disallowed",
	"no permission": "unpermitted", "no permissions": "unpermitted", "lacks permission": "unpermitted",
	"dont have permission": "unpermitted", "doesnt have permission": "unpermitted",
	"not logged": "unauthenticated", "not authenticated": "unauthenticated", "without login": "unauthenticated",
	"no token": "tokenless", "missing token": "tokenless", "without token": "tokenless",
	"no auth": "unauthenticated", "without auth": "unauthenticated",
	"w o":       "without", // "w/o"
	"went down": "outage", "is down": "outage", "goes down": "outage", "are down": "outage",
	"was down": "outage", "being down": "outage",
	"load balancer": "loadbalancer", "reverse proxy": "proxy", "api gateway": "gateway",
	"feature flag": "featureflag", "feature toggle": "featureflag", "feature flags": "featureflag",
	"query string": "querystring", "query params": "querystring", "query parameters": "querystring",
	"content type": "contenttype", "media type": "contenttype", "mime type": "contenttype",
	"screen name": "screenname", "gamer tag": "gamertag",
	"null pointer": "nullpointer", "null reference": "nullpointer", "null ref": "nullpointer", "nil pointer": "nullpointer",
	"blew up": "crash", "blows up": "crash", "blow up": "crash",
	"fell over": "crash", "falls over": "crash",
	"try again": "retry", "tries again": "retry", "trying again": "retry",
	"back off": "backoff", "backs off": "backoff",
	"not ready": "unready", "isnt ready": "unready", "warming up": "warmup", "warm up": "warmup",
	"starting up": "startup", "boots up": "startup", "booting up": "startup",
	// Saying there is nothing to send back.
	"no content": "nocontent", "nothing to return": "nocontent", "return nothing": "nocontent",
	"returns nothing": "nocontent", "return anything": "nocontent", "returns anything": "nocontent",
	"nothing back": "nocontent", "no body": "nocontent", "empty body": "nocontent",
	"without a body": "nocontent", "without body": "nocontent", "no response body": "nocontent", "no reply body": "nocontent",
	"nothing to send": "nocontent", "send nothing": "nocontent", "anything back": "nocontent",
	// Header fields, read as one word each: "if" alone is a stopword.
	"if match": "ifmatch", "if none match": "ifnonematch", "if modified since": "ifmodifiedsince",
	"if unmodified since": "ifunmodifiedsince", "if range": "ifrange", "content length": "contentlength",
	"content range": "contentrange", "retry after": "retryafter", "www authenticate": "wwwauthenticate",
	"proxy authenticate": "proxyauthenticate", "proxy authorization": "proxyauthorization",
	"idempotency key": "idempotencykey", "transfer encoding": "transferencoding",
	"accept encoding": "acceptencoding", "accept language": "acceptlanguage", "x forwarded for": "xforwardedfor",
	"set cookie": "setcookie", "cache control": "cachecontrol", "last modified": "lastmodified",
	// A header named as such keeps its name as a word too: "range header"
	// still finds 416 Range Not Satisfiable.
	"accept header": "accept acceptheader", "range header": "range rangeheader",
	"location header": "location locationheader", "allow header": "allow allowheader",
	"expect header": "expect expectheader", "upgrade header": "upgrade upgradeheader",
	"host header": "host hostheader", "origin header": "origin originheader",
	"cookie header": "cookie cookieheader", "authorization header": "authorization authorizationheader",
	"planned downtime": "maintenance", "planned maintenance": "maintenance", "scheduled maintenance": "maintenance",
	"scheduled downtime": "maintenance", "maintenance window": "maintenance", "maintenance mode": "maintenance",
	"easter egg": "joke", "april fools": "joke", "april fool": "joke",
	"captive portal": "captiveportal", "terms page": "captiveportal",
	"court order": "legal", "takedown notice": "takedown", "take down": "takedown", "taken down": "takedown",
	"gave up": "giveup", "gives up": "giveup", "give up": "giveup", "giving up": "giveup",
	"switched off": "disabled", "switch off": "disabled", "switches off": "disabled",
	"turned off": "disabled", "turn off": "disabled", "turns off": "disabled",
	"switched on": "enabled", "switch on": "enabled", "turned on": "enabled", "turn on": "enabled",
	"hung up": "disconnect", "hangs up": "disconnect", "closed the connection": "disconnect",
	"half written": "truncated", "cut off": "truncated", "cuts off": "truncated",
	"someone else": "another", "somebody else": "another", "other user": "another", "another user": "another",
	"two people": "concurrently", "two users": "concurrently",
	"past the end": "beyond", "after the end": "beyond", "beyond the end": "beyond",
	"never coming back": "gone", "not coming back": "gone", "isnt coming back": "gone",
	"never come back": "gone", "wont come back": "gone", "never be back": "gone", "not come back": "gone",
	"wont be back":   "gone",
	"makes no sense": "invalid", "make no sense": "invalid", "doesnt make sense": "invalid",
	"dont make sense": "invalid", "made no sense": "invalid", "didnt make sense": "invalid",
}

// wellFormedParts are what a text says is fine when only its content is
// wrong: "the JSON itself is fine, but quantity is -5" reads "json
// wellformed", as "parses fine" does; it is no story of success.
var wellFormedParts = wordSet("json", "body", "payload", "xml")

// wellFormedIdioms are "json is fine", "the body itself was valid" and the
// like, for each of wellFormedParts.
func wellFormedIdioms() map[string]string {
	m := map[string]string{}
	for part := range wellFormedParts {
		for _, itself := range []string{"", " itself"} {
			for _, be := range []string{"is", "was"} {
				for _, fine := range []string{"fine", "ok", "okay", "valid", "correct"} {
					m[part+itself+" "+be+" "+fine] = part + " wellformed"
				}
			}
		}
	}
	return m
}

// idiomsByFirst indexes idioms by their first word: word -> the idiom's
// other words and its reading, longest first.
var idiomsByFirst = func() map[string][]idiom {
	m := map[string][]idiom{}
	for k, v := range wellFormedIdioms() {
		ws := strings.Fields(k)
		m[ws[0]] = append(m[ws[0]], idiom{rest: ws[1:], as: v, words: strings.Fields(v)})
	}
	for k, v := range idioms {
		ws := strings.Fields(k)
		m[ws[0]] = append(m[ws[0]], idiom{rest: ws[1:], as: v, words: strings.Fields(v)})
	}
	for _, l := range m {
		slices.SortFunc(l, func(a, b idiom) int {
			if len(a.rest) != len(b.rest) {
				return len(b.rest) - len(a.rest)
			}
			return strings.Compare(a.as, b.as)
		})
	}
	return m
}()

type idiom struct {
	rest  []string
	as    string   // its reading
	words []string // the reading's words, split once
}

// joinIdioms replaces idioms in toks by their reading: one word, or a few;
// and follows a stretch of time something lasts for with "temporarily"
// (see spanAt), which the catalogue says where a question says how long.
func joinIdioms(toks []string) []string {
	for i := 0; i+1 < len(toks); i++ {
		if intensifiers[toks[i]] && toks[i+1] == "too" {
			// "takes far too long" is "takes too long": drop the
			// intensifiers first, so that longer idioms see "too".
			toks = dropIntensifiers(slices.Clone(toks))
			break
		}
	}
	out := toks[:0:0]
	for i := 0; i < len(toks); {
		if as, n := idiomAt(toks, i); n > 0 {
			out = append(out, as...)
			i += n
			continue
		}
		if n := spanAt(toks, i); n > 0 {
			out = append(out, toks[i:i+n]...)
			out = append(out, "temporarily")
			i += n
			continue
		}
		out = append(out, toks[i])
		i++
	}
	return out
}

// The readings read, from a text's words with idioms joined, what they
// say together and no word says alone: who quit (actorTerm), the state of
// a header (headerStateTerm), which way a format runs (formatDirTerm), what
// is too large (sizeTerm), that the thing asked for is not there
// (absenceTerm) or is someone else's (ownerTerm), a client's request rate
// (rateTerm), a byte range past the end (pastTheEnd), whether the user is
// logged in (loginTerm), that a thing's existence is hidden (hiddenTerm).
// Each returns the word for
// it at toks[i], or "", and may give one only at the words of its set.
const (
	readsQuit uint16 = 1 << iota
	readsHeader
	readsFormat
	readsSize
	readsAbsence
	readsOwner
	readsRate
	readsRange
	readsLogin
	readsHidden
)

// readsAt are the words readings are read at, each with the readings that
// may give a word there. At any other word none does, and reading the
// catalogue need not ask them.
var readsAt = func() map[string]uint16 {
	m := map[string]uint16{}
	for r, ws := range map[uint16][]map[string]bool{
		readsQuit:    {quitWords},
		readsHeader:  {conditionWords, rangeWords},
		readsFormat:  {formatWords},
		readsSize:    {sizeWords, countedParts},
		readsAbsence: {absenceWords},
		readsOwner:   {ownedWords},
		readsRate:    {rateUnits, rateAbbreviations},
		readsRange:   {wordSet("bytes")},
		readsLogin:   {wordSet("login")},
		readsHidden:  {hideVerbs, tellVerbs},
	} {
		for _, set := range ws {
			for w := range set {
				m[w] |= r
			}
		}
	}
	return m
}()

// readAt appends to out the words the readings in set give at toks[i].
// Each is called directly, not through a list of functions, so that toks
// stays on its caller's stack.
func readAt(toks []string, i int, set uint16, out []string) []string {
	add := func(w string) {
		if w != "" {
			out = append(out, w)
		}
	}
	if set&readsQuit != 0 {
		add(actorTerm(toks, i))
	}
	if set&readsHeader != 0 {
		add(headerStateTerm(toks, i))
	}
	if set&readsFormat != 0 {
		add(formatDirTerm(toks, i))
	}
	if set&readsSize != 0 {
		add(sizeTerm(toks, i))
	}
	if set&readsAbsence != 0 {
		add(absenceTerm(toks, i))
	}
	if set&readsOwner != 0 {
		add(ownerTerm(toks, i))
	}
	if set&readsRate != 0 {
		add(rateTerm(toks, i))
	}
	if set&readsRange != 0 {
		add(pastTheEnd(toks, i))
	}
	if set&readsLogin != 0 {
		add(loginTerm(toks, i))
	}
	if set&readsHidden != 0 {
		add(hiddenTerm(toks, i))
	}
	return out
}

// withReadings returns toks, a text's words with idioms joined, with the
// words that readings give after the word each is read at, so questions
// are read as readRun reads the catalogue.
func withReadings(toks []string) []string {
	out := toks[:0:0]
	for i, t := range toks {
		if disused(toks, i) {
			continue // a header the service does not use is no evidence of one
		}
		out = append(out, t)
		if set := readsAt[t]; set != 0 {
			out = readAt(toks, i, set, out)
		}
	}
	return out
}

// intensifiers before "too" add nothing to it: "far too long", "much too
// big".
var intensifiers = wordSet("far", "way", "much", "really", "so", "just")

// dropIntensifiers returns toks without the intensifiers before "too".
func dropIntensifiers(toks []string) []string {
	out := toks[:0]
	for i, t := range toks {
		if intensifiers[t] && i+1 < len(toks) && toks[i+1] == "too" {
			continue
		}
		out = append(out, t)
	}
	return out
}

// idiomAt returns the reading's words of the longest idiom starting at
// toks[i], and how many words it spans, or nil, 0.
func idiomAt(toks []string, i int) ([]string, int) {
	for _, id := range idiomsByFirst[toks[i]] {
		if i+1+len(id.rest) <= len(toks) && slices.Equal(toks[i+1:i+1+len(id.rest)], id.rest) {
			return id.words, 1 + len(id.rest)
		}
	}
	return nil, 0
}

// spanWords end a stretch of time something lasts for: "for two weeks",
// "for today", "until tomorrow".
var spanWords = wordSet("minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
	"month", "months", "today", "tonight", "weekend", "tomorrow", "morning", "afternoon", "evening")

// spanFillers may stand between "for" and the span: "for the next two
// days", "for a couple of hours", "for 48 hours".
var spanFillers = wordSet("a", "an", "the", "next", "few", "couple", "of", "two", "three", "four",
	"five", "several", "some", "this", "coming", "rest")

// spanAt returns how many words from toks[i] tell that something lasts a
// limited time ("for two weeks", "for today", "until tomorrow"), read as
// "temporarily" besides their own words; or 0.
func spanAt(toks []string, i int) int {
	if toks[i] != "for" && toks[i] != "until" && toks[i] != "till" {
		return 0
	}
	for j := i + 1; j < len(toks) && j <= i+4; j++ {
		switch t := toks[j]; {
		case spanWords[t]:
			return j - i + 1
		case !spanFillers[t] && !isDigits(t):
			return 0
		}
	}
	return 0
}

// synonymGroups are words that stand for one another in a situation. A
// question's word also matches its group's other words, at a discount.
var synonymGroups = [][]string{
	{"large", "big", "huge", "giant", "massive", "oversized", "enormous", "bulky", "toolarge", "heavy"},
	{"file", "upload", "attachment", "video", "image", "photo", "picture", "pdf", "media", "asset", "blob"},
	{"delete", "remove", "erase", "purge", "wipe", "retire", "decommission", "sunset", "discontinue", "deprecate", "drop", "unpublish"},
	{"login", "authenticate", "authentication", "auth", "credentials", "creds", "signin"},
	{"token", "jwt", "bearer", "apikey", "key", "credential"},
	{"expired", "expire", "lapsed", "revoked", "invalidated", "outdated"},
	{"permission", "privilege", "role", "rights", "entitlement", "scope", "unpermitted", "authorization"},
	{"forbid", "deny", "refuse", "reject", "block", "ban", "disallowed", "prohibit", "blacklist", "blocklist"},
	{"limit", "quota", "cap", "ratelimit", "allowance", "ceiling", "threshold"},
	{"toomany", "flood", "spam", "hammer", "burst", "excessive", "abuse", "spike", "bombard", "barrage"},
	{"timeout", "slow", "hang", "stuck", "unresponsive", "stall"},
	{"outage", "offline", "unavailable", "maintenance", "downtime", "overloaded", "overload", "busy"},
	{"move", "relocate", "migrate", "redirect", "forward", "rename", "transfer"},
	{"permanently", "permanent"},
	{"temporarily", "temporary", "briefly", "short"},
	{"duplicate", "dupe", "taken", "exists", "existing", "twice", "double", "clash", "collision", "collide", "conflict", "repeated"},
	{"concurrently", "concurrent", "simultaneous", "race", "parallel", "meanwhile", "another"},
	{"edit", "update", "modify", "change", "overwrite", "save"},
	{"version", "revision", "etag"},
	{"invalid", "malformed", "broken", "garbled", "corrupt", "corrupted", "bogus", "unparseable", "mangled", "incorrect", "wrong", "garbage", "gibberish", "junk", "negative", "nonsense", "nonsensical", "impossible"},
	{"missing", "absent", "omitted", "forgot", "lacks", "without"},
	{"nonexistent", "unknown", "deleted"},
	{"format", "contenttype", "json", "xml", "csv", "yaml", "protobuf", "encoding"},
	{"create", "new", "add", "insert", "register", "registration", "signup", "provision"},
	{"queue", "queued", "background", "async", "asynchronous", "later", "job", "deferred", "pending", "processing"},
	{"empty", "nothing", "blank", "bodyless"},
	{"payment", "pay", "billing", "subscription", "plan", "paywall", "premium", "card", "charge", "trial", "credit"},
	{"country", "region", "geo", "geoblock", "location", "jurisdiction", "sanction", "embargo"},
	{"legal", "court", "law", "lawsuit", "dmca", "takedown", "censorship", "government", "regulator", "copyright"},
	{"crash", "exception", "bug", "unhandled", "panic", "segfault", "nullpointer", "traceback", "npe", "nre"},
	{"proxy", "gateway", "loadbalancer", "ingress", "nginx", "cdn", "edge", "envoy", "alb", "elb", "haproxy", "traefik"},
	{"upstream", "backend", "origin"},
	{"cache", "cached", "conditional", "unchanged"},
	{"range", "partial", "chunk", "resume", "segment", "piece"},
	{"url", "uri", "link", "path", "address", "querystring"},
	{"lock", "locked", "checkout", "freeze", "frozen"},
	{"retry", "backoff", "again"},
	{"certificate", "cert", "tls", "ssl"},
	{"webhook", "callback"},
	{"health", "readiness", "liveness", "probe", "healthcheck", "unready"},
	{"featureflag", "flag", "toggle", "disabled"},
	{"giveup", "abandon", "cancel", "disconnect"},
	{"user", "customer", "visitor", "member", "account"},
	{"username", "nickname", "gamertag", "screenname"},
	{"tenant", "organisation", "organization", "workspace", "team"},
	{"order", "purchase", "checkout", "cart", "basket"},
	{"coupon", "voucher", "promo", "discount"},
	{"booking", "reservation", "seat", "ticket"},
}

// concepts maps the stem of each word of a synonym group to its group's
// concept, a term of its own ("~large") that every document using any of
// the group's words also holds. A question's word then matches the
// concept at a discount, once per document however many of the group's
// words it uses.
func buildConcepts() map[string][]string {
	m := map[string][]string{}
	for _, g := range synonymGroups {
		concept := "~" + g[0]
		for _, w := range g {
			s := stem(w)
			if !slices.Contains(m[s], concept) {
				m[s] = append(m[s], concept)
			}
		}
	}
	return m
}
