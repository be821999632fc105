package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/statusbot/statusbot/adapters/discord"
	"github.com/statusbot/statusbot/adapters/relay"
)

// redacted stands in for a secret in logs and errors.
const redacted = "[redacted]"

// LogValue lists every key with its value, secrets replaced by [redacted]
// (or empty when unset), so logging the config cannot leak a token. Like
// String and GoString it has a value receiver, to cover Config and *Config.
func (c Config) LogValue() slog.Value {
	fs := c.fields()
	attrs := make([]slog.Attr, 0, len(fs))
	for _, f := range fs {
		attrs = append(attrs, slog.String(f.key, f.shown()))
	}
	return slog.GroupValue(attrs...)
}

// String is the config as LogValue shows it, so %v cannot leak a token either.
func (c Config) String() string {
	var sb strings.Builder
	for i, f := range c.fields() {
		if i > 0 {
			sb.WriteString(" ")
		}
		fmt.Fprintf(&sb, "%s=%q", f.key, f.shown())
	}
	return sb.String()
}

// GoString keeps %#v from printing secrets.
func (c Config) GoString() string { return "Config{" + c.String() + "}" }

// shown is the field's value as logs may show it.
func (f configField) shown() string {
	if isSecretKey(f.key) {
		if f.value.String() == "" {
			return ""
		}
		return redacted
	}
	if f.value.Type() == durationType {
		return time.Duration(f.value.Int()).String()
	}
	return fmt.Sprint(f.value.Interface())
}

// secrets returns the values of every secret key that is set.
func (c *Config) secrets() []string {
	var ss []string
	for _, f := range c.fields() {
		if isSecretKey(f.key) && f.value.String() != "" {
			ss = append(ss, f.value.String())
		}
	}
	return ss
}

// newScrubber returns a replacer that blanks every secret out of a string,
// in every form a secret may take on its way to a log: as configured, with
// spaces trimmed, without the "Bot " prefix a Discord token may be given
// with (discordgo adds it back, a library may log either), and each of
// those URL-encoded as a query or a path would carry it. It returns nil
// when there are no secrets.
func newScrubber(secrets []string) *strings.Replacer {
	seen := map[string]bool{}
	var forms []string
	add := func(s string) {
		if strings.TrimSpace(s) != "" && !seen[s] {
			seen[s] = true
			forms = append(forms, s)
		}
	}
	for _, s := range secrets {
		for _, v := range []string{s, strings.TrimSpace(s), strings.TrimPrefix(strings.TrimSpace(s), "Bot ")} {
			if strings.TrimSpace(v) == "" {
				continue
			}
			add(v)
			add(url.QueryEscape(v))
			add(url.PathEscape(v))
		}
	}
	if len(forms) == 0 {
		return nil
	}
	// Longest first, so a secret that contains another is replaced whole.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var pairs []string
	for _, f := range forms {
		pairs = append(pairs, f, redacted)
	}
	return strings.NewReplacer(pairs...)
}

// newLogger builds the logger cfg asks for, writing to w. Every line passes
// through a scrubber that blanks the configured secrets out, whatever an
// adapter or library puts in a message, attribute or error, and the
// credentials of any platform URL (relay.RedactURLs).
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	level := map[string]slog.Level{
		"debug": slog.LevelDebug,
		"info":  slog.LevelInfo,
		"warn":  slog.LevelWarn,
		"error": slog.LevelError,
	}[strings.ToLower(cfg.Log.Level)]
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.Log.Format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(scrubHandler{h: h, r: newScrubber(cfg.secrets())})
}

// routeLibraryLogs sends what libraries log on their own through logger,
// and so through its scrubber: the standard log package's default logger
// (used by any library not handed a logger), and discordgo's, which has a
// hook of its own. Both are process-wide; slack-go and the HTTP server are
// handed the logger instead.
func routeLibraryLogs(logger *slog.Logger) {
	slog.SetDefault(logger)
	discord.LogLibrary(logger)
}

// scrubHandler removes secrets from records before its inner handler sees them.
type scrubHandler struct {
	h slog.Handler
	r *strings.Replacer
}

func (s scrubHandler) Enabled(ctx context.Context, l slog.Level) bool { return s.h.Enabled(ctx, l) }

// clean blanks the secrets and URL credentials out of text.
func (s scrubHandler) clean(text string) string {
	if s.r != nil {
		text = s.r.Replace(text)
	}
	return relay.RedactURLs(text)
}

func (s scrubHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, s.clean(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(s.attr(a))
		return true
	})
	return s.h.Handle(ctx, out)
}

func (s scrubHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = s.attr(a)
	}
	return scrubHandler{h: s.h.WithAttrs(clean), r: s.r}
}

func (s scrubHandler) WithGroup(name string) slog.Handler {
	return scrubHandler{h: s.h.WithGroup(name), r: s.r}
}

func (s scrubHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(s.clean(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]slog.Attr, len(g))
		for i, ga := range g {
			clean[i] = s.attr(ga)
		}
		a.Value = slog.GroupValue(clean...)
	case slog.KindAny:
		// Errors, structs, byte slices: compare their printed form.
		text := fmt.Sprint(v.Any())
		if b, ok := v.Any().([]byte); ok {
			text = string(b)
		}
		if clean := s.clean(text); clean != text {
			a.Value = slog.StringValue(clean)
		} else {
			a.Value = v
		}
	default:
		a.Value = v
	}
	return a
}

// scrubbedError is err with the secrets blanked out of its message; it still
// unwraps to err, so an *exitError inside keeps its status.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func scrubError(err error, r *strings.Replacer) error {
	if err == nil {
		return err
	}
	msg := relay.RedactURLs(err.Error())
	if r != nil {
		msg = r.Replace(msg)
	}
	if msg != err.Error() {
		return &scrubbedError{msg: msg, err: err}
	}
	return err
}
