package bot

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// Suggest ranks up to n codes for text still being typed, as for
// autocomplete: the most asked codes for an empty field, the codes a one- or
// two-digit prefix starts, and otherwise the codes the answer to typed names,
// then its suggestions.
func (b *Bot) Suggest(typed string, n int) []Choice {
	q := strings.TrimSpace(typed)
	var codes []*catalog.Code
	if len(q) < 3 && strings.Trim(q, "0123456789") == "" {
		for _, c := range b.idx.popular {
			if strings.HasPrefix(strconv.Itoa(c.Code), q) {
				codes = append(codes, c)
			}
		}
	} else {
		a := b.Answer(typed)
		for _, code := range a.Codes {
			codes = append(codes, b.cat.Code(code))
		}
		for _, code := range a.Suggestions {
			codes = append(codes, b.cat.Code(code))
		}
	}
	out := make([]Choice, 0, min(n, len(codes)))
	for _, c := range codes {
		if len(out) == n {
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
