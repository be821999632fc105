package relay

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/statusbot/statusbot/state"
)

// FieldError is a setting an adapter refuses. Field is the name of the
// adapter's Config field, and Problem says what is wrong with its value,
// naming any other field it depends on in braces ("below {ShardCount}"),
// so that the caller can call every field by the name its users know, such
// as a configuration key.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Describe(nil) }

// Describe is Problem with each "{Field}" replaced by name(Field), or by
// the bare field name when name is nil.
func (e *FieldError) Describe(name func(field string) string) string {
	var b strings.Builder
	rest := e.Problem
	for {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest[max(open, 0):], '}') + max(open, 0)
		if open < 0 || end < open {
			b.WriteString(rest)
			return b.String()
		}
		field := rest[open+1 : end]
		if name != nil {
			field = name(field)
		}
		b.WriteString(rest[:open])
		b.WriteString(field)
		rest = rest[end+1:]
	}
}

// Refuse returns a FieldError for field; problem is formatted with args.
func Refuse(field, problem string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(problem, args...)}
}

// CheckURL refuses value for field unless it is an absolute http or https
// URL, as every platform's API base must be.
func CheckURL(field, value string) error {
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Refuse(field, "invalid URL %q (want an absolute http or https URL)", value)
	}
	return nil
}

// DefaultDrainTimeout is how long an adapter waits at shutdown for its
// replies in flight unless its configuration says otherwise.
const DefaultDrainTimeout = 10 * time.Second

// Shared is what every adapter's configuration takes from the wiring: its
// logger, observer, record of events answered and drain timeout.
type Shared struct {
	Logger       *slog.Logger
	Observer     Observer
	Dedup        state.Dedup
	DrainTimeout time.Duration
}

// OrDefaults is s with each zero value replaced by an adapter's default: a
// quiet logger and observer (see OrQuiet), a record in this process's
// memory of 10,000 keys kept for ttl each, and DefaultDrainTimeout.
func (s Shared) OrDefaults(ttl time.Duration) Shared {
	s.Logger, s.Observer = OrQuiet(s.Logger, s.Observer)
	if s.Dedup == nil {
		s.Dedup = state.NewMemoryDedup(10000, ttl)
	}
	if s.DrainTimeout <= 0 {
		s.DrainTimeout = DefaultDrainTimeout
	}
	return s
}
