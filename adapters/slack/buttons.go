package slack

import (
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Button presses: a suggestion button answers the code it names (on the
// Home tab, in the tab), and "Share in channel" posts a private answer for
// everyone.

// onInteraction handles a button press: a suggestion answers its code, the
// share button posts the private answer in public. Link buttons need nothing.
// The message shortcut is an interaction too (see onShortcut). It does no
// I/O itself (beyond the stores'), so the caller can acknowledge at once.
// It returns relay.ErrClosed when the adapter is shutting down, so that an
// HTTP request gets 503 rather than a 200 with nothing done.
func (a *Adapter) onInteraction(ctx context.Context, ic slack.InteractionCallback, received time.Time) error {
	if ic.Type != slack.InteractionTypeBlockActions && ic.Type != slack.InteractionTypeMessageAction {
		return nil
	}
	if !a.inflight.Accepting() {
		return relay.ErrClosed
	}
	if ic.Type == slack.InteractionTypeMessageAction {
		return a.onShortcut(ctx, ic, received)
	}
	var err error
	for _, act := range ic.ActionCallback.BlockActions {
		if act == nil {
			continue
		}
		// A delivery Slack retries, or a signed request sent again, has the
		// same trigger id and action time.
		if id := ic.TriggerID + act.ActionTs; id != "" && !a.seen.First(ctx, "slack:action:"+id+":"+act.ActionID) {
			continue
		}
		// Both buttons post an answer, so both count against the limits.
		switch {
		case act.ActionID == actionShare:
			if !a.allowPress(ctx, ic) {
				continue
			}
			ans, ok := a.answerShared(act.Value)
			if !ok || ans.Private {
				continue
			}
			err = cmp.Or(a.spawn(string(ic.Type), func(ctx context.Context) { a.share(ctx, ic, ans, received) }, a.busyPress(ic)), err)
		case strings.HasPrefix(act.ActionID, actionCode):
			n, ok := parseCode(act.Value)
			if ok && ic.View.Type == slack.VTHomeTab {
				err = cmp.Or(a.homePress(ctx, ic, n, received), err)
				continue
			}
			if !ok || !a.allowPress(ctx, ic) {
				continue
			}
			err = cmp.Or(a.spawn(string(ic.Type), func(ctx context.Context) { a.choose(ctx, ic, n, received) }, a.busyPress(ic)), err)
		}
	}
	if errors.Is(err, relay.ErrClosed) {
		return err
	}
	return nil
}

// allowPress applies the abuse limits to a button press. A user over them
// hears so once, privately, through the press's response URL.
func (a *Adapter) allowPress(ctx context.Context, ic slack.InteractionCallback) bool {
	channel := interactionChannel(ic)
	switch a.limit(ctx, ic.Team.ID, ic.User.ID, channel) {
	case state.Allow:
		return true
	case state.Notify:
		msg := privateMessage(a.bot.RateLimitedAnswer(""), "")
		msg.ReplaceOriginal = ptr(false)
		_ = a.spawn(string(ic.Type), func(ctx context.Context) { _ = a.respond(ctx, channel, ic.ResponseURL, msg) }, nil)
	}
	return false
}

// homePress answers a code picked on the Home tab below the home page, in
// the tab itself: it has no channel and no response URL. A user over the
// abuse limits sees the notice there once, then nothing changes.
func (a *Adapter) homePress(ctx context.Context, ic slack.InteractionCallback, n int, received time.Time) error {
	var ans *bot.Answer
	// The tab is the user's own: it is their channel for the limits.
	switch a.limit(ctx, ic.Team.ID, ic.User.ID, "home:"+ic.User.ID) {
	case state.Drop:
		return nil
	case state.Notify:
		ans = a.bot.RateLimitedAnswer(strconv.Itoa(n))
	default:
		ans = a.bot.AnswerCode(n)
	}
	// No busy notice: the tab has no response URL to give it through.
	return a.spawn(string(ic.Type), func(ctx context.Context) {
		if a.publishHome(ctx, ic.User.ID, ans) == nil && ans.Kind != bot.KindRateLimited {
			a.obs.Answered("slack", ans.Kind, time.Since(received))
		}
	}, nil)
}

// busyPress tells the user who pressed a button, privately, that the bot
// is too busy to answer it now.
func (a *Adapter) busyPress(ic slack.InteractionCallback) func(ctx context.Context) {
	return func(ctx context.Context) {
		msg := privateMessage(a.bot.BusyAnswer(""), "")
		msg.ReplaceOriginal = ptr(false)
		_ = a.respond(ctx, interactionChannel(ic), ic.ResponseURL, msg)
	}
}

// choose answers the code of a pressed suggestion button: in place of a
// private message, else in the thread of the message it was on.
func (a *Adapter) choose(ctx context.Context, ic slack.InteractionCallback, n int, received time.Time) {
	ans := a.bot.AnswerCode(n)
	channel := interactionChannel(ic)
	var err error
	if ic.Container.IsEphemeral || channel == "" {
		msg := privateMessage(ans, "c:"+strconv.Itoa(n))
		msg.ReplaceOriginal = ptr(true)
		err = a.respond(ctx, channel, ic.ResponseURL, msg)
	} else {
		thread := ic.Container.ThreadTs
		if thread == "" {
			thread = ic.Message.ThreadTimestamp
		}
		if thread == "" && !strings.HasPrefix(channel, "D") {
			thread = ic.Container.MessageTs
		}
		opts := []slack.MsgOption{slack.MsgOptionText(Text(ans), false), slack.MsgOptionBlocks(Blocks(ans)...)}
		err = a.post(ctx, channel, thread, opts)
	}
	if err == nil {
		a.obs.Answered("slack", ans.Kind, time.Since(received))
	}
}

// share posts a private answer in the channel through the response URL, then
// removes the private copy. The response URL works wherever the command was
// used, even in a channel the bot is not a member of, where chat.postMessage
// fails with not_in_channel. An ephemeral message cannot be turned public in
// place, hence a new message and a delete.
func (a *Adapter) share(ctx context.Context, ic slack.InteractionCallback, ans *bot.Answer, received time.Time) {
	channel := interactionChannel(ic)
	pub := responseMessage{ResponseType: "in_channel", ReplaceOriginal: ptr(false), Text: Text(ans), Blocks: Blocks(ans)}
	if err := a.respond(ctx, channel, ic.ResponseURL, pub); err != nil {
		return
	}
	a.obs.Answered("slack", ans.Kind, time.Since(received))
	_ = a.respond(ctx, channel, ic.ResponseURL, responseMessage{DeleteOriginal: true})
}

// answerShared answers a share button's value: "q:" and the query, "c:"
// and a code chosen from suggestions, or an explained text (see
// explainShare).
func (a *Adapter) answerShared(v string) (*bot.Answer, bool) {
	switch {
	case strings.HasPrefix(v, "q:"):
		return a.bot.Answer(v[2:]), true
	case strings.HasPrefix(v, "c:"):
		if n, ok := parseCode(v[2:]); ok {
			return a.bot.AnswerCode(n), true
		}
	case strings.HasPrefix(v, "x:"):
		return a.bot.Explain(v[2:]), true
	case strings.HasPrefix(v, "z:"):
		if text, ok := inflate(v[2:]); ok {
			return a.bot.Explain(text), true
		}
	}
	return nil, false
}

// explainShare is the value of the share button under the explanation of
// text, from which the shared answer is made again: "x:" and the text as
// the core reads it, or, when that is too long for a button, "z:" and the
// text deflated in base64; "" (no button) when neither fits. Nothing is
// kept between the two, so any replica can take the press.
func explainShare(text string) string {
	text = text[:min(len(text), bot.MaxExplainLen+1)] // a byte more: the core says it cut
	if v := "x:" + text; len(v) <= maxButtonValue {
		return v
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return ""
	}
	_, _ = w.Write([]byte(text))
	if w.Close() != nil {
		return ""
	}
	if v := "z:" + base64.RawURLEncoding.EncodeToString(buf.Bytes()); len(v) <= maxButtonValue {
		return v
	}
	return ""
}

// inflate reads a text explainShare deflated, no longer than the core
// reads (and a byte more).
func inflate(v string) (string, bool) {
	data, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return "", false
	}
	text, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data)), bot.MaxExplainLen+1))
	return string(text), err == nil
}

func interactionChannel(ic slack.InteractionCallback) string {
	if ic.Container.ChannelID != "" {
		return ic.Container.ChannelID
	}
	return ic.Channel.ID
}

// parseCode reads a suggestion button's code.
func parseCode(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 100 && n <= 599
}
