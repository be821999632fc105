package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// responseMessage is a reply through a response URL, or a slash command's
// immediate response (an HTTP body or a Socket Mode ack payload).
type responseMessage struct {
	ResponseType    string        `json:"response_type,omitempty"` // "ephemeral" or "in_channel"
	Text            string        `json:"text,omitempty"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal *bool         `json:"replace_original,omitempty"`
	DeleteOriginal  bool          `json:"delete_original,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// slashResponse answers /http privately, with a "Share in channel" button
// when the answer may be shown to everyone. A user over the abuse limits
// gets the notice once, then nothing: ok is false when there is nothing to
// say, and answered false when the response is not an answer.
func (a *Adapter) slashResponse(ctx context.Context, cmd slack.SlashCommand) (ans *bot.Answer, res responseMessage, answered, ok bool) {
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

// privateMessage is an ephemeral reply carrying ans, and a share button that
// answers share (see answerShared) in public; none when share is empty.
func privateMessage(ans *bot.Answer, share string) responseMessage {
	var extra []slack.BlockElement
	if !ans.Private && share != "" && len(share) <= maxButtonValue {
		extra = append(extra, slack.NewButtonBlockElement(actionShare, share, plain("Share in channel", maxButtonText)))
	}
	return responseMessage{ResponseType: "ephemeral", Text: Text(ans), Blocks: render(ans, extra)}
}

// answerShared answers a share button's value: "q:" and the query, or "c:"
// and a code chosen from suggestions.
func (a *Adapter) answerShared(v string) (*bot.Answer, bool) {
	switch {
	case strings.HasPrefix(v, "q:"):
		return a.bot.Answer(v[2:]), true
	case strings.HasPrefix(v, "c:"):
		if n, ok := parseCode(v[2:]); ok {
			return a.bot.AnswerCode(n), true
		}
	}
	return nil, false
}

// onInteraction handles a button press: a suggestion answers its code, the
// share button posts the private answer in public. Link buttons need nothing.
// It does no I/O itself, so the caller can acknowledge at once.
func (a *Adapter) onInteraction(ctx context.Context, ic slack.InteractionCallback, received time.Time) {
	if ic.Type != slack.InteractionTypeBlockActions {
		return
	}
	for _, act := range ic.ActionCallback.BlockActions {
		if act == nil {
			continue
		}
		// A delivery Slack retries has the same trigger id and action time.
		if id := ic.TriggerID + act.ActionTs; id != "" && !a.seen.First(ctx, "action:"+id+":"+act.ActionID) {
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
			a.spawn(string(ic.Type), func(ctx context.Context) { a.share(ctx, ic, ans, received) })
		case strings.HasPrefix(act.ActionID, actionCode):
			n, ok := parseCode(act.Value)
			if !ok || !a.allowPress(ctx, ic) {
				continue
			}
			a.spawn(string(ic.Type), func(ctx context.Context) { a.choose(ctx, ic, n, received) })
		}
	}
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
		a.spawn(string(ic.Type), func(ctx context.Context) { _ = a.respond(ctx, channel, ic.ResponseURL, msg) })
	}
	return false
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
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		err = a.post(ctx, channel, opts)
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

func interactionChannel(ic slack.InteractionCallback) string {
	if ic.Container.ChannelID != "" {
		return ic.Container.ChannelID
	}
	return ic.Channel.ID
}

// respond posts msg to a response URL, with the retries of a Web API call.
// channel is only for the log.
func (a *Adapter) respond(ctx context.Context, channel, responseURL string, msg responseMessage) error {
	u, err := url.Parse(responseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		a.obs.PlatformError("slack", "response_url")
		a.log.Error("slack: no usable response URL", "channel", channel)
		return errors.New("slack: no usable response URL")
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	return a.retry(ctx, "response_url", channel, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		res, err := a.http.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		b := drainBody(res.Body, 64<<10)
		switch {
		case res.StatusCode == http.StatusTooManyRequests:
			if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil {
				return &slack.RateLimitedError{RetryAfter: time.Duration(s) * time.Second}
			}
			return slack.StatusCodeError{Code: res.StatusCode, Status: res.Status}
		case res.StatusCode != http.StatusOK:
			return slack.StatusCodeError{Code: res.StatusCode, Status: res.Status}
		}
		// Slack answers "ok", or JSON with ok and an error code.
		if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); ct == "application/json" {
			var r struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			}
			if json.Unmarshal(b, &r) == nil && !r.OK {
				return fmt.Errorf("response URL refused the message: %s", r.Error)
			}
		}
		return nil
	})
}

// drainBody reads at most n bytes of a response body, so the connection can
// be reused.
func drainBody(r io.Reader, n int64) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, n))
	return b
}

// parseCode reads a suggestion button's code.
func parseCode(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 100 && n <= 599
}
