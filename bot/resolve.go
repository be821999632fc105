package bot

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/statusbot/statusbot/catalog"
)

// index holds lookup tables built once from the catalogue.
type index struct {
	names map[string][]*catalog.Code // normalised phrase or alias -> codes
}

func buildIndex(cat *catalog.Catalog) *index {
	idx := &index{names: map[string][]*catalog.Code{}}
	for _, c := range cat.Codes() {
		idx.names[normalize(c.Phrase)] = append(idx.names[normalize(c.Phrase)], c)
		for _, al := range c.Aliases {
			idx.names[normalize(al)] = append(idx.names[normalize(al)], c)
		}
	}
	return idx
}

// normalize lower-cases s and folds punctuation to single spaces.
func normalize(s string) string {
	var sb strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if r == '\'' || r == '’' {
			continue
		}
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			sb.WriteRune(r)
			space = false
		} else if !space {
			sb.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(sb.String())
}

func (b *Bot) resolve(raw string) *Answer {
	if len(raw) > MaxQueryLen {
		return tooLongAnswer(truncate(raw, MaxQueryLen))
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
	}
	q := normalize(raw)
	for _, p := range []string{"http ", "status ", "error "} {
		q = strings.TrimPrefix(q, p)
	}
	if q == "" || q == "http" || q == "help" {
		return b.helpAnswer(raw)
	}
	if n, err := strconv.Atoi(q); err == nil {
		if c := b.cat.Code(n); c != nil {
			return b.codeAnswer(raw, KindStatus, []*catalog.Code{c})
		}
		return b.numberAnswer(raw, n)
	}
	if cs, ok := b.idx.names[q]; ok {
		return b.codeAnswer(raw, KindStatus, cs)
	}
	return b.notFoundAnswer(raw, q, nil)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
