package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// classAnswer lists the codes of one class, or of a mask such as 41x.
func (b *Bot) classAnswer(query string, cl *catalog.Class, mask string) *Answer {
	a := &Answer{
		Query: query,
		Kind:  KindClass,
		Class: cl.Number,
		Title: fmt.Sprintf("%s: %s", cl.Mask(), cl.Name),
		Text:  fmt.Sprintf("%s (%s): %s.", cl.Name, cl.Range(), cl.Description),
		Tone:  Tone(cl.Number),
	}
	for _, c := range cl.Codes() {
		if mask != "" && !matchMask(mask, c.Code) {
			continue
		}
		a.Codes = append(a.Codes, c.Code)
		a.Entries = append(a.Entries, c)
		label := c.Title()
		if !c.Official {
			label += " (unofficial, " + c.Vendor + ")"
		}
		a.Items = append(a.Items, Item{Code: c.Code, Label: label, Detail: c.Summary})
	}
	if mask != "" {
		a.Title = fmt.Sprintf("%s: %s", mask, cl.Name)
		if len(a.Items) == 0 {
			a.Text += fmt.Sprintf(" No catalogued code matches %s.", mask)
		}
	}
	return a
}

// matchMask reports whether code matches a mask such as "41x" or "4xx".
func matchMask(mask string, code int) bool {
	s := itoa(code)
	if len(mask) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if mask[i] != 'x' && mask[i] != s[i] {
			return false
		}
	}
	return true
}

// compareAnswer puts two or more codes side by side.
func (b *Bot) compareAnswer(query string, codes []*catalog.Code) *Answer {
	titles := make([]string, len(codes))
	for i, c := range codes {
		titles[i] = itoa(c.Code)
	}
	a := &Answer{
		Query:   query,
		Kind:    KindCompare,
		Title:   strings.Join(titles, " vs ") + ": " + joinTitles(codes),
		Tone:    ToneNeutral,
		Entries: codes,
	}
	for _, c := range codes {
		a.Codes = append(a.Codes, c.Code)
	}
	var notes []string
	for i := 0; i < len(codes); i++ {
		for j := i + 1; j < len(codes); j++ {
			if cmp, ok := b.cat.Comparison(codes[i].Code, codes[j].Code); ok {
				notes = appendNew(notes, cmp.Notes...)
			}
		}
	}
	a.Text = strings.Join(notes, "\n\n")
	for _, c := range codes {
		a.Fields = append(a.Fields, Field{Name: c.Title(), Value: c.Summary, Inline: true})
	}
	if len(notes) == 0 {
		// No curated note: compare field by field.
		a.Fields = append(a.Fields, compareRows(codes)...)
	}
	for _, c := range codes {
		a.Links = append(a.Links, Link{Label: itoa(c.Code) + " docs", URL: docURL(c)})
	}
	return a
}

func joinTitles(codes []*catalog.Code) string {
	ps := make([]string, len(codes))
	for i, c := range codes {
		ps[i] = c.Phrase
	}
	return strings.Join(ps, " vs ")
}

func appendNew(dst []string, src ...string) []string {
	for _, s := range src {
		if !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}

// compareRows is the field-by-field comparison for pairs with no curated note.
func compareRows(codes []*catalog.Code) []Field {
	row := func(name string, val func(c *catalog.Code) string) Field {
		vals := make([]string, len(codes))
		for i, c := range codes {
			vals[i] = itoa(c.Code) + ": " + orNone(val(c))
		}
		return Field{Name: name, Value: strings.Join(vals, "\n")}
	}
	return []Field{
		row("Class", func(c *catalog.Code) string { return c.Class().Mask() + " " + c.Class().Name }),
		row("Specification", func(c *catalog.Code) string {
			if c.Spec.Name == "" {
				return "unofficial (" + c.Vendor + ")"
			}
			return c.Spec.String()
		}),
		row("Related headers", func(c *catalog.Code) string { return headerNames(c.Headers) }),
		row("Flags", func(c *catalog.Code) string { return flagList(c.Flags) }),
	}
}

func headerNames(hs []catalog.Header) string {
	ns := make([]string, len(hs))
	for i, h := range hs {
		ns[i] = h.Name
	}
	return strings.Join(ns, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// helpAnswer explains how to ask.
func (b *Bot) helpAnswer(query string) *Answer {
	return &Answer{
		Query:   query,
		Kind:    KindHelp,
		Title:   "statusbot: HTTP status codes, explained",
		Text:    "Ask about any HTTP status code by number, name or plain question. Answers give the meaning, when to use it, the specification section, related headers and what to do next.",
		Private: true,
		Items: []Item{
			{Label: "429", Detail: "look up a code by number"},
			{Label: "what is gone", Detail: "look up a code by name, even misspelt"},
			{Label: "rate limited", Detail: "describe the situation in plain words"},
			{Label: "4xx", Detail: "list a class (also 41x, client errors, redirects)"},
			{Label: "401 vs 403", Detail: "compare codes side by side"},
			{Label: "HTTP/1.1 502 Bad Gateway", Detail: "paste a status line"},
			{Label: "random", Detail: "a random code"},
		},
	}
}

// notFoundAnswer says nothing matched, offering the nearest suggestions.
func (b *Bot) notFoundAnswer(query, shown string, near []*catalog.Code) *Answer {
	a := &Answer{
		Query:   query,
		Kind:    KindNotFound,
		Title:   "No status code matches that",
		Text:    fmt.Sprintf("Nothing in the catalogue matches “%s”. Try a number (404), a name (not found), a class (4xx) or help.", shown),
		Private: true,
	}
	if len(near) > 0 {
		if len(near) > 3 {
			near = near[:3]
		}
		a.Suggestions, a.Choices = choicesOf(near)
		a.Text = fmt.Sprintf("Nothing in the catalogue matches “%s”. Perhaps one of these?", shown)
	}
	return a
}

// tooLongAnswer refuses input past MaxQueryLen without reading it.
func tooLongAnswer(query string) *Answer {
	return &Answer{
		Query:   query,
		Kind:    KindInvalid,
		Reason:  "too_long",
		Title:   "That question is too long",
		Text:    fmt.Sprintf("Please ask in at most %d characters: a code, a name or a short question.", MaxQueryLen),
		Private: true,
	}
}
