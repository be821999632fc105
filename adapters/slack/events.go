package slack

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Slack events to questions: mentions, direct messages and the /http
// command, from Socket Mode or HTTP mode alike.

// message is a question asked in a channel or a DM.
type message struct {
	kind     string // the event type: app_mention or message
	team     string
	channel  string
	user     string
	ts       string
	threadTS string
	text     string // the question, mention stripped and unescaped
	dm       bool
	received time.Time
}

// onEvent takes one Events API event and, if it is a question not seen
// before, answers it in the background. It does no I/O itself (beyond the
// stores'), so the caller can acknowledge at once. It returns
// relay.ErrClosed when the adapter is shutting down and has not taken a
// question, so that an HTTP request can get 503 and be sent again (to
// another replica), never a 200 with its reply dropped.
func (a *Adapter) onEvent(ctx context.Context, ev slackevents.EventsAPIEvent, received time.Time) error {
	if ev.Type == slackevents.AppRateLimited {
		a.obs.RateLimited("slack")
		a.log.Warn("slack: Slack is rate limiting this app's events")
		return nil
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return nil
	}
	m, ok := a.question(ev.InnerEvent.Data)
	if !ok {
		return nil
	}
	// Before the event is recorded as answered, so that its next delivery
	// is not taken for a duplicate.
	if !a.inflight.Accepting() {
		return relay.ErrClosed
	}
	m.team, m.received = cb.TeamID, received
	// Slack retries an event with the same event_id, and delivers a mention
	// in a DM both as app_mention and as message: answer each message once.
	// Every delivery of a message has its key, so whichever delivery sees
	// it first goes on, alone, to the event's own key.
	if !a.seen.First(ctx, "slack:msg:"+m.channel+":"+m.ts) || cb.EventID != "" && !a.seen.First(ctx, "slack:event:"+cb.EventID) {
		a.log.Debug("slack: duplicate event ignored", "event_id", cb.EventID, "channel", m.channel)
		return nil
	}
	var err error
	switch a.limit(ctx, m.team, m.user, m.channel) {
	case state.Drop:
	case state.Notify:
		err = a.spawn(m.kind, func(ctx context.Context) {
			_ = a.send(ctx, m, a.bot.RateLimitedAnswer(m.text), true)
		}, nil)
	default:
		err = a.spawn(m.kind, func(ctx context.Context) { a.reply(ctx, m) }, func(ctx context.Context) {
			_ = a.send(ctx, m, a.bot.BusyAnswer(m.text), !m.dm)
		})
	}
	if errors.Is(err, relay.ErrClosed) {
		return err
	}
	return nil
}

// question extracts a question from an inner event, ignoring bots, the bot
// itself, edits and other message subtypes.
func (a *Adapter) question(inner any) (message, bool) {
	self := a.selfID()
	var m message
	switch e := inner.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.Edited != nil {
			return m, false
		}
		m = message{kind: e.Type, channel: e.Channel, user: e.User, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, text: e.Text,
			dm: strings.HasPrefix(e.Channel, "D")}
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" {
			return m, false
		}
		m = message{kind: e.Type, channel: e.Channel, user: e.User, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, text: e.Text, dm: true}
	default:
		return m, false
	}
	if m.user == "" || m.user == self || m.channel == "" || m.ts == "" {
		return m, false
	}
	m.text = strings.TrimSpace(unescape(stripMention(m.text, self)))
	return m, true
}

// stripMention removes every mention of user id self (<@U123> or
// <@U123|name>) from text.
func stripMention(text, self string) string {
	if self == "" {
		return text
	}
	open := "<@" + self
	var sb strings.Builder
	for {
		i := strings.Index(text, open)
		if i < 0 {
			break
		}
		rest := text[i+len(open):]
		end := strings.IndexByte(rest, '>')
		if end < 0 || (end > 0 && rest[0] != '|') {
			// Another user whose id starts with ours: keep it.
			sb.WriteString(text[:i+len(open)])
			text = rest
			continue
		}
		sb.WriteString(text[:i])
		sb.WriteByte(' ')
		text = rest[end+1:]
	}
	sb.WriteString(text)
	return sb.String()
}

// reply answers a question in its channel: in a thread under a channel
// mention, in the DM itself for a direct message. An answer the core marks
// private (help, errors) goes only to the asker in a channel.
func (a *Adapter) reply(ctx context.Context, m message) {
	ans := a.bot.Answer(m.text)
	if a.send(ctx, m, ans, ans.Private && !m.dm) == nil {
		a.obs.Answered("slack", ans.Kind, time.Since(m.received))
	}
}

// slashResponse answers /http privately, with a "Share in channel" button
// when the answer may be shown to everyone. A user over the abuse limits
// gets the notice once, then nothing, and a command seen before (by its
// trigger id) nothing: ok is false when there is nothing to say, and
// answered false when the response is not an answer.
func (a *Adapter) slashResponse(ctx context.Context, cmd slack.SlashCommand) (ans *bot.Answer, res responseMessage, answered, ok bool) {
	// Slack does not send a command twice, but a signed request can be
	// sent again, and an envelope not acknowledged comes again after a
	// reconnect: each trigger id is answered once.
	if cmd.TriggerID != "" && !a.seen.First(ctx, "slack:trigger:"+cmd.TriggerID) {
		a.obs.Refused("slack", "replay")
		a.log.Debug("slack: slash command seen before; not answered again", "channel", cmd.ChannelID)
		return nil, responseMessage{}, false, false
	}
	q := strings.TrimSpace(unescape(cmd.Text))
	switch a.limit(ctx, cmd.TeamID, cmd.UserID, cmd.ChannelID) {
	case state.Drop:
		return nil, responseMessage{}, false, false
	case state.Notify:
		ans = a.bot.RateLimitedAnswer(q)
		return ans, privateMessage(ans, ""), false, true
	}
	ans = a.bot.Answer(q)
	return ans, privateMessage(ans, "q:"+q), true, true
}
