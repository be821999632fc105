package discord

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Discord's retry: which failed REST calls are worth repeating, and how
// often. (discordgo itself waits out 429s and retries 502s.)

// defaultRetry gives up within about four seconds, well inside Discord's
// patience for a reply and under the minute a reply may take.
var defaultRetry = relay.Retry{Attempts: 4, Base: 250 * time.Millisecond, Max: 2 * time.Second}

// withRetries runs call until it succeeds, fails for good, or runs out of
// attempts, pausing after a 5xx or a network error (see retryable).
// Discordgo itself waits out 429s and retries 502s.
func (a *Adapter) withRetries(ctx context.Context, call func() error) error {
	return a.retry.Do(ctx, a.log, func(context.Context) error { return call() }, func(err error) (time.Duration, bool) {
		return 0, retryable(err)
	})
}

// retryable reports whether a failed REST call may succeed if repeated: a
// server error, or a network error other than running out of time.
func retryable(err error) bool {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) {
		return rest.Response != nil && rest.Response.StatusCode >= 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}
