package slack

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/bot"
)

// Replies out: chat.postMessage and chat.postEphemeral through the Web API,
// and messages to a response URL.

// send posts ans in reply to m: only to the asker when ephemeral, else in
// the DM, or in the thread of a channel mention.
func (a *Adapter) send(ctx context.Context, m message, ans *bot.Answer, ephemeral bool) error {
	opts := []slack.MsgOption{slack.MsgOptionText(Text(ans), false), slack.MsgOptionBlocks(Blocks(ans)...)}
	if a.beforePost != nil {
		a.beforePost(time.Since(m.received))
	}
	if ephemeral {
		// Slack shows an ephemeral message in a thread only once the thread
		// exists, so a private answer to a top-level mention goes in the channel.
		if m.threadTS != "" {
			opts = append(opts, slack.MsgOptionTS(m.threadTS))
		}
		// An ephemeral message cannot be read back: posted at most once.
		return a.retry(ctx, "post_ephemeral", m.channel, once, func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, m.channel, m.user, opts...)
			return err
		})
	}
	thread := m.threadTS
	if thread == "" && !m.dm {
		thread = m.ts
	}
	return a.post(ctx, m.channel, thread, opts)
}

// replyEvent is the metadata event type of every message the bot posts
// with chat.postMessage; its payload's "reply" is a mark of that reply
// alone, by which posted finds it again.
const replyEvent = "statusbot_reply"

// post calls chat.postMessage in channel (in the thread of thread, when
// set). It repeats a post that certainly did not take effect (see
// retry.go). After a failure that leaves it in doubt (a 5xx, a dropped
// connection once the request was written), it first looks for the
// message, marked with a metadata mark of its own: found, the reply is
// done; not there, it posts again; when it cannot look (the check fails,
// or lacks the scope to read the channel), it gives up rather than risk
// posting twice.
func (a *Adapter) post(ctx context.Context, channel, thread string, opts []slack.MsgOption) error {
	mark := newMark()
	opts = append(slices.Clip(opts), slack.MsgOptionMetadata(slack.SlackMetadata{
		EventType: replyEvent, EventPayload: map[string]any{"reply": mark},
	}))
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	since := time.Now()
	var doubt error // the last attempt's error, when it may have posted
	check := func(ctx context.Context) (bool, error) {
		found, err := a.posted(ctx, channel, thread, mark, since)
		if err != nil {
			return false, &unchecked{err: doubt, check: err}
		}
		return found, nil
	}
	err := a.retryPolicy.Do(ctx, a.log.With("op", "post_message", "channel", channel), func(ctx context.Context) error {
		if doubt != nil {
			if found, err := check(ctx); found || err != nil {
				return err
			}
		}
		err := traced(ctx, func(ctx context.Context) error {
			_, _, err := a.api.PostMessageContext(ctx, channel, opts...)
			return err
		})
		doubt = nil
		if uncertain(err) {
			doubt = err
		}
		return err
	}, a.retryablePost)
	if err != nil && doubt != nil && !errors.As(err, new(*unchecked)) && ctx.Err() == nil {
		// Out of attempts, in doubt: the reply may be there after all.
		found, cerr := check(ctx)
		switch {
		case cerr != nil:
			err = cerr
		case found:
			a.log.Info("slack: the reply was posted after all", "op", "post_message", "channel", channel)
			return nil
		}
	}
	if err != nil {
		a.failed("post_message", channel, err)
	}
	return err
}

// retryablePost judges a failed chat.postMessage: repeated after a 429
// with Retry-After or a request never sent, and after a failure that
// leaves it in doubt, since post looks for the message before posting
// again. A failed check ends the retries.
func (a *Adapter) retryablePost(err error) (time.Duration, bool) {
	if errors.As(err, new(*unchecked)) {
		return 0, false
	}
	if wait, ok := a.retryableOnce(err); ok || !uncertain(err) {
		return wait, ok
	}
	return 0, true
}

// Reading back: how far back, and how much, posted looks.
const (
	checkSkew  = time.Minute // the bot's clock against Slack's
	checkPage  = 200         // messages a page
	checkPages = 5           // pages at most
)

// posted reports whether the bot's message marked mark is in channel (in
// the thread of thread, when set), posted since since: through
// conversations.replies or conversations.history, which need the history
// scope of the channel's kind (im:history for DMs, channels:history,
// groups:history or mpim:history elsewhere). The reads are repeated like
// any idempotent call; an error means it cannot tell.
func (a *Adapter) posted(ctx context.Context, channel, thread, mark string, since time.Time) (bool, error) {
	from := since.Add(-checkSkew)
	oldest, cursor := fmt.Sprintf("%d.%06d", from.Unix(), from.Nanosecond()/1000), ""
	self, botID := a.selfID(), ""
	if p := a.botID.Load(); p != nil {
		botID = *p
	}
	for range checkPages {
		var msgs []slack.Message
		var next string
		err := a.retryPolicy.Do(ctx, a.log.With("op", "check_posted", "channel", channel), func(ctx context.Context) error {
			var err error
			if thread != "" {
				msgs, _, next, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
					ChannelID: channel, Timestamp: thread, Oldest: oldest, Cursor: cursor, Limit: checkPage, IncludeAllMetadata: true,
				})
				return err
			}
			res, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
				ChannelID: channel, Oldest: oldest, Cursor: cursor, Limit: checkPage, IncludeAllMetadata: true,
			})
			if err == nil {
				msgs, next = res.Messages, res.ResponseMetaData.NextCursor
			}
			return err
		}, a.retryableIdempotent)
		if err != nil {
			return false, fmt.Errorf("look for the reply: %w", err)
		}
		for _, m := range msgs {
			md := m.Metadata
			if md.EventType == replyEvent && md.EventPayload["reply"] == mark && (m.User == self || m.BotID == botID) {
				return true, nil
			}
		}
		if next == "" {
			return false, nil
		}
		cursor = next
	}
	return false, fmt.Errorf("look for the reply: more than %d messages since the post", checkPage*checkPages)
}

// newMark is a mark for one reply: 128 random bits in hex.
func newMark() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// tellPrivately shows msg to user alone in channel, in thread if there is
// one, with chat.postEphemeral. Where the bot is not a member (a shortcut
// works in any channel the user is in), Slack refuses that, and msg goes
// through responseURL instead, which works wherever the shortcut did.
func (a *Adapter) tellPrivately(ctx context.Context, channel, user, thread, responseURL string, msg responseMessage) error {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	err := a.try(ctx, "post_ephemeral", channel, once, func(ctx context.Context) error {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
	var refused slack.SlackErrorResponse
	if errors.As(err, &refused) && (refused.Err == "not_in_channel" || refused.Err == "channel_not_found") {
		a.log.Debug("slack: not in the channel; answering through the response URL", "channel", channel)
		return a.respond(ctx, channel, responseURL, msg)
	}
	if err != nil {
		a.failed("post_ephemeral", channel, err)
	}
	return err
}

// publishHome publishes user's Home tab: the home page, and shown below it
// when set.
func (a *Adapter) publishHome(ctx context.Context, user string, shown *bot.Answer) error {
	view := homeView(a.bot.Home(), shown)
	return a.retry(ctx, "views_publish", user, idempotent, func(ctx context.Context) error {
		_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
		return err
	})
}

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

// respond posts msg to a response URL. channel is only for the log. A
// message that replaces or deletes the original does the same when posted
// twice, and is retried like any idempotent call; a new message cannot be
// read back (the channel may be one the bot is not in), so it is repeated
// only when it certainly did not take effect.
func (a *Adapter) respond(ctx context.Context, channel, responseURL string, msg responseMessage) error {
	if host, ok := a.slackURL(responseURL); !ok {
		a.obs.Refused("slack", "response_url")
		if held, ok := a.urlRefusals.Allow(); ok {
			// The host only: the rest of a response URL is a credential.
			a.log.Warn("slack: response URL refused: not https on a Slack host", "channel", channel, "host", host,
				"refused_since_last_line", held)
		}
		return errors.New("slack: response URL refused")
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	mode := once
	if msg.DeleteOriginal || (msg.ReplaceOriginal != nil && *msg.ReplaceOriginal) {
		mode = idempotent
	}
	return a.retry(ctx, "response_url", channel, mode, func(ctx context.Context) error {
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

// hooksHost is where Slack's response URLs point.
const hooksHost = "hooks.slack.com"

// slackURL reports whether a response URL may be posted to, and its host:
// only https on hooks.slack.com, or on the host of the Web API base (with
// that base's scheme, so that a test's fake on http works), never with
// user information. A response URL comes inside a request or envelope;
// without this check, a forged or replayed one could make the bot post,
// with its answer, to any host its network reaches.
func (a *Adapter) slackURL(raw string) (host string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	switch {
	case u.User != nil || u.Host == "":
		return u.Host, false
	case u.Scheme == "https" && u.Hostname() == hooksHost && (u.Port() == "" || u.Port() == "443"):
		return u.Host, true
	}
	return u.Host, u.Scheme == a.apiBase.Scheme && u.Host == a.apiBase.Host
}

// drainBody reads at most n bytes of a response body, so the connection can
// be reused.
func drainBody(r io.Reader, n int64) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, n))
	return b
}
