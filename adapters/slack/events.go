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

// Slack events to questions: mentions, direct messages, the /http command
// and the message shortcut, from Socket Mode or HTTP mode alike.

// CallbackExplain is the callback id of the message shortcut
// bot.ExplainAction ("Explain HTTP status"), as the manifest declares it.
const CallbackExplain = "statusbot_explain"

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
	if e, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok {
		return a.onHomeOpened(ctx, cb.EventID, e)
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

// onShortcut answers the message shortcut with the core's explanation of
// the message, shown to the person who used it alone, with "Share in
// channel" when the answer may be shown to everyone. It does no I/O itself,
// so the caller can acknowledge at once; it returns spawn's error.
func (a *Adapter) onShortcut(ctx context.Context, ic slack.InteractionCallback, received time.Time) error {
	if ic.CallbackID != CallbackExplain || ic.User.ID == "" {
		return nil
	}
	// A delivery Slack retries, or a signed request sent again, has the
	// same trigger id.
	if ic.TriggerID != "" && !a.seen.First(ctx, "slack:trigger:"+ic.TriggerID) {
		return nil
	}
	text := messageText(ic.Message)
	ans, share := a.bot.RateLimitedAnswer(text), ""
	switch a.limit(ctx, ic.Team.ID, ic.User.ID, ic.Channel.ID) {
	case state.Drop:
		return nil
	case state.Allow:
		ans, share = a.bot.Explain(text), explainShare(text)
	}
	msg := privateMessage(ans, share)
	return a.spawn(string(ic.Type), func(ctx context.Context) {
		err := a.tellPrivately(ctx, ic.Channel.ID, ic.User.ID, ic.Message.ThreadTimestamp, ic.ResponseURL, msg)
		if err == nil && ans.Kind != bot.KindRateLimited {
			a.obs.Answered("slack", ans.Kind, time.Since(received))
		}
	}, a.busyPress(ic))
}

// messageText is the text of a message to explain, as a person would read
// it: its text, unescaped, then its attachments' (alerting tools post
// theirs as attachments), no more than the core reads.
func messageText(m slack.Message) string {
	texts := []string{m.Text}
	for _, at := range m.Attachments {
		texts = append(texts, at.Pretext, at.Title, at.Text)
		for _, f := range at.Fields {
			texts = append(texts, f.Title+": "+f.Value)
		}
	}
	for i := range texts {
		texts[i] = unescape(texts[i])
	}
	return relay.Pasted(bot.MaxExplainLen, texts...)
}

// onHomeOpened publishes the Home tab when a user opens it and it is not
// there yet, or is another version's. Slack sends the event every time the
// tab is opened, with the view it shows: a current one is left as it is,
// with any answer picked there. It does no I/O itself (beyond the
// stores'), and returns relay.ErrClosed as onEvent does.
func (a *Adapter) onHomeOpened(ctx context.Context, eventID string, e *slackevents.AppHomeOpenedEvent) error {
	if e.Tab != "home" || e.User == "" {
		return nil
	}
	if e.View != nil && e.View.PrivateMetadata == homeView(a.bot.Home(), nil).PrivateMetadata {
		return nil
	}
	if !a.inflight.Accepting() {
		return relay.ErrClosed // before the event is recorded as answered
	}
	if eventID != "" && !a.seen.First(ctx, "slack:event:"+eventID) {
		return nil
	}
	err := a.spawn(e.Type, func(ctx context.Context) { _ = a.publishHome(ctx, e.User, nil) }, nil)
	if errors.Is(err, relay.ErrClosed) {
		return err
	}
	return nil
}
