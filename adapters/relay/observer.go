// Package relay is what the chat adapters do alike as they relay a
// question from a platform to the core and its answer back: they read a
// request's body within a cap (ReadBody), apply the abuse limits (Limiter),
// reply in goroutines they drain at shutdown (Inflight), recover from a
// panic in one event without taking the bot down (Recover), repeat a
// failed call to the platform (Retry), keep a flood from flooding the log
// (Throttle), fit text to a platform's limits by UTF-16 width (Width,
// Truncate), tell an Observer what happened, and refuse a setting in words
// the caller can key (FieldError).
package relay

import (
	"log/slog"
	"time"

	"github.com/statusbot/statusbot/bot"
)

// Observer is told what the adapters do, for metrics. Implementations must be
// safe for concurrent use. Platform names are "discord", "slack", "console".
type Observer interface {
	// Answered records one question answered, its kind, and how long the
	// whole reply took (from receiving the event to the platform accepting it).
	Answered(platform string, kind bot.Kind, elapsed time.Duration)
	// PlatformError records a failed call to a platform, e.g. op "post_message".
	PlatformError(platform, op string)
	// RateLimited records a platform 429 or a user held back by our own limits.
	RateLimited(platform string)
	// Reconnected records a gateway or Socket Mode reconnection.
	Reconnected(platform string)
	// Recovered records a panic recovered while handling one event.
	Recovered(platform, event string)
	// Refused records a request or question turned away, and why: e.g.
	// "signature" (a request not signed by the platform), "replay" (one
	// answered before), "busy" (more than the bot takes at once).
	Refused(platform, reason string)
}

// NopObserver is an Observer that records nothing.
type NopObserver struct{}

func (NopObserver) Answered(string, bot.Kind, time.Duration) {}
func (NopObserver) PlatformError(string, string)             {}
func (NopObserver) RateLimited(string)                       {}
func (NopObserver) Reconnected(string)                       {}
func (NopObserver) Recovered(string, string)                 {}
func (NopObserver) Refused(string, string)                   {}

// OrQuiet returns log and obs, with a logger that discards and an observer
// that records nothing in place of nil: an adapter's defaults.
func OrQuiet(log *slog.Logger, obs Observer) (*slog.Logger, Observer) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if obs == nil {
		obs = NopObserver{}
	}
	return log, obs
}
