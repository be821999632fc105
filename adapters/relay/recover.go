package relay

import (
	"fmt"
	"log/slog"
	"runtime/debug"
)

// Recover stops a panic in the handling of one event from taking the bot
// down: adapters defer it at the top of each event handler. The panic is
// logged with the platform and the kind of event (never the event's
// content, which may hold user text or tokens) and counted.
//
//	defer relay.Recover(log, obs, "slack", "app_mention")
func Recover(log *slog.Logger, obs Observer, platform, event string) {
	r := recover()
	if r == nil {
		return
	}
	if obs != nil {
		obs.Recovered(platform, event)
	}
	if log != nil {
		log.Error("recovered from panic while handling an event",
			"platform", platform, "event", event, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	}
}
