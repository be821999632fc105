package bot

// A request rate ("300 requests a second", "1000 actions/sec", "2000
// rps") says that a client sends many requests, as "too many" does, in
// words no catalogue text uses: it is read as one more word, "toomany", in
// the catalogue and in the question alike.

// rateUnits end a rate: the span of time it counts over.
var rateUnits = wordSet("second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour")

// rateAbbreviations are rates in one word: requests or queries a second,
// requests a minute.
var rateAbbreviations = wordSet("rps", "qps", "rpm", "tps")

// rateNouns are what a client sends many of.
var rateNouns = wordSet("requests", "request", "req", "reqs", "calls", "actions", "hits", "messages",
	"queries", "attempts", "logins", "pings", "posts", "transactions")

// ratePer may stand between what is counted and the span: "a second",
// "per minute", "each second".
var ratePer = wordSet("a", "an", "per", "each", "every")

// rateTerm returns "toomany" when toks[i] ends a request rate a client
// sends: a number, what it counts and the span ("firing 300 requests a
// second", "at 100 req/sec"), or a number and a rate in one word ("like
// 2000 rps"). Otherwise "".
func rateTerm(toks []string, i int) string {
	j := i - 1
	if !rateAbbreviations[toks[i]] {
		if !rateUnits[toks[i]] {
			return ""
		}
		if j >= 0 && ratePer[toks[j]] {
			j--
		}
		if j >= 0 && (toks[j] == "in" || toks[j] == "within") {
			j-- // "thousands of calls in a minute"
		}
		if j < 0 || !rateNouns[toks[j]] {
			return ""
		}
		j--
	}
	if j > 0 && (toks[j] == "of" || toks[j] == "k") {
		j-- // "thousands of requests", "3k rps"
	}
	if j < 0 || !isDigits(toks[j]) && !dozenWords[toks[j]] {
		return ""
	}
	for _, t := range toks[max(0, j-3):j] {
		if rateSenders[t] {
			return "toomany"
		}
	}
	return "" // "the dashboard shows 300 requests a second" tells a load, not a flood
}

// rateSenders, just before a rate, make it what a client sends: "firing
// 300 requests a second", "hammering the API at 900 calls per minute",
// "like 50 per second".
var rateSenders = wordSet("firing", "fires", "fired", "fire", "send", "sends", "sending", "sent", "hammering",
	"hammers", "hammered", "spamming", "spams", "spam", "making", "makes", "made", "doing", "does", "hitting",
	"hits", "hit", "at", "like", "with", "over", "get", "gets", "getting", "receive", "receives", "receiving",
	"flooding", "floods", "flood", "bursts", "burst", "past", "above", "beyond", "exceeding")
