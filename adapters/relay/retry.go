package relay

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/url"
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

// SafeErr renders err for a log without the request URL: Discord's
// interaction callbacks and Slack's response URLs are credentials, and
// proxies may put credentials in theirs.
func SafeErr(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
