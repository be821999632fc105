package slack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Slack's retry: which failed calls are worth repeating, and after how long.

// retry calls call with the retry policy: a 429 waits its Retry-After, a
// 5xx or network error a jittered backoff (see retryable). A final failure
// is counted and logged with its channel; errors never carry the token,
// which travels as a form field or header.
func (a *Adapter) retry(ctx context.Context, op, channel string, call func(context.Context) error) error {
	err := a.try(ctx, op, channel, call)
	if err != nil {
		a.failed(op, channel, err)
	}
	return err
}

// try is retry for a call whose final failure the caller may handle: it
// counts and logs nothing (see failed).
func (a *Adapter) try(ctx context.Context, op, channel string, call func(context.Context) error) error {
	return a.retryPolicy.Do(ctx, a.log.With("op", op, "channel", channel), call, a.retryable)
}

// failed counts and logs a call of op that failed for good.
func (a *Adapter) failed(op, channel string, err error) {
	a.obs.PlatformError("slack", op)
	a.log.Error("slack: call failed", "op", op, "channel", channel, "err", relay.SafeErr(err))
}

// retryable says whether err is worth retrying, and how long Slack asked
// to wait first; it counts Slack's 429s.
func (a *Adapter) retryable(err error) (time.Duration, bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		a.obs.RateLimited("slack")
		return max(rl.RetryAfter, 0), true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		if sc.Code == http.StatusTooManyRequests {
			a.obs.RateLimited("slack")
			return 0, true
		}
		return 0, sc.Code >= 500
	}
	var ue *url.Error
	return 0, errors.As(err, &ue)
}
