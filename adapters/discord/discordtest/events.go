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
// of GuildID, where the app is installed, with token "token-" + id.
func Interaction(id string, typ int, data map[string]any) map[string]any {
	return map[string]any{
		"id": id, "application_id": AppID, "type": typ, "token": "token-" + id, "version": 1,
		"channel_id": ChannelID, "guild_id": GuildID, "context": 0,
		"authorizing_integration_owners": map[string]any{"0": GuildID},
		"member":                         map[string]any{"user": map[string]any{"id": UserID, "username": "alice"}},
		"data":                           data,
	}
}

// InUserInstall moves interaction i to where only a user install reaches:
// group DM GroupDMID (context 2), of which the bot is no member, used by
// UserID, who installed the app to their account. It has no guild and no
// member, only the user.
func InUserInstall(i map[string]any) map[string]any {
	delete(i, "guild_id")
	delete(i, "member")
	i["channel_id"] = GroupDMID
	i["user"] = map[string]any{"id": UserID, "username": "alice"}
	i["context"] = 2
	i["authorizing_integration_owners"] = map[string]any{"1": UserID}
	if m, ok := i["message"].(map[string]any); ok {
		m["channel_id"] = GroupDMID
	}
	return i
}

// MessageCommand is the message command name used on message (as Message
// makes it): Discord resolves the message into the interaction, so reading
// it needs no Message Content intent.
func MessageCommand(id, name string, message map[string]any) map[string]any {
	target, _ := message["id"].(string)
	return Interaction(id, 2, map[string]any{"id": "2", "name": name, "type": 3, "target_id": target,
		"resolved": map[string]any{"messages": map[string]any{target: message}}})
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
	return ButtonPressOn(id, customID, map[string]any{"id": "510000000000000001", "channel_id": ChannelID, "flags": flags, "content": ""})
}

// ButtonPressOn is a press of the button customID on message, which
// Discord sends whole, ephemeral or not, embeds and components included.
func ButtonPressOn(id, customID string, message map[string]any) map[string]any {
	i := Interaction(id, 3, map[string]any{"custom_id": customID, "component_type": 2})
	i["message"] = message
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
