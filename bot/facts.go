package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/statusbot/statusbot/catalog"
)

// How the catalogue's facts read in an answer.

// classField is the "Class" fact of an answer, e.g. "4xx: Client error
// responses (400-499)".
func classField(cl *catalog.Class) Field {
	return Field{Name: "Class", Value: fmt.Sprintf("%s: %s (%s)", cl.Mask(), cl.Name, cl.Range())}
}

// docURL is where c's title links: MDN, else its specification, else its
// vendor's source.
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

// httpsOnly returns s if it is an https link, else "".
func httpsOnly(s string) string {
	if strings.HasPrefix(s, "https://") && !strings.ContainsAny(s, " \t\n") {
		return s
	}
	return ""
}

// list joins what each of xs reads as, separated by commas.
func list[T any](xs []T, read func(T) string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = read(x)
	}
	return strings.Join(parts, ", ")
}

// codeList names codes by their titles, or their numbers when the catalogue
// has no entry.
func (b *Bot) codeList(ns []int) string {
	return list(ns, func(n int) string {
		if c := b.cat.Code(n); c != nil {
			return c.Title()
		}
		return itoa(n)
	})
}

func headerList(hs []catalog.Header) string {
	return list(hs, func(h catalog.Header) string {
		if h.Note != "" {
			return h.Name + " (" + h.Note + ")"
		}
		return h.Name
	})
}

func headerNames(hs []catalog.Header) string {
	return list(hs, func(h catalog.Header) string { return h.Name })
}

var flagNames = map[catalog.Flag]string{
	catalog.FlagDeprecated:   "deprecated",
	catalog.FlagUnused:       "reserved, unused",
	catalog.FlagExperimental: "experimental",
	catalog.FlagWebDAV:       "WebDAV",
	catalog.FlagObsoleted:    "obsoleted",
	catalog.FlagLogOnly:      "logged only, never sent to a client",
}

func flagList(fs []catalog.Flag) string {
	return list(fs, func(f catalog.Flag) string {
		if n, ok := flagNames[f]; ok {
			return n
		}
		return string(f)
	})
}

func constantList(cs []catalog.Constant) string {
	return list(cs, func(c catalog.Constant) string {
		lib := c.Library
		if c.Note != "" { // the versions that have the name, e.g. "since 7.0"
			lib += ", " + c.Note
		}
		return c.Name + " (" + lib + ")"
	})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
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

func itoa(n int) string { return strconv.Itoa(n) }

func ptr[T any](v T) *T { return &v }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
