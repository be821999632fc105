package discordtest

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// The events a test sends: message and interaction payloads as Discord
// delivers them, and the signature of a request to the HTTP endpoint.

// Message is a MESSAGE_CREATE event's data: content from author (nil: a
// user of ID UserID) in ChannelID of GuildID.
func Message(id, content string, author map[string]any) map[string]any {
	if author == nil {
		author = map[string]any{"id": UserID, "username": "alice"}
	}
	return map[string]any{
		"id": id, "channel_id": ChannelID, "guild_id": GuildID,
		"type": 0, "content": content, "author": author,
	}
}

// Interaction is an INTERACTION_CREATE event's data, or the body of a
// request to the HTTP endpoint: of type typ, by member UserID in ChannelID
// of GuildID, with token "token-" + id.
func Interaction(id string, typ int, data map[string]any) map[string]any {
	return map[string]any{
		"id": id, "application_id": AppID, "type": typ, "token": "token-" + id, "version": 1,
		"channel_id": ChannelID, "guild_id": GuildID,
		"member": map[string]any{"user": map[string]any{"id": UserID, "username": "alice"}},
		"data":   data,
	}
}

// SlashCommand is /http query.
func SlashCommand(id, query string) map[string]any {
	return Interaction(id, 2, map[string]any{"id": "1", "name": "http", "type": 1,
		"options": []any{map[string]any{"name": "query", "type": 3, "value": query}}})
}

// Autocomplete is /http with typed in its query so far.
func Autocomplete(id, typed string) map[string]any {
	return Interaction(id, 4, map[string]any{"id": "1", "name": "http", "type": 1,
		"options": []any{map[string]any{"name": "query", "type": 3, "value": typed, "focused": true}}})
}

// ButtonPress is a press of the button customID on a message, ephemeral or
// not.
func ButtonPress(id, customID string, ephemeral bool) map[string]any {
	flags := 0
	if ephemeral {
		flags = 64
	}
	i := Interaction(id, 3, map[string]any{"custom_id": customID, "component_type": 2})
	i["message"] = map[string]any{"id": "510000000000000001", "channel_id": ChannelID, "flags": flags, "content": ""}
	return i
}

// Sign signs a request body for the HTTP interactions endpoint as Discord
// does, Ed25519 over the timestamp and the body, and returns the headers
// to send.
func Sign(key ed25519.PrivateKey, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	h := http.Header{}
	h.Set("X-Signature-Timestamp", stamp)
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	return h
}
