package bot

// A format mismatch runs one of two ways, which the format's name alone
// does not tell: a client that sent a body the server does not take
// ("posted XML to a JSON-only API") gets 415, one that asked for a
// representation the server cannot make ("Accept: application/pdf, we only
// render JSON") gets 406. Where a text says a format is not handled ("only",
// "unsupported", or two formats named) the way each format it names runs
// is read from the nearest word in the same clause that sends or asks, as
// one more word, "formatsent" or "formatwanted", in the catalogue and in
// the question alike. A text that only names its body's format ("an empty
// JSON body"), or names it as broken or invalid, is about something else
// (400, 422) and is given neither.

// formatDirs are the words for the way a format runs.
var formatDirs = []string{"formatsent", "formatwanted"}

// formatWords name a format, once idioms are joined: "Content-Type" is
// "contenttype".
var formatWords = wordSet("contenttype", "format", "formats", "json", "xml", "csv", "yaml", "html",
	"pdf", "png", "jpeg", "jpg", "heic", "webp", "avif", "xlsx", "protobuf", "msgpack", "messagepack",
	"cbor", "multipart", "urlencoded")

// formatSent are words saying a format travels in the request: sent,
// uploaded, the body, what the server parses or takes. "contenttype", with
// no such word nearer, names the body's own format.
var formatSent = wordSet("send", "sends", "sent", "sending", "post", "posts", "posted", "posting",
	"postmethod", "upload", "uploads", "uploaded", "uploading", "submit", "submits", "submitted",
	"body", "bodies", "payload", "payloads", "contenttype", "consume", "consumes", "parse", "parses",
	"decode", "decodes", "read", "reads", "take", "takes", "receive", "receives", "received",
	"deliver", "delivers", "delivering", "labelled", "labeled", "declared")

// formatWanted are words saying a format is asked of the response: the
// Accept header, asking, wanting, what the server produces or serves.
var formatWanted = wordSet("acceptheader", "ask", "asks", "asked", "asking", "demand", "demands",
	"demanded", "requested", "insists", "prefers", "produce", "produces", "produced", "render",
	"renders", "rendered", "emit", "emits", "serve", "serves", "served", "offer", "offers", "export",
	"exports", "download", "downloads", "response", "responses", "representation", "negotiation")

// wantVerbs run the way their subject does: a client that wants, expects
// or accepts a format asks for a response in it ("the client wants XML
// back"), a server that does takes requests in it ("an endpoint that wants
// JSON"). With no subject named near, each runs its own usual way.
var wantVerbs = map[string]string{
	"want": "formatwanted", "wants": "formatwanted", "wanted": "formatwanted",
	"expect": "formatsent", "expects": "formatsent", "expected": "formatsent",
	"accept": "formatsent", "accepts": "formatsent", "require": "formatsent", "requires": "formatsent",
}

// serverWords name the side that answers, besides sides' "server": the
// endpoint a request is sent to.
var serverWords = wordSet("endpoint", "endpoints", "api", "apis", "handler", "handlers", "route",
	"controller", "importer")

// formatBroken, near a format, say the text is about a broken body, not
// a format the other side does not handle: "not valid JSON", "malformed
// XML", "a well-formed body that fails its JSON Schema".
var formatBroken = wordSet("bad", "valid", "invalid", "malformed", "broken", "unparseable", "garbled",
	"corrupt", "corrupted", "truncated", "formed", "schema", "syntax", "unclosed", "unquoted",
	"trailing", "stray", "half", "halfway", "missing", "fail", "fails", "failed", "value", "values")

// mismatchWords say that a format is not the one the other side handles.
var mismatchWords = wordSet("only", "unsupported", "not", "doesnt", "dont", "didnt", "isnt", "cant",
	"cannot", "never", "wrong", "different", "instead", "rather", "refuse", "refuses", "refused")

// formatWindow is how many words either side of a format its direction is
// looked for.
const formatWindow = 6

// subjectWindow is how many words before a verb of wanting its subject is
// looked for.
const subjectWindow = 4

// formatDirTerm returns "formatsent" or "formatwanted" when toks[i], a
// text's words with idioms joined, names a format the text says is not
// handled and the nearest word of direction in its clause says which way
// it runs; or "".
func formatDirTerm(toks []string, i int) string {
	if !formatWords[toks[i]] {
		return ""
	}
	dir := ""
	before, after := true, true
	for d := 1; d <= formatWindow && (before || after); d++ {
		for _, j := range [2]int{i - d, i + d} {
			if j < 0 || j >= len(toks) || j < i && !before || j > i && !after {
				continue
			}
			switch w := toks[j]; {
			case clauseBreaks[w]:
				before, after = before && j > i, after && j < i
			case formatBroken[w]:
				return ""
			case dir == "":
				dir = formatDirAt(toks, j)
			}
		}
	}
	if dir == "" && toks[i] == "contenttype" {
		dir = "formatsent" // the body's own format, unless said otherwise
	}
	if dir == "" || !formatMismatch(toks) {
		return ""
	}
	return dir
}

// formatMismatch tells whether a text's words say a format is one the
// other side does not handle: a word for it ("only", "unsupported",
// "wrong") or two formats named. A text that merely names its format, as
// in "an empty JSON body" or "Content-Type: application/json", is about
// something else: "format" and "contenttype" name no format of their own.
func formatMismatch(toks []string) bool {
	first := ""
	for _, w := range toks {
		switch {
		case mismatchWords[w]:
			return true
		case !formatWords[w] || w == "format" || w == "formats" || w == "contenttype" || w == first:
		case first != "":
			return true
		default:
			first = w
		}
	}
	return false
}

// formatDirAt returns the way a format runs that toks[j] says, or "".
func formatDirAt(toks []string, j int) string {
	switch w := toks[j]; {
	case formatSent[w]:
		return "formatsent"
	case formatWanted[w]:
		return "formatwanted"
	case wantVerbs[w] == "" || j+1 < len(toks) && toks[j+1] == "acceptheader":
		// "Accept:" is read "accept acceptheader": the header, not the verb.
		return ""
	}
	for k := j - 1; k >= 0 && k >= j-subjectWindow && !clauseBreaks[toks[k]]; k-- {
		switch {
		case sides[toks[k]] == "client":
			return "formatwanted"
		case sides[toks[k]] == "server" || serverWords[toks[k]]:
			return "formatsent"
		}
	}
	return wantVerbs[toks[j]]
}
