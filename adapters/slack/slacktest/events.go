package slacktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// The events a test sends: payloads as Slack delivers them, and the
// signature of an HTTP-mode request.

// Sign signs an HTTP-mode request body as Slack does, with secret and
// timestamp ts, and returns the headers to send.
func Sign(secret string, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", stamp)
	mac.Write(body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", stamp)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

// EventCallback wraps an inner event in the Events API's outer event.
func EventCallback(eventID string, event map[string]any) map[string]any {
	return map[string]any{
		"token": "verification-token-unused", "team_id": TeamID, "api_app_id": AppID,
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"event": event,
	}
}

// Mention is an app_mention event; threadTS may be empty.
func Mention(channel, user, ts, threadTS, text string) map[string]any {
	e := map[string]any{"type": "app_mention", "channel": channel, "user": user, "ts": ts, "event_ts": ts, "text": text}
	if threadTS != "" {
		e["thread_ts"] = threadTS
	}
	return e
}

// DirectMessage is a message.im event.
func DirectMessage(channel, user, ts, text string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "channel": channel, "user": user, "ts": ts, "event_ts": ts, "text": text}
}

// triggers numbers the trigger ids SlashCommand hands out.
var triggers atomic.Int64

// SlashCommand is the payload of /http text, as Socket Mode sends it, with
// a trigger id of its own, as each use of a command has.
func SlashCommand(channel, user, text, responseURL string) map[string]any {
	return map[string]any{
		"token": "unused", "team_id": TeamID, "team_domain": "fake", "channel_id": channel, "channel_name": "general",
		"user_id": user, "user_name": "someone", "command": "/http", "text": text,
		"response_url": responseURL, "trigger_id": fmt.Sprintf("%d.%d.trigger", time.Now().Unix(), triggers.Add(1)), "api_app_id": AppID,
	}
}

// SlashCommandForm is the form body of /http text, as HTTP mode receives it.
func SlashCommandForm(channel, user, text, responseURL string) url.Values {
	v := url.Values{}
	for k, val := range SlashCommand(channel, user, text, responseURL) {
		v.Set(k, val.(string))
	}
	return v
}

// BlockAction is the payload of a button press on a message in channel;
// messageTS is the message's ts, threadTS its thread's (or empty).
func BlockAction(channel, user, actionID, value, responseURL, messageTS, threadTS string, ephemeral bool) map[string]any {
	container := map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": ephemeral}
	message := map[string]any{"type": "message", "ts": messageTS}
	if threadTS != "" {
		container["thread_ts"] = threadTS
		message["thread_ts"] = threadTS
	}
	return map[string]any{
		"type":         "block_actions",
		"team":         map[string]any{"id": TeamID},
		"user":         map[string]any{"id": user},
		"api_app_id":   AppID,
		"container":    container,
		"channel":      map[string]any{"id": channel},
		"message":      message,
		"response_url": responseURL,
		"trigger_id":   "trigger-" + actionID + "-" + value + "-" + messageTS,
		"actions": []any{map[string]any{
			"type": "button", "action_id": actionID, "block_id": "b1", "value": value,
			"action_ts": "1700000100.000001", "text": map[string]any{"type": "plain_text", "text": "x"},
		}},
	}
}

// MessageShortcut is the payload of the message shortcut callbackID, used
// by user on the message with ts and text (as Slack escapes it) in
// channel; threadTS is its thread's, or empty. Socket Mode sends it as an
// "interactive" envelope; HTTP mode posts it as the payload form field.
func MessageShortcut(callbackID, channel, user, ts, threadTS, text, responseURL string) map[string]any {
	message := map[string]any{"type": "message", "user": "U9", "ts": ts, "text": text}
	if threadTS != "" {
		message["thread_ts"] = threadTS
	}
	return map[string]any{
		"type":         "message_action",
		"token":        "unused",
		"action_ts":    "1700000200.000001",
		"team":         map[string]any{"id": TeamID, "domain": "fake"},
		"user":         map[string]any{"id": user, "name": "someone"},
		"channel":      map[string]any{"id": channel, "name": "general"},
		"callback_id":  callbackID,
		"trigger_id":   "trigger-" + callbackID + "-" + channel + "-" + ts,
		"message_ts":   ts,
		"message":      message,
		"response_url": responseURL,
	}
}

// AppHomeOpened is an app_home_opened event: user opened the app's Home
// tab, which shows view (nil: nothing published yet).
func AppHomeOpened(user string, view map[string]any) map[string]any {
	e := map[string]any{"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home", "event_ts": "1700000700.000001"}
	if view != nil {
		e["view"] = view
	}
	return e
}

// HomeBlockAction is the payload of a press, at actionTS, of a button on
// user's Home tab: it has a view, and no channel, message or response URL.
func HomeBlockAction(user, actionID, value, actionTS string) map[string]any {
	return map[string]any{
		"type":       "block_actions",
		"team":       map[string]any{"id": TeamID},
		"user":       map[string]any{"id": user},
		"api_app_id": AppID,
		"container":  map[string]any{"type": "view", "view_id": "VHOME"},
		"view":       map[string]any{"id": "VHOME", "type": "home", "private_metadata": ""},
		"trigger_id": "trigger-home-" + user + "-" + actionID + "-" + actionTS,
		"actions": []any{map[string]any{
			"type": "button", "action_id": actionID, "block_id": "b1", "value": value,
			"action_ts": actionTS, "text": map[string]any{"type": "plain_text", "text": "x"},
		}},
	}
}
