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
		return a.retry(ctx, "post_ephemeral", m.channel, func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, m.channel, m.user, opts...)
			return err
		})
	}
	thread := m.threadTS
	if thread == "" && !m.dm {
		thread = m.ts
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return a.post(ctx, m.channel, opts)
}

// post calls chat.postMessage with retries.
func (a *Adapter) post(ctx context.Context, channel string, opts []slack.MsgOption) error {
	return a.retry(ctx, "post_message", channel, func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
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
	err := a.try(ctx, "post_ephemeral", channel, func(ctx context.Context) error {
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
	return a.retry(ctx, "views_publish", user, func(ctx context.Context) error {
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
