package bot

// Kind says what sort of answer the core gave.
type Kind string

// The kinds of answer. Their string values are part of the JSON contract.
const (
	KindStatus      Kind = "status"      // one code, named or numbered directly
	KindSearch      Kind = "search"      // codes ranked for a name, typo or question
	KindClass       Kind = "class"       // a class listing, e.g. 4xx
	KindCompare     Kind = "compare"     // two or more codes side by side
	KindNonstandard Kind = "nonstandard" // a number in 100-599 that no one defines
	KindInvalid     Kind = "invalid"     // not a possible status code, or unusable input
	KindNotFound    Kind = "not_found"   // nothing matched
	KindHelp        Kind = "help"        // how to use the bot
	KindExplain     Kind = "explain"     // the statuses a pasted text states or implies

	// KindRateLimited is the notice to a user held back by the abuse limits.
	// The command line never produces it.
	KindRateLimited Kind = "rate_limited"
	// KindBusy is the notice to a user whose question came when the bot was
	// already answering all it takes at once. The command line never
	// produces it.
	KindBusy Kind = "busy"
)

// Kinds lists every kind of answer, for those that count answers by kind.
// A new kind goes here too.
func Kinds() []Kind {
	return []Kind{KindStatus, KindSearch, KindClass, KindCompare, KindNonstandard, KindInvalid, KindNotFound, KindHelp, KindExplain,
		KindRateLimited, KindBusy}
}

// Result is what an answer found, in the stable JSON contract that
// `statusbot ask --json` prints: one field a fact, each omitted when it does
// not apply. It is a struct of its own so that the presentation in Answer
// can change without touching it.
type Result struct {
	Query       string `json:"query"`
	Kind        Kind   `json:"kind"`
	Codes       []int  `json:"codes,omitempty"` // ranked, best first; compared codes; the class's codes
	Class       int    `json:"class,omitempty"` // 1..5 for class and nonstandard
	Phrase      string `json:"phrase,omitempty"`
	Official    *bool  `json:"official,omitempty"`    // for status and search
	Reason      string `json:"reason,omitempty"`      // for invalid: "range" or "too_long"
	Suggestions []int  `json:"suggestions,omitempty"` // codes offered as Choices
	// Why is, for a search answer, the one line from the catalogue that made
	// the best code fit: the situation it matched, or the error it knows.
	Why string `json:"why,omitempty"`
	// Counts are, for an explain answer, the codes found in the text, most
	// frequent first, each with how many of its lines show it.
	Counts []Count `json:"counts,omitempty"`
	// Truncated says an explained text was longer than MaxExplainLen and
	// only its start was read.
	Truncated bool `json:"truncated,omitempty"`
}

// Answer is the core's platform-neutral reply to one query: its Result, and
// what adapters render, in order, adding nothing of their own. Text fields
// are plain text that may contain anything the user typed: adapters must
// escape them for their markup. Answers share their slices: treat an Answer
// as read-only.
type Answer struct {
	Result

	Title    string   `json:"title,omitempty"`     // "429 Too Many Requests", "Client error responses (4xx)"
	TitleURL string   `json:"title_url,omitempty"` // where the title links, if anywhere
	Text     string   `json:"text,omitempty"`      // the body: summary and explanation, or the message
	Fields   []Field  `json:"fields,omitempty"`    // labelled facts, in display order
	Items    []Item   `json:"items,omitempty"`     // a list: a class's codes, or help's examples
	Note     string   `json:"note,omitempty"`      // the small print: vendor, also-known-as, flags
	Links    []Link   `json:"links,omitempty"`     // documentation links, shown as link buttons
	Image    *Image   `json:"image,omitempty"`     // optional picture; never needed to understand the answer
	Choices  []Choice `json:"choices,omitempty"`   // suggestion buttons, best first (at most MaxChoices)
	Private  bool     `json:"private,omitempty"`   // help and errors: answer only to the asker where possible
	Tone     Tone     `json:"tone,omitempty"`
}

// Tone is the colour family of an answer: the class of its code (1..5),
// ToneUnofficial for a vendor code, or ToneNeutral.
type Tone int

// Tones that are not a class number.
const (
	ToneNeutral    Tone = 0
	ToneUnofficial Tone = 6
)

// MaxChoices is the most suggestion buttons an answer offers.
const MaxChoices = 5

// Field is one labelled fact. When URL is set, Value is the text of a link to it.
type Field struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	URL    string `json:"url,omitempty"`
	Inline bool   `json:"inline,omitempty"` // may sit beside its neighbours (side-by-side comparisons)
	Minor  bool   `json:"minor,omitempty"`  // small print (also-known-as, flags): may go with the Note
}

// Item is one line of a list: a code with its label and one-line detail, or
// (Code 0) an example query with what it does.
type Item struct {
	Code   int    `json:"code,omitempty"`
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
}

// Link is a documentation link, shown as a button.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Image is an optional picture with its alternative text.
type Image struct {
	URL string `json:"url"`
	Alt string `json:"alt"`
}

// Choice is a code offered as a suggestion, e.g. for autocomplete or a
// button. In autocomplete (see Suggest), Code 0 offers the text as typed.
type Choice struct {
	Code  int    `json:"code"`
	Label string `json:"label"` // "429 Too Many Requests"
}
