package relay

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Retry is how a call to a platform is repeated after a failure worth
// repeating: at most Attempts calls in all, pausing between them for as
// long as the platform asked, or else for a jittered while that doubles
// from Base up to Max.
type Retry struct {
	Attempts  int
	Base, Max time.Duration
}

// Do calls call until it succeeds, fails in a way retryable refuses, or has
// been called p.Attempts times, and returns its last error. retryable says
// whether an error is worth another call, and how long the platform asked
// to wait first (0 for the backoff's pause); it sees every failure, the
// last included, so it may count them. Do gives up as soon as ctx ends.
// Each retry is logged to log (when not nil) at debug level, without any
// URL.
func (p Retry) Do(ctx context.Context, log *slog.Logger, call func(context.Context) error, retryable func(error) (time.Duration, bool)) error {
	backoff := p.Base
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil || ctx.Err() != nil {
			return err
		}
		asked, ok := retryable(err) // told of every failure, the last too
		if !ok || attempt >= p.Attempts {
			return err
		}
		// Full jitter around the backoff, so that replies failing together
		// do not retry together; a little on top of what the platform asked.
		wait := backoff/2 + rand.N(backoff+1)
		if asked > 0 {
			wait = asked + rand.N(p.Base+1)
		}
		backoff = min(2*backoff, p.Max)
		if log != nil {
			log.Debug("retrying a failed call", "attempt", attempt, "wait", wait, "err", SafeErr(err))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// SafeErr renders err for a log: its operation and cause, never a URL.
// Discord's interaction callbacks and webhooks carry a token that lets its
// holder post as the bot for 15 minutes, Slack's response URLs are
// credentials too, and proxies may put credentials in theirs. A *url.Error
// is rendered without its URL; any other error's text has the credentials
// of such URLs blanked out (see RedactURLs).
func SafeErr(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + RedactURLs(ue.Err.Error())
	}
	return RedactURLs(err.Error())
}

// Redacted stands in for a credential taken out of a text.
const Redacted = "[redacted]"

// credentialURL matches the credential parts of the URLs the platforms
// hand out: the token after an interaction's or a webhook's id in a
// Discord URL (/interactions/ID/TOKEN, /webhooks/ID/TOKEN), the path of a
// Slack response URL (/actions/..., /commands/..., /services/...,
// /workflows/...), and the user information before a host (a proxy's
// user:password@).
var credentialURL = regexp.MustCompile(`(/(?:interactions|webhooks)/[0-9]+/)[A-Za-z0-9._~%+=-]+` +
	`|(/(?:actions|commands|services|workflows)/)[A-Za-z0-9._~%+=/-]+` +
	`|(://)[^/?#\s"'<>@]+@`)

// RedactURLs blanks the credentials out of the URLs in s: Discord's
// interaction and webhook tokens, Slack's response URL paths, and user
// information, each replaced by Redacted.
func RedactURLs(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	return credentialURL.ReplaceAllStringFunc(s, func(m string) string {
		sub := credentialURL.FindStringSubmatch(m)
		for _, keep := range sub[1:] {
			if keep != "" {
				if keep == "://" {
					return keep + Redacted + "@"
				}
				return keep + Redacted
			}
		}
		return Redacted
	})
}
