package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/statusbot/statusbot/catalog"
)

// A pasted response head (curl -i, browser dev tools) says more than its
// status: Retry-After says how long to wait, WWW-Authenticate why a token
// was refused, Location where to go. This file reads the headers the
// catalogue relates to the status and says what their values mean.

// responseHead is a status line and the header fields after it.
type responseHead struct {
	code    int
	headers []headerValue
	date    time.Time // the Date header, zero when absent
}

type headerValue struct{ name, value string }

// maxHeadLines bounds the header lines read after a status line.
const maxHeadLines = 64

// parseHead finds the first status line in text ("HTTP/1.1 429 Too Many
// Requests", "< HTTP/2 301" as curl -v prints it) and reads the header
// fields after it, up to a blank line.
func parseHead(text string) *responseHead {
	var h *responseHead
	n := 0
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "<"))
		if h == nil {
			if code, ok := statusLine(line); ok {
				h = &responseHead{code: code}
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if line == "" || !ok || n >= maxHeadLines || !isToken(name) {
			break
		}
		n++
		value = strings.TrimSpace(value)
		h.headers = append(h.headers, headerValue{name, value})
		if strings.EqualFold(name, "Date") {
			h.date, _ = parseHTTPDate(value)
		}
	}
	return h
}

// statusLine reads "HTTP/1.1 429 ..." or "HTTP/2 404".
func statusLine(line string) (int, bool) {
	rest, ok := strings.CutPrefix(strings.ToUpper(line), "HTTP/")
	if !ok {
		return 0, false
	}
	i := strings.IndexByte(rest, ' ')
	if i <= 0 || strings.Trim(rest[:i], "0123456789.") != "" {
		return 0, false // no version: "HTTP/ 110"
	}
	f := strings.Fields(rest[i:])
	if len(f) == 0 || len(f[0]) != 3 {
		return 0, false
	}
	n, ok := number(f[0])
	return n, ok && n >= 100 && n <= 599
}

// isToken reports whether s is a header field name.
func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetterByte(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// httpDateLayouts are the date formats HTTP allows (RFC 9110, Section 5.6.7).
var httpDateLayouts = []string{time.RFC1123, "Monday, 02-Jan-06 15:04:05 MST", time.ANSIC}

func parseHTTPDate(s string) (time.Time, bool) {
	for _, l := range httpDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// interpretHeader says what one header's value means for code c, or "".
func interpretHeader(h *responseHead, c *catalog.Code, name, value string) string {
	switch n := strings.ToLower(name); {
	case n == "retry-after":
		return retryAfter(value, h.date)
	case n == "www-authenticate" || n == "proxy-authenticate":
		return challenge(value)
	case n == "location":
		return location(c.Code, value)
	case n == "allow":
		return "the methods this resource allows: " + quoteValue(value)
	case n == "content-range":
		return contentRange(value)
	case n == "ratelimit" || strings.HasPrefix(n, "x-ratelimit-") || strings.HasPrefix(n, "ratelimit-"):
		return rateLimit(n, value, h.date)
	case n == "upgrade":
		return "the protocol to switch to: " + quoteValue(value)
	}
	return ""
}

// retryAfter reads seconds or an HTTP-date.
func retryAfter(v string, date time.Time) string {
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return "wait " + duration(time.Duration(secs)*time.Second) + " before retrying"
	}
	t, ok := parseHTTPDate(strings.TrimSpace(v))
	if !ok {
		return ""
	}
	s := "wait until " + t.Format("15:04 MST on 2 Jan") + " before retrying"
	if !date.IsZero() && t.After(date) {
		s += ", " + duration(t.Sub(date)) + " after the response's Date"
	}
	return s
}

// duration says a wait in words: "45 seconds", "2 minutes", "1 hour 30 minutes".
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return plural(int(d/time.Second), "second")
	case d < time.Hour:
		if s := int(d%time.Minute) / int(time.Second); s != 0 {
			return plural(int(d/time.Minute), "minute") + " " + plural(s, "second")
		}
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		if m := int(d%time.Hour) / int(time.Minute); m != 0 {
			return plural(int(d/time.Hour), "hour") + " " + plural(m, "minute")
		}
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// bearerErrors are the error codes of RFC 6750, Section 3.1.
var bearerErrors = map[string]string{
	"invalid_request":    "the request is missing a parameter or is malformed (RFC 6750): fix the request",
	"invalid_token":      "the access token is expired, revoked, malformed or otherwise invalid (RFC 6750): get a new token",
	"insufficient_scope": "the token lacks the scope this request needs (RFC 6750): ask for a token with more scope",
}

// challenge reads an authentication challenge: its scheme, and a Bearer
// error if it carries one.
func challenge(v string) string {
	scheme, params, _ := strings.Cut(strings.TrimSpace(v), " ")
	if scheme == "" {
		return ""
	}
	if e := param(params, "error"); e != "" {
		if meaning, ok := bearerErrors[e]; ok {
			return meaning
		}
		return "the server's error code is " + quoteValue(e)
	}
	s := "authenticate with the " + quoteValue(scheme) + " scheme"
	if realm := param(params, "realm"); realm != "" {
		s += " for the realm " + quoteValue(realm)
	}
	return s
}

// param finds name="value" or name=value in a parameter list.
func param(params, name string) string {
	for p := range strings.SplitSeq(params, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// location says where a redirect goes and whether the method is kept.
func location(code int, v string) string {
	to := quoteValue(v)
	switch code {
	case 201:
		return "the new resource is at " + to
	case 301, 302:
		return "redirects to " + to + "; clients may turn a POST into a GET"
	case 303:
		return "fetch " + to + " with GET"
	case 307, 308:
		return "redirects to " + to + " with the same method and body"
	}
	return "points to " + to
}

// contentRange reads "bytes 0-99/1000" and "bytes */1000".
func contentRange(v string) string {
	unit, rng, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return ""
	}
	span, total, ok := strings.Cut(rng, "/")
	if !ok {
		return ""
	}
	if span == "*" {
		return "the whole representation is " + quoteValue(total) + " " + quoteValue(unit) + " long"
	}
	return quoteValue(unit) + " " + quoteValue(span) + " of " + quoteValue(total)
}

// rateLimit reads the RateLimit fields (the IETF draft's RateLimit with
// r= and t=, or limit=/remaining=/reset=) and the common X-RateLimit-*.
func rateLimit(name, v string, date time.Time) string {
	v = strings.TrimSpace(v)
	switch {
	case strings.HasSuffix(name, "-remaining") && isDigits(v):
		return v + " requests left in this window"
	case strings.HasSuffix(name, "-limit") && isDigits(v):
		return "at most " + v + " requests a window"
	case strings.HasSuffix(name, "-reset"):
		return resetAt(v, date)
	case name == "ratelimit":
		var parts []string
		for p := range strings.SplitSeq(strings.ReplaceAll(v, ";", ","), ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok {
				continue
			}
			val = strings.TrimSpace(val)
			if !isDigits(val) {
				continue
			}
			switch strings.TrimSpace(k) {
			case "r", "remaining":
				parts = append(parts, val+" requests left")
			case "limit":
				parts = append(parts, "of "+val)
			case "t", "reset":
				parts = append(parts, resetAt(val, date))
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}

// resetAt reads a reset time: seconds from now, or a Unix time.
func resetAt(v string, date time.Time) string {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	switch {
	case err != nil || n < 0:
		return ""
	case n > 1_000_000_000:
		t := time.Unix(n, 0).UTC()
		s := "the window resets at " + t.Format("15:04 MST on 2 Jan")
		if !date.IsZero() && t.After(date) {
			s += ", " + duration(t.Sub(date)) + " after the response's Date"
		}
		return s
	}
	return "the window resets in " + duration(time.Duration(n)*time.Second)
}
