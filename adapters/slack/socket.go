package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Socket Mode: the websocket the bot opens to Slack, over which events,
// slash commands and button presses arrive as envelopes to acknowledge.

// runSocket serves Socket Mode until ctx is done. Every envelope is
// acknowledged as soon as it is read; the reply is made after the ack.
func (a *Adapter) runSocket(parent context.Context) error {
	// Cancelled on return, so that acks still queued give up.
	ctx, cancel := context.WithCancel(parent)
	defer a.setReady(false)
	defer a.acks.Drain(context.Background())
	defer cancel()
	client := socketmode.New(a.client,
		socketmode.OptionPingInterval(a.pingInterval),
		socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)),
	)
	runErr := make(chan error, 1)
	go func() { runErr <- client.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			<-runErr
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %s", relay.SafeErr(err))
		case ev := <-client.Events:
			a.onSocketEvent(ctx, client, ev)
		}
	}
}

// goAck runs f, which acknowledges an envelope, beside the event loop.
// slack-go queues acks for the connection's writer. When the connection
// drops, that queue fills, and the reconnection itself waits for room in the
// event channel: a loop blocked on an ack would never make that room, and
// Socket Mode would stall for good.
func (a *Adapter) goAck(kind string, f func()) {
	a.acks.Go(kind, func(context.Context) { f() })
}

// onSocketEvent handles one event from the Socket Mode client: connection
// changes, and envelopes to acknowledge and answer.
func (a *Adapter) onSocketEvent(ctx context.Context, client acker, ev socketmode.Event) {
	defer relay.Recover(a.log, a.obs, "slack", string(ev.Type))
	received := time.Now()
	switch ev.Type {
	case socketmode.EventTypeConnecting:
		a.setReady(false)
	case socketmode.EventTypeConnected:
		if ce, ok := ev.Data.(*socketmode.ConnectedEvent); ok && ce.ConnectionCount > 0 {
			a.obs.Reconnected("slack")
			a.log.Info("slack: socket mode reconnected", "connections", ce.ConnectionCount+1)
		}
	case socketmode.EventTypeHello:
		a.setReady(true)
		a.log.Debug("slack: socket mode hello")
	case socketmode.EventTypeConnectionError:
		a.setReady(false)
		if ce, ok := ev.Data.(*slack.ConnectionErrorEvent); ok {
			a.log.Warn("slack: socket mode connection failed", "attempt", ce.Attempt, "backoff", ce.Backoff, "err", relay.SafeErr(ce.ErrorObj))
		}
	case socketmode.EventTypeDisconnect:
		a.setReady(false)
		a.log.Info("slack: Slack asked to reconnect")
	case socketmode.EventTypeIncomingError:
		if ie, ok := ev.Data.(*slack.IncomingEventError); ok {
			a.log.Warn("slack: socket mode read failed", "err", relay.SafeErr(ie.ErrorObj))
		}
	case socketmode.EventTypeErrorWriteFailed:
		a.obs.PlatformError("slack", "ack")
		if we, ok := ev.Data.(*socketmode.ErrorWriteFailed); ok {
			a.log.Debug("slack: socket mode ack failed", "err", relay.SafeErr(we.Cause))
		}
	case socketmode.EventTypeErrorBadMessage:
		// Acknowledge what cannot be read, or Slack sends it again and again.
		if bm, ok := ev.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if json.Unmarshal(bm.Message, &env) == nil && env.EnvelopeID != "" {
				a.goAck(string(ev.Type), func() { a.ack(ctx, client, env.EnvelopeID, nil) })
			}
			a.log.Debug("slack: unreadable envelope", "err", relay.SafeErr(bm.Cause))
		}
	case socketmode.EventTypeEventsAPI:
		a.ackRequest(ctx, client, ev)
		if e, ok := ev.Data.(slackevents.EventsAPIEvent); ok {
			_ = a.onEvent(ctx, e, received) // acknowledged; the loop ends before replies are drained
		}
	case socketmode.EventTypeInteractive:
		a.ackRequest(ctx, client, ev)
		if ic, ok := ev.Data.(slack.InteractionCallback); ok {
			_ = a.onInteraction(ctx, ic, received)
		}
	case socketmode.EventTypeSlashCommand:
		cmd, ok := ev.Data.(slack.SlashCommand)
		if !ok || ev.Request == nil {
			a.ackRequest(ctx, client, ev)
			return
		}
		// Acknowledged whatever happens, even when answering panics (the
		// deferred ack runs before the deferred Recover): an envelope not
		// acknowledged comes again, and would panic again.
		acked := false
		defer func() {
			if !acked {
				a.ackRequest(ctx, client, ev)
			}
		}()
		ans, res, answered, ok := a.slashResponse(ctx, cmd)
		acked = true
		if !ok {
			a.ackRequest(ctx, client, ev)
			return
		}
		id := ev.Request.EnvelopeID
		a.goAck(string(ev.Type), func() {
			// The ack carries the answer, as an HTTP response body would.
			// Socket Mode drops acks of 20 KiB or more, which slack-go
			// refuses to send: such an answer goes through the command's
			// response URL instead.
			err := client.AckCtx(ctx, id, res)
			if err == nil {
				if answered {
					a.obs.Answered("slack", ans.Kind, time.Since(received))
				}
				return
			}
			if ctx.Err() != nil {
				return
			}
			a.log.Debug("slack: answer too big for the ack; using the response URL", "err", relay.SafeErr(err))
			if !a.ack(ctx, client, id, nil) {
				return
			}
			_ = a.spawn(string(ev.Type), func(ctx context.Context) {
				if a.respond(ctx, cmd.ChannelID, cmd.ResponseURL, res) == nil && answered {
					a.obs.Answered("slack", ans.Kind, time.Since(received))
				}
			}, nil)
		})
	}
}

// ackRequest acknowledges ev's envelope, if it has one, with no payload.
func (a *Adapter) ackRequest(ctx context.Context, client acker, ev socketmode.Event) {
	if req := ev.Request; req != nil && req.EnvelopeID != "" {
		a.goAck(string(ev.Type), func() { a.ack(ctx, client, req.EnvelopeID, nil) })
	}
}

// ack acknowledges an envelope, with a payload or none; it reports success.
func (a *Adapter) ack(ctx context.Context, client acker, envelopeID string, payload any) bool {
	if err := client.AckCtx(ctx, envelopeID, payload); err != nil {
		// Debug, not warn: Slack redelivers an unacknowledged envelope, the
		// metric counts the failure, and a dropped connection fails every
		// pending ack at once (hundreds of lines under load).
		a.obs.PlatformError("slack", "ack")
		a.log.Debug("slack: ack failed", "err", relay.SafeErr(err))
		return false
	}
	return true
}
