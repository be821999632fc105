package slack

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Slack's retry: which failed calls are worth repeating, and after how long.
//
// A call that only reads, or that does the same when made twice (replacing
// or deleting a message through its response URL), is repeated after a
// 429, a 5xx or a network error. A call that posts a message is repeated
// only when it certainly did not take effect: a 429 with Retry-After
// (Slack refused it), or a request that never went out whole (the
// connection failed before it was written). After any other failure
// Slack may have stored the message and lost only its answer, so
// chat.postMessage first looks for the message it tried to post (see
// posted), and posts again only when it is not there; a post that cannot
// be looked for (an ephemeral message, a response URL) is not repeated.

// repeat says how a failed call may be repeated.
type repeat int

const (
	// idempotent calls do the same when made twice: auth.test, replacing
	// or deleting through a response URL.
	idempotent repeat = iota
	// once calls post a message: repeated only when they certainly did not
	// take effect.
	once
)

// retry calls call with the retry policy, repeating it as mode allows: a
// 429 waits its Retry-After, other failures a jittered backoff. A final
// failure is counted and logged with its channel; errors never carry the
// token, which travels as a form field or header.
func (a *Adapter) retry(ctx context.Context, op, channel string, mode repeat, call func(context.Context) error) error {
	err := a.try(ctx, op, channel, mode, call)
	if err != nil {
		a.failed(op, channel, err)
	}
	return err
}

// try is retry for a call whose final failure the caller may handle: it
// counts and logs nothing (see failed).
func (a *Adapter) try(ctx context.Context, op, channel string, mode repeat, call func(context.Context) error) error {
	retryable := a.retryableIdempotent
	if mode == once {
		retryable = a.retryableOnce
	}
	return a.retryPolicy.Do(ctx, a.log.With("op", op, "channel", channel), func(ctx context.Context) error {
		return traced(ctx, call)
	}, retryable)
}

// failed counts and logs a call that failed for good.
func (a *Adapter) failed(op, channel string, err error) {
	a.obs.PlatformError("slack", op)
	var u *unchecked
	if errors.As(err, &u) {
		a.log.Error("slack: call failed, and whether Slack took it cannot be checked; not posting again", "op", op, "channel", channel,
			"err", relay.SafeErr(u.err), "check", relay.SafeErr(u.check))
		return
	}
	a.log.Error("slack: call failed", "op", op, "channel", channel, "err", relay.SafeErr(err))
}

// rateLimited reports whether err is Slack's refusal for the rate limit,
// with the wait it asked for (0 when it said none); it counts the 429.
func (a *Adapter) rateLimited(err error) (wait time.Duration, certain, ok bool) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		a.obs.RateLimited("slack")
		return max(rl.RetryAfter, 0), true, true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Code == http.StatusTooManyRequests {
		// Without Retry-After it may not be Slack's limiter speaking.
		a.obs.RateLimited("slack")
		return 0, false, true
	}
	return 0, false, false
}

// retryableIdempotent judges a call that may be repeated after any failure
// worth repeating: a 429, a 5xx, or a network error.
func (a *Adapter) retryableIdempotent(err error) (time.Duration, bool) {
	if isContext(err) {
		return 0, false
	}
	if wait, _, ok := a.rateLimited(err); ok {
		return wait, true
	}
	if errors.As(err, new(notSent)) {
		return 0, true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return 0, sc.Code >= 500
	}
	return 0, isNetwork(err)
}

// retryableOnce judges a call that posts a message and cannot check
// whether it did: repeated only when it certainly did not take effect.
func (a *Adapter) retryableOnce(err error) (time.Duration, bool) {
	if isContext(err) {
		return 0, false
	}
	if wait, certain, ok := a.rateLimited(err); ok {
		return wait, certain
	}
	return 0, errors.As(err, new(notSent))
}

// uncertain reports whether a failed post may nonetheless have taken
// effect: after a 5xx, a 429 without Retry-After, or a network error once
// the request was written.
func uncertain(err error) bool {
	if err == nil || isContext(err) || errors.As(err, new(notSent)) {
		return false
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return false
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500 || sc.Code == http.StatusTooManyRequests
	}
	return isNetwork(err)
}

func isContext(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func isNetwork(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne)
}

// notSent is the error of a request that never went out whole: the
// connection failed before it was written, so Slack cannot have acted on it.
type notSent struct{ err error }

func (e notSent) Error() string { return e.err.Error() }
func (e notSent) Unwrap() error { return e.err }

// unchecked is the error of a post that may have taken effect, when
// looking for its message failed too (check): it is not repeated.
type unchecked struct{ err, check error }

func (e *unchecked) Error() string { return e.err.Error() }
func (e *unchecked) Unwrap() error { return e.err }

// traced runs call with a context that notes how far its HTTP request got
// (httptrace, which slack-go's requests and the response URL posts carry),
// and marks its error notSent when the request asked for a connection but
// was never written whole. A transport that reports nothing leaves errors
// as they are: uncertain, never wrongly certain.
func traced(ctx context.Context, call func(context.Context) error) error {
	var asked, written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn: func(string) { asked.Store(true) },
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				written.Store(true)
			}
		},
	})
	err := call(ctx)
	if err != nil && asked.Load() && !written.Load() && !isContext(err) {
		return notSent{err}
	}
	return err
}
