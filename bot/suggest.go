package bot

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// Suggest offers up to n choices for text still being typed, as for
// autocomplete, resolving it at most once: the most asked codes for an
// empty field; the codes a one- or two-digit prefix starts; otherwise the
// answer's codes, then its suggestions. When that answer is not about one
// code (a class, a comparison, help, an error), the text as typed comes
// first (a Choice with Code 0), so that submitting keeps what the user
// wrote; a half-typed code is not worth submitting as it is.
func (b *Bot) Suggest(typed string, n int) []Choice {
	q := strings.ToValidUTF8(strings.TrimSpace(typed), "\uFFFD")
	var out []Choice
	var codes []*catalog.Code
	if len(q) < 3 && strings.Trim(q, "0123456789") == "" {
		for _, c := range b.idx.popular {
			if strings.HasPrefix(strconv.Itoa(c.Code), q) {
				codes = append(codes, c)
			}
		}
	} else {
		a := b.Answer(typed)
		if a.Kind != KindStatus && a.Kind != KindSearch && n > 0 {
			out = append(out, Choice{Label: q})
		}
		for _, code := range a.Codes {
			codes = append(codes, b.cat.Code(code))
		}
		for _, code := range a.Suggestions {
			codes = append(codes, b.cat.Code(code))
		}
	}
	for _, c := range codes {
		if len(out) >= n {
			break
		}
		if c == nil || slices.ContainsFunc(out, func(ch Choice) bool { return ch.Code == c.Code }) {
			continue
		}
		out = append(out, Choice{Code: c.Code, Label: c.Title()})
	}
	return out
}

// byPopularity is the catalogue's codes, most asked first.
func byPopularity(cat *catalog.Catalog) []*catalog.Code {
	cs := slices.Clone(cat.Codes())
	slices.SortStableFunc(cs, func(x, y *catalog.Code) int { return cmp.Compare(y.Popularity, x.Popularity) })
	return cs
}
