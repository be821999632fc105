package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

func itoa(n int) string { return strconv.Itoa(n) }

func ptr[T any](v T) *T { return &v }

// codeAnswer is the answer for one or more ranked codes; the first is shown.
// It starts from the code's prebuilt answer, so answers share their
// presentation slices: adapters must treat an Answer as read-only.
func (b *Bot) codeAnswer(query string, kind Kind, ranked []*catalog.Code) *Answer {
	a := *b.prebuilt(ranked[0])
	a.Query = query
	a.Kind = kind
	if len(ranked) > 1 {
		a.Entries = ranked
		a.Codes = make([]int, len(ranked))
		for i, r := range ranked {
			a.Codes[i] = r.Code
		}
		a.Suggestions, a.Choices = choicesOf(ranked[1:])
	}
	return &a
}

// prebuilt returns c's answer, building it the first time c is asked about.
// Answers built concurrently are equal; the first stored is kept.
func (b *Bot) prebuilt(c *catalog.Code) *Answer {
	p := &b.idx.answers[c.Code]
	if a := p.Load(); a != nil {
		return a
	}
	p.CompareAndSwap(nil, b.buildCodeAnswer(c))
	return p.Load()
}

// buildCodeAnswer renders everything an answer about c shows.
func (b *Bot) buildCodeAnswer(c *catalog.Code) *Answer {
	a := &Answer{
		Codes:    []int{c.Code},
		Phrase:   c.Phrase,
		Official: ptr(c.Official),
		Title:    c.Title(),
		TitleURL: docURL(c),
		Tone:     Tone(c.Code / 100),
		Entries:  []*catalog.Code{c},
	}
	if !c.Official {
		a.Tone = ToneUnofficial
	}
	a.Text = joinParas(c.Summary, c.Explanation)
	a.Fields = append(a.Fields, classField(c.Class()))
	if c.Spec.Name != "" {
		a.Fields = append(a.Fields, Field{Name: "Specification", Value: c.Spec.String(), URL: c.Spec.URL})
	}
	if len(c.Headers) > 0 {
		a.Fields = append(a.Fields, Field{Name: "Related headers", Value: headerList(c.Headers)})
	}
	if len(c.Aliases) > 0 {
		a.Fields = append(a.Fields, Field{Name: "Also known as", Value: strings.Join(c.Aliases, ", "), Minor: true})
	}
	if len(c.Flags) > 0 {
		a.Fields = append(a.Fields, Field{Name: "Flags", Value: flagList(c.Flags), Minor: true})
	}
	for _, m := range c.Also {
		a.Fields = append(a.Fields, Field{Name: "Also used by " + m.Vendor, Value: joinSentence(m.Phrase, m.Summary), URL: httpsOnly(m.Source)})
	}
	if len(c.Constants) > 0 {
		a.Fields = append(a.Fields, Field{Name: "In code", Value: constantList(c.Constants)})
	}
	if len(c.SeeAlso) > 0 {
		a.Fields = append(a.Fields, Field{Name: "See also", Value: b.codeList(c.SeeAlso)})
	}
	if !c.Official {
		a.Note = "Unofficial: not in the IANA registry. Used by " + c.Vendor + "."
	}
	if c.MDN != "" {
		a.Links = append(a.Links, Link{Label: "MDN", URL: c.MDN})
	}
	if c.Spec.URL != "" {
		a.Links = append(a.Links, Link{Label: c.Spec.Name, URL: c.Spec.URL})
	} else if u := httpsOnly(c.Source); u != "" {
		a.Links = append(a.Links, Link{Label: "Source", URL: u})
	}
	a.Image = b.image(c)
	return a
}

// httpsOnly returns s if it is an https link, else "".
func httpsOnly(s string) string {
	if strings.HasPrefix(s, "https://") && !strings.ContainsAny(s, " \t\n") {
		return s
	}
	return ""
}

func choicesOf(codes []*catalog.Code) ([]int, []Choice) {
	if len(codes) > MaxChoices {
		codes = codes[:MaxChoices]
	}
	ns := make([]int, 0, len(codes))
	cs := make([]Choice, 0, len(codes))
	for _, c := range codes {
		ns = append(ns, c.Code)
		cs = append(cs, Choice{Code: c.Code, Label: c.Title()})
	}
	return ns, cs
}

func (b *Bot) image(c *catalog.Code) *Image {
	switch b.opts.Images {
	case ImagesCat:
		return &Image{URL: fmt.Sprintf("https://http.cat/%d.jpg", c.Code), Alt: "A cat illustrating " + c.Title()}
	case ImagesDog:
		return &Image{URL: fmt.Sprintf("https://http.dog/%d.jpg", c.Code), Alt: "A dog illustrating " + c.Title()}
	}
	return nil
}

func docURL(c *catalog.Code) string {
	switch {
	case c.MDN != "":
		return c.MDN
	case c.Spec.URL != "":
		return c.Spec.URL
	case httpsOnly(c.Source) != "":
		return c.Source
	}
	return ""
}

func (b *Bot) codeList(ns []int) string {
	parts := make([]string, 0, len(ns))
	for _, n := range ns {
		if c := b.cat.Code(n); c != nil {
			parts = append(parts, c.Title())
		} else {
			parts = append(parts, itoa(n))
		}
	}
	return strings.Join(parts, ", ")
}

func headerList(hs []catalog.Header) string {
	parts := make([]string, 0, len(hs))
	for _, h := range hs {
		if h.Note != "" {
			parts = append(parts, h.Name+" ("+h.Note+")")
		} else {
			parts = append(parts, h.Name)
		}
	}
	return strings.Join(parts, ", ")
}

var flagNames = map[catalog.Flag]string{
	catalog.FlagDeprecated:   "deprecated",
	catalog.FlagUnused:       "reserved, unused",
	catalog.FlagExperimental: "experimental",
	catalog.FlagWebDAV:       "WebDAV",
	catalog.FlagObsoleted:    "obsoleted",
}

func flagList(fs []catalog.Flag) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		if n, ok := flagNames[f]; ok {
			parts = append(parts, n)
		} else {
			parts = append(parts, string(f))
		}
	}
	return strings.Join(parts, ", ")
}

func constantList(cs []catalog.Constant) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		lib := c.Library
		if c.Note != "" { // the versions that have the name, e.g. "since 7.0"
			lib += ", " + c.Note
		}
		parts = append(parts, c.Name+" ("+lib+")")
	}
	return strings.Join(parts, ", ")
}

func joinParas(ps ...string) string {
	var out []string
	for _, p := range ps {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

func joinSentence(phrase, summary string) string {
	if summary == "" {
		return phrase
	}
	return phrase + ": " + summary
}

// numberAnswer answers a bare number that is not in the catalogue.
func (b *Bot) numberAnswer(query string, n int) *Answer {
	if n < 100 || n > 599 {
		return &Answer{
			Query:   query,
			Kind:    KindInvalid,
			Reason:  "range",
			Title:   fmt.Sprintf("%d is not an HTTP status code", n),
			Text:    "HTTP status codes are three digits, from 100 to 599: 1xx informational, 2xx success, 3xx redirection, 4xx client error, 5xx server error.",
			Private: true,
		}
	}
	cl := b.cat.Class(n / 100)
	a := &Answer{
		Query:  query,
		Kind:   KindNonstandard,
		Class:  cl.Number,
		Codes:  []int{n},
		Title:  fmt.Sprintf("%d is a non-standard status code", n),
		Text:   fmt.Sprintf("%d is not registered with IANA, and no widely used vendor code has that number. Clients treat an unknown code like the x00 code of its class, so %d is handled as %d00: %s (%s): %s.", n, n, cl.Number, cl.Name, cl.Range(), cl.Description),
		Tone:   Tone(cl.Number),
		Fields: []Field{classField(cl)},
	}
	a.Suggestions, a.Choices = choicesOf(b.nearest(n))
	return a
}

// classField is the "Class" fact of an answer, e.g. "4xx: Client error
// responses (400-499)".
func classField(cl *catalog.Class) Field {
	return Field{Name: "Class", Value: fmt.Sprintf("%s: %s (%s)", cl.Mask(), cl.Name, cl.Range())}
}

// nearest returns catalogued codes of n's class, closest in number first
// (the lower of two equally close), at most MaxChoices of them.
func (b *Bot) nearest(n int) []*catalog.Code {
	codes := slices.Clone(b.cat.Class(n / 100).Codes())
	slices.SortStableFunc(codes, func(x, y *catalog.Code) int { return abs(x.Code-n) - abs(y.Code-n) })
	return codes[:min(len(codes), MaxChoices)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
