package bot

import (
	"slices"
	"strings"
)

// Some questions are not about one code: a greeting or "how do I use
// this?" wants the help, and "all the codes where the client got it wrong"
// wants a class listing. These word lists recognise them in any wording.

// helpWords ask how to use the bot, or greet it.
var helpWords = wordSet(
	"help", "helps", "usage", "commands", "command", "options", "capabilities", "capability",
	"understand", "support", "supports", "supported", "know", "knows", "drive", "work", "works",
	"operate", "start", "started", "begin", "tutorial", "guide", "manual", "docs",
	"documentation", "instructions", "examples", "example", "syntax", "ask", "questions",
	"question", "able", "handle", "cheat", "sheet", "menu", "info", "introduce", "yourself",
	"thing", "tool", "u", "ur", "things", "features", "does", "supposed", "need", "want",
	"kind", "kinds", "throw", "type", "accept", "accepts", "input", "inputs", "phrase", "slash",
	"hey", "hi", "hello", "yo", "morning", "good", "evening", "afternoon", "gm", "sup", "howdy",
	"hiya", "greetings", "everyone", "folks", "guys",
	"team", "there", "who", "where", "here", "new", "first", "time", "try", "trying", "ok", "okay",
	"cool", "nice", "great", "awesome", "wassup", "whatsup", "heya", "hallo", "hola", "ping",
	"alive", "exactly", "actually", "again", "use", "using", "used", "working", "stuff",
	"queries", "query", "man", "h", "heyy", "heyyy", "hii", "hiii", "hey", "accept", "accepts",
	"explain", "explains", "explaining", "besides", "single", "else", "other", "more", "capable",
	"input", "inputs", "formats", "format", "write", "type", "some", "sample", "samples", "show",
	"uh", "um", "umm", "hmm", "erm", "prefix", "prefixes", "just", "only", "look", "lookup", "up",
	"bot", "kind", "kinds", "answer", "answers", "im", "typing", "typed", "phrase", "phrasing", "somewhere", "anywhere", "talk", "chat", "speak", "name", "names", "number", "numbers", "instead", "take", "takes", "asking", "halp", "bonjour", "salut", "ciao", "ola", "merhaba", "namaste", "privet", "without",
	// The bot's own name, and who asks where.
	"statusbot", "channel", "joined", "join", "newbie", "noob", "contractor", "newcomer", "drop", "dump",
	"slack", "discord", "terminal", "cli", "before", "never", "explained",
	// Where and how: "does it work in DMs too?", "a special syntax?",
	// "two codes side by side", "in a full sentence".
	"dm", "dms", "private", "privately", "thread", "threads", "special", "side", "full", "too", "may",
	// Politeness and asides ("sorry, new here", "kindly explain", "abeg",
	// "lol"), and Spanish ("como se usa este bot?"), which ask nothing
	// by themselves (see interjections).
	"sorry", "kindly", "abeg", "lol", "please", "pls", "plz", "como", "se", "usa", "funciona", "este",
)

// isHelp reports whether a question is only greetings and words about
// using the bot: "hey statusbot", "so how do I drive this thing". One of
// only stopwords ("what code", "which one?") asks about a situation it
// does not tell, and gets "not found".
func isHelp(toks []string) bool {
	// "can I paste a stack trace here", "do you take slash commands": a
	// question about what the bot can do.
	asks := len(toks) > 2 && capabilityOpeners[toks[0]] && (toks[1] == "i" || toks[1] == "you" || toks[1] == "it")
	// "how do I get a whole class of codes", "what should I type": how to
	// ask, when every other word is about asking.
	asks = asks || len(toks) > 2 && (toks[0] == "how" || toks[0] == "what") && (toks[1] == "do" || toks[1] == "can" || toks[1] == "should") && toks[2] == "i" &&
		slices.ContainsFunc(toks[3:], func(t string) bool { return askVerbs[t] || askedForms[t] })
	for i, t := range toks {
		if !stopwords[t] && !helpWords[t] && !inputWord(toks, i) || t == "should" && !asksHowToAsk(toks[i+1:]) && slices.ContainsFunc(toks, func(u string) bool { return pickWords[u] }) ||
			t == "which" && slices.ContainsFunc(toks, func(u string) bool { return pickVerbs[u] }) {
			return false // "what code should I use", "which status would you use there": a situation
		}
		asks = asks || helpWords[t] && !interjections[t] || t == "you" || t == "your" // "what can you do"
	}
	return asks
}

// asksHowToAsk reports whether the words after "should" ask how to put a
// question to the bot: "what should I type to get two codes compared".
func asksHowToAsk(toks []string) bool {
	return len(toks) > 1 && toks[0] == "i" && askVerbs[toks[1]]
}

// askVerbs put a question to the bot; askedForms are the kinds of answer
// one may ask it for.
var (
	askVerbs   = wordSet("type", "write", "enter", "ask", "say", "phrase")
	askedForms = wordSet("compare", "compared", "comparing", "comparison", "class", "classes", "list", "listed", "listing")
)

// capabilityOpeners, before "I", "you" or "it", open a question about what
// the bot can do: "can I describe my situation in plain english?".
var capabilityOpeners = wordSet("can", "could", "do", "does", "may")

// inputWord reports whether toks[i] names, in general, what a user may
// give the bot or get from it: not "the error" or "this situation", which
// point at one the text does not tell ("what would you return in this
// situation?"), nor an error alone ("got an error, help?"), only a kind of
// one ("paste an error log").
func inputWord(toks []string, i int) bool {
	switch t := toks[i]; {
	case t == "error":
		// "paste an error log", "a stack trace or only the error code".
		return i+1 < len(toks) && (toks[i+1] == "log" || toks[i+1] == "logs" || toks[i+1] == "message" || toks[i+1] == "messages" ||
			(toks[i+1] == "code" || toks[i+1] == "codes") && slices.Contains(toks[:i], "only"))
	case !inputWords[t]:
		return false
	case i > 0 && pointers[toks[i-1]]:
		return t != "errors" && t != "situation" && t != "situations" && t != "message" && t != "messages"
	}
	return true
}

// pointers point at one thing the conversation already has.
var pointers = wordSet("the", "this", "that", "these", "those")

// inputWords name what a user may give the bot or get from it. They may
// stand in a help question ("how does this bot work, do I paste logs or
// just numbers?") but do not ask for help by themselves ("error again",
// "what code?").
var inputWords = wordSet(
	"code", "codes", "status", "statuses", "errors", "situation", "situations", "describe",
	"describing", "plain", "english", "language", "words", "paste", "pasting", "pasted", "log", "logs",
	"stack", "trace", "traces", "traceback", "tracebacks", "sorts", "sort", "something", "anything",
	"even", "get", "back", "tell", "vs", "versus", "like", "message", "messages", "compare", "compared",
	"comparing", "comparison", "two", "class", "classes", "whole", "give", "giving", "enter", "list",
	"listed", "listing", "rather", "sentence", "sentences", "line", "lines", "group", "groups", "range",
	"ranges", "family", "families", "error", "pages", "way", "see", "once",
)

// pickWords, with "should", ask which code to pick, not how to ask the bot.
var pickWords = wordSet("code", "codes", "status", "statuses", "one", "which", "return", "send", "respond", "reply")

// pickVerbs, after "which", ask which code to pick: "which code do I use
// here".
var pickVerbs = wordSet("use", "return", "send", "pick", "choose", "give")

// interjections may stand in a help question ("uh how does this thing
// work") but do not ask for help by themselves ("hmm what status should
// this be").
var interjections = wordSet("uh", "um", "umm", "hmm", "erm", "again", "ok", "okay", "actually", "exactly", "just", "only", "there", "here",
	"sorry", "kindly", "abeg", "lol", "please", "pls", "plz", "como", "se", "usa", "funciona", "este")

// classWords point at one class when a question asks for a listing.
var classWords = [6]map[string]bool{
	1: wordSet("informational", "interim", "provisional", "info", "information", "1xx"),
	2: wordSet("success", "successful", "succeeded", "successes", "ok", "okay", "positive", "2xx", "happy", "fine", "worked", "working"),
	3: wordSet("redirect", "redirects", "redirection", "redirections", "redirecting", "3xx", "forwarding", "moved", "elsewhere"),
	4: wordSet("client", "clients", "caller", "callers", "4xx", "requester", "consumer"),
	5: wordSet("server", "servers", "backend", "backends", "5xx", "serverside"),
}

// listCues say a question wants many codes, not one.
var listCues = wordSet(
	"all", "every", "list", "show", "codes", "ones", "family", "families", "class", "classes",
	"category", "categories", "kinds", "types", "group", "groups", "range", "series", "overview",
	"whole", "entire", "complete", "available", "possible", "different", "various", "errors",
	"responses", "statuses", "enumerate", "table", "each", "full",
)

// classFiller may stand beside a class's words in a listing question.
var classFiller = wordSet(
	"error", "errors", "fault", "faults", "side", "mistake", "mistakes", "wrong", "problem",
	"problems", "issue", "issues", "fail", "failure", "failures", "responses", "messages",
	"where", "ones", "codes", "family", "families", "class", "category", "categories", "kinds",
	"types", "group", "groups", "range", "series", "overview", "whole", "entire", "complete",
	"available", "possible", "different", "various", "statuses", "enumerate", "table",
	"everything", "full", "made", "caused", "blame", "went", "goes", "messed", "screwed",
	"broke", "side", "related", "family", "meaning", "like", "things", "stuff", "bunch",
	"kind", "sorts", "usual", "common", "standard", "official", "ok", "fine", "happy",
	"say", "says", "mean", "means", "everything", "went", "up", "tell", "telling", "signal", "indicate",
	"path", "need", "see", "know", "want", "way", "ways", "sent", "send", "back",
)

// describesSituation reports whether a question says more than which
// codes it wants listed: more than two words that are not about listing.
func describesSituation(toks []string) bool {
	other := 0
	for _, t := range toks {
		if _, _, ok := maskOf(t); ok || stopwords[t] || classFiller[t] || listCues[t] || chatter[t] || isDigits(t) {
			continue
		}
		other++
	}
	return other > 2
}

// asksToList reports whether a text asks to be shown a listing, whatever
// else it tells: "can you show all of the 1xx ones?", "list me the 4xx",
// "give me the full list of the 3xx family".
func asksToList(toks []string) bool {
	for i := 0; i+1 < len(toks); i++ {
		if listVerbs[toks[i]] && (toks[i+1] == "me" || toks[i+1] == "us" || toks[i+1] == "all" || toks[i+1] == "every") {
			return true
		}
		// "the full list of the 3xx", "the whole 5xx family".
		if wholeWords[toks[i]] && (toks[i+1] == "list" || slices.Contains(toks[i+1:min(len(toks), i+4)], "family")) {
			return true
		}
	}
	for i, t := range toks {
		// "5xx list, need it for the runbook", "the full 3xx list", "for
		// my cheat sheet".
		if t == "list" && i > 0 && (isMask(toks[i-1]) || i > 1 && wholeWords[toks[i-2]] && isMask(toks[i-1])) ||
			t == "cheat" && i+1 < len(toks) && toks[i+1] == "sheet" {
			return true
		}
	}
	return false
}

// isMask reports whether t names a class or part of one by mask: "4xx",
// "41x".
func isMask(t string) bool {
	_, _, ok := maskOf(t)
	return ok
}

// wholeWords, before "list" or a class's "family", ask for all of it.
var wholeWords = wordSet("full", "whole", "complete", "entire")

// listVerbs ask for a listing.
var listVerbs = wordSet("show", "list", "enumerate")

// classIntent returns the class a listing question asks for, or 0: one
// class's words, a word asking for many codes, and little else.
func classIntent(toks []string) int {
	cue, quantified, class, other, weak := false, false, 0, 0, true
	for i, t := range toks {
		switch {
		case quantifiers[t]:
			quantified = true
			// "every code where the request succeeded" lists, as
			// "every code" asks for many.
			cue = cue || i+1 < len(toks) && (toks[i+1] == "code" || toks[i+1] == "status")
		case listCues[t]:
			cue = true
		}
		found := 0
		for n := 1; n <= 5; n++ {
			if classWords[n][t] {
				found = n
			}
		}
		if (found == 4 || found == 5) && i+1 < len(toks) && agentVerbs[toks[i+1]] {
			// "the interim responses a server can send": the side
			// that acts, not the class of its errors.
			continue
		}
		switch {
		case found != 0 && class != 0 && found != class:
			return 0 // "client" and "server": not one class
		case found != 0:
			class = found
			weak = weak && describesEvent[t]
		case stopwords[t] || classFiller[t] || listCues[t]:
		default:
			other++
		}
	}
	// "all the server errors" lists a class, but "all backends unhealthy"
	// tells of one: a quantifier alone is a cue only with nothing else.
	if !cue && (!quantified || other > 0) || other > 2 {
		return 0
	}
	if class != 0 && weak && other >= 2 {
		// "range request served fine", "order list fetched fine": a
		// word that tells how one request went, among others that tell
		// of it, is a story, not the success class.
		return 0
	}
	if class == 0 && cue && slices.ContainsFunc(toks, func(t string) bool { return faultWords[t] }) &&
		slices.ContainsFunc(toks, func(t string) bool { return t == "codes" || t == "statuses" || t == "ones" }) {
		// "which codes mean my request was wrong", "the 'your fault'
		// ones": the asker's fault, listed, is the client's class.
		return 4
	}
	return class
}

// faultWords, in a listing question with no class word, blame the asker:
// "the codes for when I messed up".
var faultWords = wordSet("fault", "faults", "wrong", "mistake", "mistakes", "messed", "screwed", "blame")

// describesEvent are class words that also tell how one request went.
var describesEvent = wordSet("fine", "ok", "okay", "worked", "working", "happy", "positive")

// agentVerbs, after "server" or "client", make it the side that acts.
var agentVerbs = wordSet("can", "may", "might", "will", "would", "should", "sends", "send", "returns", "return",
	"gives", "uses", "answers", "replies")

// quantifiers are list cues that also quantify a story's nouns.
var quantifiers = wordSet("all", "every", "each", "whole", "entire", "complete", "full")

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
		lexicon[w] = true
	}
	return m
}

// lexicon holds every word of every word set the readings use: the words
// a misspelt word of a question may be corrected to besides the
// catalogue's names and keywords ("alredy" is "already").
var lexicon = map[string]bool{}

// statusIntent are words that ask for a status: "which code", "what should
// the API return", "status?".
var statusIntent = wordSet(
	"status", "statuses", "code", "codes", "return", "returns", "returned", "returning", "respond",
	"responds", "response", "reply", "replies", "answer", "answers", "2xx", "3xx", "4xx", "5xx",
)

// asksForStatus reports whether a question asks which status to send or
// what one means, as situational questions do ("which status when ...").
func asksForStatus(toks []string) bool {
	for _, t := range toks {
		if statusIntent[t] {
			return true
		}
	}
	return asksWhatIsReceived(toks)
}

// asksWhatIsReceived reports whether a text asks what someone gets back:
// "what should request 61 get", "what do the callers receive", "what will
// users see", "what should it say", "what should come back".
func asksWhatIsReceived(toks []string) bool {
	for i, t := range toks {
		if t != "what" {
			continue
		}
		for j := i + 1; j < min(len(toks), i+3); j++ {
			if !modalWords[toks[j]] {
				continue
			}
			for _, u := range toks[j+1 : min(len(toks), j+7)] {
				if receiveVerbs[u] {
					return true
				}
			}
		}
	}
	return false
}

// modalWords ask what should or does happen; receiveVerbs, after them,
// ask what someone gets back.
var (
	modalWords   = wordSet("should", "would", "will", "do", "does", "did", "must", "shall")
	receiveVerbs = wordSet("get", "receive", "see", "send", "give", "say", "come")
)

// tellsSuccess reports whether a text tells of a request that went well
// ("login ok, sending back the token", "comment posted successfully",
// "healthcheck says db and cache fine") and of nothing going wrong: no
// failure, no negation, no "but". Such a story wants a success code, even
// when its words ("login", "token") are those of failures too.
func tellsSuccess(toks []string) bool {
	success := false
	for i, t := range toks {
		switch {
		case successWords[t]:
			success = true
		case t == "all" && i+1 < len(toks) && toks[i+1] == "good":
			success = true
		case troubled(t):
			return false
		}
	}
	return success
}

// blamesServer reports whether a text puts the fault in the server's own
// code or setup ("our code has an off-by-one", "a bug in my handler", "our
// config lost a key"), where the answer is a server error however the
// request is described.
func blamesServer(toks []string) bool {
	for i, t := range toks {
		if t != "our" && t != "my" && t != "own" {
			continue
		}
		for _, n := range toks[i+1 : min(i+3, len(toks))] {
			if faultNouns[n] {
				return true
			}
		}
	}
	return false
}

// faultNouns are the parts of a server that can be at fault.
var faultNouns = wordSet("code", "bug", "bugs", "config", "configuration", "migration", "deploy",
	"deployment", "secret", "secrets", "handler", "env")

// successWords say that something went well.
var successWords = wordSet("ok", "okay", "success", "successful", "successfully", "succeeded", "succeeds",
	"fine", "healthy", "works", "worked", "smoothly")

// troubleWords say that something went wrong, or turn a success around.
var troubleWords = wordSet("but", "not", "no", "never", "without", "except", "however", "although", "though",
	"wrong", "broken", "missing", "denied", "refused", "rejected", "reject", "expired", "crash", "crashed",
	"timeout", "down", "unless", "instead", "already", "too", "exceeded", "exceeds", "blocked", "problem",
	"issue", "bug", "nothing", "empty", "unauthorized", "forbidden", "conflict", "duplicate", "nonexistent")

// apostropheNot are negations written without their apostrophe, as the
// tokenizer leaves them.
var apostropheNot = wordSet("cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "wouldnt", "shouldnt",
	"couldnt", "arent", "werent", "hasnt", "havent", "aint")

// asksForOther reports whether a question asks for something other than a
// status: "which header sets the cache lifetime", "what method should a
// search use". A status is not its answer, however well its words match
// one, unless it also asks for a status ("which header goes with the
// status"), which the caller knows from asksForStatus.
func asksForOther(toks []string) bool {
	for i, t := range toks {
		span := 4
		switch t {
		case "which", "what", "whats":
		case "recommend", "suggest", "recommendations", "suggestions":
			span = 6 // "recommend a good rate limiting library for go"
		default:
			continue
		}
		for _, n := range toks[i+1 : min(len(toks), i+span)] {
			if otherAnswers[n] {
				return true
			}
		}
	}
	return false
}

// otherAnswers are the things a question may ask for instead of a status.
var otherAnswers = wordSet("header", "headers", "method", "methods", "verb", "verbs", "port", "ports",
	"tool", "tools", "library", "libraries", "command", "commands", "flag", "flags", "setting", "settings",
	"directive", "directives", "field", "fields", "option", "options", "framework", "frameworks", "format",
	"formats", "column", "columns", "approach", "approaches", "algorithm", "algorithms", "database",
	"databases", "language", "languages", "pattern", "patterns", "strategy", "strategies")

// asksSomethingElse reports whether a text asks, anywhere in it, how to do
// something or who should, or asks someone for a favour ("how do I write
// a test for it", "who should get access", "can someone review my PR"):
// whatever story it tells, a status does not answer that.
func asksSomethingElse(toks []string) bool {
	for i, t := range toks {
		next := nextWord(toks, i)
		switch {
		case t == "who" && whoAsks[next],
			t == "how" && (next == "to" || next == "do" || next == "can"):
			return true
		case (t == "can" || t == "could" || t == "does") && (next == "someone" || next == "anyone" || next == "somebody"),
			t == "anyone" && next == "know":
			// "can someone tell me which status ...", "anyone know what
			// code ...": the favour asked is a status.
			if rest := toks[i+2:]; !namesStatusAsked(rest) || disclaims(rest) {
				return true
			}
		}
	}
	return false
}

// disclaims reports whether toks say what they are not asking: "not
// asking about what they return".
func disclaims(toks []string) bool {
	for i := 0; i+1 < len(toks); i++ {
		if (negations[toks[i]] || apostropheNot[toks[i]]) && (toks[i+1] == "asking" || toks[i+1] == "about") {
			return true
		}
	}
	return false
}

// namesStatusAsked reports whether toks ask which status: "what code",
// "which status", "what's the response", "what we send".
func namesStatusAsked(toks []string) bool {
	for i, t := range toks {
		if t == "what" || t == "which" || t == "whats" {
			return slices.ContainsFunc(toks[i+1:min(len(toks), i+4)], func(n string) bool { return statusNouns[n] || replyWords[n] || sendVerbs[n] })
		}
	}
	return false
}

// whoAsks, after "who", ask who should: "who should get access", "who
// owns it"; not "a user who is logged in".
var whoAsks = wordSet("should", "can", "could", "will", "would", "owns", "gets", "do", "does", "wants")

// isHowTo reports whether a question asks how to do something or what a
// thing is ("how do I install nginx", "what is REST"), which a status code
// does not answer.
func isHowTo(toks []string) bool {
	if len(toks) < 2 {
		return false
	}
	switch toks[0] {
	case "how":
		if toks[1] == "should" && slices.ContainsFunc(toks[2:min(len(toks), 7)], func(t string) bool { return replyWords[t] }) {
			return false // "how should the api respond when ...": a status asked for
		}
		return toks[1] == "do" || toks[1] == "to" || toks[1] == "can" || toks[1] == "does" || toks[1] == "should" ||
			toks[1] == "much" || toks[1] == "many" || toks[1] == "long" || toks[1] == "often"
	case "what", "whats":
		// "what's the status for ...", "what is the right code when ...":
		// a status asked for, not a thing to define.
		if slices.ContainsFunc(toks[1:min(len(toks), 5)], func(t string) bool { return statusNouns[t] }) {
			return false
		}
		return toks[1] == "is" || toks[1] == "are" || toks[1] == "best" || toks[1] == "s" || toks[0] == "whats" || toks[1] == "port"
	case "explain", "why", "write", "convert", "install", "configure", "setup", "where", "who", "difference":
		return true
	}
	return false
}

// replyWords, after "how should", ask how a server answers: a status.
var replyWords = wordSet("respond", "reply", "answer", "react", "return")

// namesMethod reports whether a text names a request method ("a PUT",
// "posting", "the verb") or the Allow header, as a question about 405 does.
func namesMethod(toks []string) bool {
	return slices.ContainsFunc(toks, func(t string) bool { return strings.HasSuffix(t, "method") || methodNames[t] })
}

// methodNames name request methods, or methods as such, in lower case.
var methodNames = wordSet("method", "methods", "verb", "verbs", "allow", "get", "gets", "post", "posts", "posting",
	"posted", "put", "puts", "patch", "patches", "patching", "delete", "deletes", "deleting", "head", "options",
	"trace", "connect", "propfind", "proppatch", "mkcol", "copy", "move", "lock", "unlock")

// aboutOtherProtocol reports whether a text is about another protocol's or
// program's codes ("FTP server says 530 Login incorrect", "SIP trunk keeps
// returning 486", "exit code 137", "SQLSTATE 23505") and names nothing of
// the web: no HTTP status answers it.
func aboutOtherProtocol(toks []string) bool {
	other := false
	for i, t := range toks {
		switch {
		case webWords[t]:
			return false
		case otherProtocols[t], t == "exit" && i+1 < len(toks) && (toks[i+1] == "code" || toks[i+1] == "status"):
			other = true
		}
	}
	return other
}

// otherProtocols name protocols, databases and programs whose codes are
// not HTTP statuses.
var otherProtocols = wordSet("smtp", "ftp", "sftp", "ftps", "sip", "ssh", "imap", "pop3", "ldap", "sqlstate",
	"mysql", "postgres", "postgresql", "psql", "oracle", "ora", "tns", "mongodb", "oomkilled", "filezilla", "bash",
	"rabbitmq", "amqp", "mqtt", "smpp", "telnet", "winerror")

// webWords name the web: a text with one of them may be about HTTP after all.
// An app's "clients" are its callers ("we want clients to retry").
var webWords = wordSet("http", "https", "api", "apis", "endpoint", "endpoints", "rest", "graphql", "webhook",
	"webhooks", "url", "urls", "browser", "website", "web", "site", "page", "nginx", "apache", "proxy", "gateway",
	"cdn", "cloudflare", "curl", "request", "requests", "response", "responses", "route", "routes", "ingress",
	"frontend", "backend", "handler", "controller", "middleware", "laravel", "illuminate", "django", "rails", "clients",
	"spring", "express", "flask", "fastapi", "symfony", "aspnet", "kestrel", "tomcat")

// statusNouns name what a status question asks for.
var statusNouns = wordSet("status", "statuses", "code", "codes", "response")

// logWords speak of a server's logs.
var logWords = wordSet("log", "logs", "logged", "logging", "logfile")

// conjunctions join two clauses or two codes.
var conjunctions = wordSet("and", "but", "or", "nor")

// anotherWords ask for a code other than one the text mentions: "it
// returns 200 with null; what should it send instead?", "is there a better
// code?", "after a 302 the POST became a GET, which code stops that?".
var anotherWords = wordSet("instead", "better", "rather", "alternative", "alternatives", "else", "misleading",
	"unsure", "different", "stops", "prevents", "avoids", "clearer", "nicer", "cleaner", "apter")

// doubtWords before "wrong" or "off" doubt the code a text mentions ("that
// feels wrong", "it seems off", "my reviewer says that's wrong"); "what
// went wrong" asks about it instead.
var doubtWords = wordSet("feels", "feel", "felt", "seems", "seem", "seemed", "looks", "look", "sounds", "sound",
	"thats")

// oddWords, after doubtWords, doubt a code: "feels wrong", "looks off",
// "seems strange".
var oddWords = wordSet("wrong", "off", "strange", "weird", "odd", "misleading", "incorrect")

// exactWords, after "more" or "a", ask for a code closer to the case than
// the one mentioned.
var exactWords = wordSet("specific", "precise", "exact", "accurate", "fitting", "suitable")

// fitWords, after "more", ask for a code that fits better than the one
// mentioned: "which would be more appropriate?", "a more meaningful one".
var fitWords = wordSet("appropriate", "correct", "proper", "meaningful", "informative", "descriptive", "semantic",
	"helpful", "standard", "sensible", "honest", "useful", "expressive", "idiomatic", "clear", "explicit",
	"restful", "truthful", "right", "apt")

// wouldHave reports whether toks, the words after "would" or "could", go
// on to a past "have": "an expert have returned", "we have used"; not
// "have to retry".
func wouldHave(toks []string) bool {
	i := slices.Index(toks, "have")
	return i >= 0 && (i+1 >= len(toks) || toks[i+1] != "to")
}

// asksForAnother reports whether a text asks to replace a code it mentions.
func asksForAnother(toks []string) bool {
	for i, t := range toks {
		if anotherWords[t] || oddWords[t] && i > 0 && doubtWords[toks[i-1]] ||
			t == "than" && i > 0 && otherWords[toks[i-1]] { // "other than the 404 it gives now"
			return true
		}
		// "don't just return 200", "never send 500 for that".
		if (t == "dont" || t == "never") && i+1 < len(toks) && replyVerbs[toks[i+1]] {
			return true
		}
		// "which redirect should I have used?": the one used was wrong.
		if t == "shouldve" || t == "should" && slices.Contains(toks[i+1:min(len(toks), i+4)], "have") {
			return true
		}
		// "what would an expert have returned?", "which code could we
		// have used?"; not "the client would have to retry".
		if t == "wouldve" || t == "couldve" || (t == "would" || t == "could") && wouldHave(toks[i+1:min(len(toks), i+5)]) {
			return true
		}
		// "I'm not sure it's right"; "a duplicate username, not 500".
		// ("308 and not 301" only contrasts the two.)
		if t == "not" && i+1 < len(toks) && (toks[i+1] == "sure" || len(toks[i+1]) == 3 && isDigits(toks[i+1]) && i > 0 && !conjunctions[toks[i-1]]) {
			return true
		}
		// "is there a more specific code?", "we need a precise one".
		if (t == "more" || t == "a") && i+1 < len(toks) && exactWords[toks[i+1]] || t == "more" && i+1 < len(toks) && fitWords[toks[i+1]] {
			return true
		}
		// "what should it really be?"
		if t == "should" && slices.ContainsFunc(toks[i+1:min(len(toks), i+4)], func(u string) bool { return u == "really" || u == "actually" }) {
			return true
		}
		// "the API returns 500 for it; what should it be?", "the
		// backend throws a 500, what SHOULD it return": the code sent now
		// is told before the question, which asks for the right one.
		if sendVerbs[t] && sendsNumber(toks[i+1:]) && asksWhatShould(toks[i+1:]) {
			return true
		}
		// "we currently return 403 for it", "right now we send 200": what
		// a team sends now is what it asks about replacing.
		if t == "currently" || t == "rn" || t == "right" && i+1 < len(toks) && toks[i+1] == "now" {
			for _, u := range toks[i+1 : min(len(toks), i+5)] {
				if sendVerbs[u] {
					return true
				}
			}
		}
	}
	return false
}

// asksWhatShould reports whether toks ask what a status should be:
// "what should it be", "what SHOULD it return", "which status should I put
// as expected"; not "should we stop sending?".
func asksWhatShould(toks []string) bool {
	for i, t := range toks {
		if t != "should" && t != "shouldnt" {
			continue
		}
		for _, u := range toks[i+1 : min(len(toks), i+11)] {
			if shouldVerbs[u] {
				return true // "what should it be", "what status should the used link return"
			}
		}
	}
	return false
}

// asksRightCode reports whether toks ask for the right code, by name:
// "what is the correct code for this?", "the proper gateway code", "which
// is the right one?", "I want the real answer"; not "is 200 fine here?",
// which checks one.
func asksRightCode(toks []string) bool {
	for i := 0; i+2 < len(toks); i++ {
		if toks[i] != "the" || !aptWords[toks[i+1]] {
			continue
		}
		for _, u := range toks[i+2 : min(len(toks), i+4)] {
			if statusNouns[u] || u == "one" || u == "answer" || u == "redirect" {
				return true
			}
		}
	}
	return false
}

// aptWords, after "the", ask for the code that fits.
var aptWords = wordSet("correct", "right", "proper", "appropriate", "accurate", "best", "real")

// shouldVerbs, after "should", ask for a status.
var shouldVerbs = wordSet("be", "return", "send", "get", "give", "reply", "answer", "respond", "put", "have", "use")

// sendsNumber reports whether toks, the words after a verb of sending,
// start with a number: "500", "a 500", "with 404".
func sendsNumber(toks []string) bool {
	for _, t := range toks[:min(len(toks), 2)] {
		if isDigits(t) && len(t) == 3 {
			return true
		}
		if !sendFillers[t] {
			return false
		}
	}
	return false
}

// sendFillers may stand between a verb of sending and its code: "returns a
// 404", "comes back with 500".
var sendFillers = wordSet("a", "an", "with", "back")

// beNumber reports whether toks hold "be" followed by a code: "(should)
// that be 404", "(should) it be a 409".
func beNumber(toks []string) bool {
	i := slices.Index(toks, "be")
	return i >= 0 && sendsNumber(toks[i+1:])
}

// sendsNumberWithin reports whether toks hold a verb of sending followed
// by a code: "a search that matches nothing return 404".
func sendsNumberWithin(toks []string) bool {
	for i, t := range toks {
		if sendVerbs[t] && sendsNumber(toks[i+1:]) {
			return true
		}
	}
	return false
}

// sendVerbs say what a server sends.
var sendVerbs = wordSet("return", "returns", "send", "sends", "answer", "answers", "respond", "responds",
	"reply", "replies", "give", "gives", "throw", "throws", "crash", "crashes", "use", "uses")

// replyVerbs, after "don't" or "never", refuse a code the text mentions.
var replyVerbs = wordSet("just", "return", "send", "use", "answer", "reply", "respond")

// questionWords start or make a question.
var questionWords = wordSet("what", "whats", "which", "should", "how", "why", "would", "could", "can", "is", "do", "does")

// isQuestion reports whether a text asks something, rather than only
// quoting an error or a log.
func isQuestion(raw string, toks []string) bool {
	for i := strings.IndexByte(raw, '?'); i >= 0; {
		// A question mark ends a question; in "/path?since=1" it starts a
		// query string.
		if i+1 == len(raw) || !isLetterByte(raw[i+1]) && !isDigit(raw[i+1]) {
			return true
		}
		j := strings.IndexByte(raw[i+1:], '?')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for i, t := range toks {
		// "Could not transfer artifact", "is not allowed": an error's
		// statement, not a question.
		if questionWords[t] && (i+1 == len(toks) || toks[i+1] != "not") || requestWords[t] {
			return true
		}
	}
	return false
}

// requestWords ask for an answer without a question mark: "please guide
// the correct one", "suggest a code", "wetin be the correct one".
var requestWords = wordSet("guide", "suggest", "advise", "recommend", "wetin", "kindly")

// chatter are words of chat and connective words that say nothing about a
// situation: greetings, thanks, hedges, time words.
var chatter = wordSet(
	"during", "while", "since", "because", "but", "though", "although", "even", "really", "actually", "basically", "literally", "maybe", "perhaps",
	"probably", "pretty", "quite", "very", "much", "many", "lot", "lots", "thing", "things", "stuff",
	"anyway", "anyways", "btw", "fyi", "imo", "imho", "tbh", "lol", "haha", "hmm", "um", "uh", "ok",
	"okay", "ty", "thx", "thanks", "thank", "cheers", "pls", "plz", "please", "hi", "hey", "hello",
	"morning", "evening", "afternoon", "folks", "guys", "team", "everyone", "all", "yall", "quick",
	"question", "q", "wondering", "wonder", "curious", "idea", "ideas", "think", "guess", "know",
	"sure", "correct", "right", "proper", "appropriate", "best", "good", "better", "recommend",
	"recommended", "standard", "usual", "typical", "typically", "normally", "generally", "here",
	"there", "now", "today", "yesterday", "tomorrow", "tonight", "currently", "im", "ive", "were", "weve", "theyre", "dont", "doesnt", "didnt", "cant", "wont",
	"isnt", "arent", "wasnt", "like", "just", "also", "again", "ever", "every",
	"yo", "heyy", "heyyy", "hii", "hiii", "hiya", "heya", "hallo", "hola", "sup", "bro", "dude", "mate",
)

// complainsOnly reports whether the content words of a text only complain
// that something fails, with nothing to say what ("something is wrong with
// the server again", "the api doesn't work for me"): no status fits that
// better than another, so the core asks for more rather than guess 500.
func complainsOnly(words []string) bool {
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !complaintWords[w] {
			return false
		}
	}
	return true
}

// complainsOfTopic reports whether a text only says that something is
// wrong with one topic: "something wrong with refunds since morning,
// status?", "something's wrong with the payroll api". The topic is not a
// situation; a second word, or one that tells what happened ("something
// wrong, the token expired"), may be.
func complainsOfTopic(toks, words []string) bool {
	if !slices.Contains(toks, "something") && !slices.Contains(toks, "somethings") ||
		!slices.ContainsFunc(toks, func(t string) bool { return oddness[t] }) {
		return false
	}
	topics := 0
	for _, w := range words {
		if complaintWords[w] || oddness[w] {
			continue
		}
		if topics++; topics > 1 || strings.HasSuffix(w, "ed") {
			return false
		}
	}
	return true
}

// oddness says that something is not as it should be.
var oddness = wordSet("wrong", "weird", "broken", "off", "odd", "strange", "happened", "funny", "fishy")

// complaintWords say that something fails, and where, in the vaguest
// terms.
var complaintWords = wordSet("something", "somethings", "wrong", "off", "broken", "broke", "work", "works",
	"working", "worked", "not", "server", "servers", "api", "apis", "app", "site", "website", "service",
	"request", "requests", "endpoint", "endpoints", "call", "calls", "page",
	"thing", "issue", "issues", "problem", "problems", "weird", "help", "still", "anymore", "me", "us",
	"went", "goes", "going", "idk", "dunno", "slow", "deploy", "deployment", "release", "update", "after", "since",
	// What any question may name without telling a situation: "what code
	// should the backend return for the new feature", "the PM asked me".
	"backend", "frontend", "feature", "features", "new", "response", "responses", "bug", "bugs",
	"customer", "customers", "complained", "complaint", "pm", "asked", "ask", "need", "needs",
	"talked", "discussed", "use", "one", "ticket", "return", "returns", "send", "sends", "get", "gets",
	"give", "gives", "answer", "answers", "reply", "replies", "respond", "responds")

// namesVaguely reports whether a text points at its situation only with a
// vague word and a topic ("the payment stuff", "the thing with the
// tokens", "the cache thing again"): a topic is not a situation, and
// which of its codes is meant the text does not say.
func namesVaguely(toks, words []string) bool {
	// A participle tells what happened to the thing: "thing got created,
	// which code" is a situation.
	tells := slices.ContainsFunc(words, func(w string) bool { return len(w) >= 6 && strings.HasSuffix(w, "ed") })
	return len(words) <= 2 && !tells && slices.ContainsFunc(toks, func(t string) bool { return vagueWords[t] })
}

// vagueWords stand for a situation without telling it.
var vagueWords = wordSet("thing", "things", "stuff", "whatever", "something")

// checksCode reports whether a text asks if the code it mentions is right
// ("is 401 correct for ...?", "we reply 204 to that. Right?"): the
// situation, not the mention, should decide.
func checksCode(toks []string) bool {
	for i, t := range toks {
		if checkWords[t] {
			return true
		}
		// "should we return 404 for that?", "should a search that matches
		// nothing return 404?", "should that be 404?"
		if t == "should" && (slices.ContainsFunc(toks[i+1:min(len(toks), i+4)], func(u string) bool { return sendVerbs[u] }) ||
			sendsNumberWithin(toks[i+1:min(len(toks), i+9)]) || beNumber(toks[i+1:min(len(toks), i+5)])) {
			return true
		}
		// "the PM wants a 404, dev wants 403", "the agency wants 302": a
		// code someone proposes, which the situation should decide.
		if proposeWords[t] && slices.ContainsFunc(toks[i+1:min(len(toks), i+8)], func(u string) bool { return len(u) == 3 && isDigits(u) }) {
			return true
		}
	}
	return false
}

// proposeWords tell of someone proposing a code.
var proposeWords = wordSet("wants", "suggests", "suggested", "insists", "proposes", "proposed")

// checkWords ask whether a code is right.
var checkWords = wordSet("correct", "right", "ok", "okay", "fine", "appropriate")

// asksHowToAct reports whether a text asks how to do something other than
// answer a request ("how do I renew the cert on the ingress?", "how to
// fix a merge conflict"), not how to tell a client something, which a
// status answers ("how do I tell the client to back off?").
func asksHowToAct(toks []string) bool {
	for i, t := range toks {
		if t != "how" || i+1 >= len(toks) {
			continue
		}
		j := i + 1
		switch {
		case toks[j] == "to":
			j++
		case j+1 < len(toks) && howModals[toks[j]] && actors[toks[j+1]]:
			j += 2
		default:
			continue
		}
		for j < len(toks) && (mannerWords[toks[j]] || strings.HasSuffix(toks[j], "ly")) {
			j++ // "how do I best tell", "how do we temporarily send"
		}
		if j < len(toks) && !answerVerbs[toks[j]] {
			return true
		}
	}
	return false
}

// howModals and actors open a how-to question: "how do I", "how can we".
var (
	howModals = wordSet("do", "can", "could", "should", "would", "shall")
	actors    = wordSet("i", "we", "you", "one")
)

// mannerWords may stand between a how-to's subject and its verb.
// (So may any adverb in -ly.)
var mannerWords = wordSet("best", "even", "just", "then", "now", "still")

// answerVerbs, after "how do I", ask how a server answers a request:
// what it tells the client is a status.
var answerVerbs = wordSet("tell", "say", "signal", "indicate", "mark", "flag", "reject", "refuse", "redirect", "send",
	"respond", "reply", "answer", "return", "report", "inform", "let", "notify", "handle", "stop", "deal",
	"communicate", "forward", "deny", "block", "express", "show", "ask", "get", "force", "prevent", "keep", "point",
	"move", "acknowledge", "accept", "announce", "warn", "give", "hint", "push", "throttle", "limit", "slow",
	"protect", "hide", "serve", "route", "reroute", "treat", "convey", "steer", "bounce", "confirm", "lock",
	"make", "have", "avoid", "explain", "mention", "clear", "reset", "cancel", "retire", "deprecate", "sunset", "turn")
