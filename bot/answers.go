package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// This file holds every answer the core gives: one builder a kind. The
// phrases they take from the catalogue are in facts.go.

// codeAnswer is the answer for one or more ranked codes; the first is shown.
// It starts from the code's prebuilt answer, so answers share their
// presentation slices: adapters must treat an Answer as read-only.
func (b *Bot) codeAnswer(query string, kind Kind, ranked []*catalog.Code) *Answer {
	a := *b.prebuilt(ranked[0])
	a.Query = query
	a.Kind = kind
	if len(ranked) > 1 {
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
		Result: Result{
			Codes:    []int{c.Code},
			Phrase:   c.Phrase,
			Official: ptr(c.Official),
		},
		Title:    c.Title(),
		TitleURL: docURL(c),
		Tone:     Tone(c.Code / 100),
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

// classAnswer lists the codes of one class, or of a mask such as 41x.
func (b *Bot) classAnswer(query string, cl *catalog.Class, mask string) *Answer {
	a := &Answer{
		Result: Result{Query: query, Kind: KindClass, Class: cl.Number},
		Title:  fmt.Sprintf("%s: %s", cl.Mask(), cl.Name),
		Text:   fmt.Sprintf("%s (%s): %s.", cl.Name, cl.Range(), cl.Description),
		Tone:   Tone(cl.Number),
	}
	for _, c := range cl.Codes() {
		if mask != "" && !matchMask(mask, c.Code) {
			continue
		}
		a.Codes = append(a.Codes, c.Code)
		a.Items = append(a.Items, Item{Code: c.Code, Label: codeLabel(c), Detail: c.Summary})
	}
	if mask != "" {
		a.Title = fmt.Sprintf("%s: %s", mask, cl.Name)
		if len(a.Items) == 0 {
			a.Text += fmt.Sprintf(" No catalogued code matches %s.", mask)
		}
	}
	return a
}

// codeLabel is a code's title in a list, with its vendor when unofficial.
func codeLabel(c *catalog.Code) string {
	if c.Official {
		return c.Title()
	}
	return c.Title() + " (unofficial, " + c.Vendor + ")"
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
		Result: Result{Query: query, Kind: KindCompare},
		Title:  strings.Join(titles, " vs ") + ": " + joinTitles(codes),
		Tone:   ToneNeutral,
	}
	for _, c := range codes {
		a.Codes = append(a.Codes, c.Code)
	}
	var notes []string
	for i := 0; i < len(codes); i++ {
		for j := i + 1; j < len(codes); j++ {
			cmp, ok := b.cat.Comparison(codes[i].Code, codes[j].Code)
			if !ok {
				continue
			}
			for _, n := range cmp.Notes {
				if len(codes) > 2 && strings.HasPrefix(n, "Both ") {
					// Among three codes or more, "both" needs its pair named.
					n = itoa(codes[i].Code) + " and " + itoa(codes[j].Code) + ": " + n
				}
				notes = appendNew(notes, n)
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

// numberAnswer answers a bare number that is not in the catalogue.
func (b *Bot) numberAnswer(query string, n int) *Answer {
	if n < 100 || n > 599 {
		return &Answer{
			Result:  Result{Query: query, Kind: KindInvalid, Reason: "range"},
			Title:   fmt.Sprintf("%d is not an HTTP status code", n),
			Text:    "HTTP status codes are three digits, from 100 to 599: 1xx informational, 2xx success, 3xx redirection, 4xx client error, 5xx server error.",
			Private: true,
		}
	}
	cl := b.cat.Class(n / 100)
	a := &Answer{
		Result: Result{Query: query, Kind: KindNonstandard, Class: cl.Number, Codes: []int{n}},
		Title:  fmt.Sprintf("%d is a non-standard status code", n),
		Text:   fmt.Sprintf("%d is not registered with IANA, and no widely used vendor code has that number. Clients treat an unknown code like the x00 code of its class, so %d is handled as %d00: %s (%s): %s.", n, n, cl.Number, cl.Name, cl.Range(), cl.Description),
		Tone:   Tone(cl.Number),
		Fields: []Field{classField(cl)},
	}
	a.Suggestions, a.Choices = choicesOf(b.nearest(n))
	return a
}

// nearest returns catalogued codes of n's class, closest in number first
// (the lower of two equally close), at most MaxChoices of them.
func (b *Bot) nearest(n int) []*catalog.Code {
	codes := slices.Clone(b.cat.Class(n / 100).Codes())
	slices.SortStableFunc(codes, func(x, y *catalog.Code) int { return abs(x.Code-n) - abs(y.Code-n) })
	return codes[:min(len(codes), MaxChoices)]
}

// helpAnswer explains how to ask.
func (b *Bot) helpAnswer(query string) *Answer {
	return &Answer{
		Result:  Result{Query: query, Kind: KindHelp},
		Title:   "statusbot: HTTP status codes, explained",
		Text:    "Ask about any HTTP status code by number, name or plain question, describe a situation, or paste an error. Answers give the code, why it fits, when to use it, the specification section, related headers and what to do next.",
		Private: true,
		Items: []Item{
			{Label: "429", Detail: "look up a code by number"},
			{Label: "what is gone", Detail: "look up a code by name, even misspelt"},
			{Label: "which status when a coupon was already redeemed?", Detail: "describe the situation in plain words"},
			{Label: "4xx", Detail: "list a class (also 41x, client errors, redirects)"},
			{Label: "401 vs 403", Detail: "compare codes side by side"},
			{Label: "upstream timed out (110: Connection timed out)", Detail: "paste an error, a log line or a status line"},
			{Label: ExplainAction, Detail: "in the menu of a message already posted: every status in a log, an error or curl -i output"},
			{Label: "HttpStatus.UNPROCESSABLE_ENTITY", Detail: "a constant from Go, Python, Java, Spring, .NET, Rust and more"},
			{Label: "random", Detail: "a random code"},
		},
	}
}

// notFoundAnswer says nothing matched, offering the nearest suggestions.
func (b *Bot) notFoundAnswer(query, shown string, near []*catalog.Code) *Answer {
	a := &Answer{
		Result:  Result{Query: query, Kind: KindNotFound},
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

// noResponseAnswer answers a pasted error that says the connection failed
// before any response: there is no status in it. The server errors among
// ranked, what retrieval found, are offered as what a proxy in between
// might send.
func (b *Bot) noResponseAnswer(query string, ranked []*catalog.Code) *Answer {
	near := slices.DeleteFunc(slices.Clone(ranked), func(c *catalog.Code) bool { return c.Code/100 != 5 })
	a := b.notFoundAnswer(query, "", near)
	a.Title = "No HTTP status in that error"
	a.Text = "The connection failed before any response came back, so there is no status code in it. A proxy in between would have answered for the server"
	if len(a.Suggestions) > 0 {
		a.Text += ", perhaps with one of these."
	} else {
		a.Text += "."
	}
	return a
}

// tooLongAnswer refuses input past MaxQueryLen without reading it.
func tooLongAnswer(query string) *Answer {
	return &Answer{
		Result:  Result{Query: query, Kind: KindInvalid, Reason: "too_long"},
		Title:   "That question is too long",
		Text:    fmt.Sprintf("Please ask in at most %d characters: a code, a name or a short question.", MaxQueryLen),
		Private: true,
	}
}

// RateLimitedAnswer is the one private notice a user held back by the
// abuse limits gets.
func (b *Bot) RateLimitedAnswer(query string) *Answer {
	return &Answer{
		Result:  Result{Query: truncate(query, MaxQueryLen), Kind: KindRateLimited},
		Title:   "Slow down a little",
		Text:    "You are asking faster than this bot answers. Try again in a few seconds; further questions until then are ignored.",
		Private: true,
	}
}

// BusyAnswer is the notice to a user whose question came when the bot was
// already answering as many as it takes at once, sent in place of the
// answer: short, private, and saying what to do.
func (b *Bot) BusyAnswer(query string) *Answer {
	return &Answer{
		Result:  Result{Query: truncate(query, MaxQueryLen), Kind: KindBusy},
		Title:   "Busy right now",
		Text:    "This bot has more questions than it can answer at the moment, and could not take yours. Ask again in a few seconds.",
		Private: true,
	}
}

// choicesOf offers codes as suggestions: their numbers for the contract,
// their titles for buttons.
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
