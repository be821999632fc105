package discord

import (
	"context"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Button presses: a suggestion button answers the code it names, and "Show
// everyone" shows an explanation to the channel.

// The custom_id prefixes of the adapter's buttons: a suggestion answers a
// code; "Show everyone" shows the explanation of a message (by its ID).
const (
	customIDPrefix = "statusbot:code:"
	showIDPrefix   = "statusbot:show:"
)

// press is the response to a button press: the answer to the code of a
// suggestion button, as a new message, so that the answer the button sits
// on stays as it was for everyone else. A press of someone else's button,
// or of one past the abuse limits once told, is acknowledged and changes
// nothing.
func (a *Adapter) press(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, bot.Kind) {
	data, _ := i.Data.(discordgo.MessageComponentInteractionData)
	if target, ok := parseShowID(data.CustomID); ok {
		return a.showEveryone(ctx, i, target)
	}
	n, ok := parseCustomID(data.CustomID)
	if !ok {
		// Not ours: acknowledge so the user sees no error, change nothing.
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, ""
	}
	if resp, kind, limited := a.limitPress(ctx, i, strconv.Itoa(n)); limited {
		return resp, kind
	}
	// As private as the message the button was on.
	ans := a.b.AnswerCode(n)
	private := ans.Private || (i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0)
	return messageResponse(ans, private), ans.Kind
}

// showEveryone posts an explanation the asker alone sees (the message the
// button is on) for everyone, under a link to the message it explains: as a
// new message through the interaction, which works where the bot is not a
// member. A press of a button on anything else changes nothing.
func (a *Adapter) showEveryone(ctx context.Context, i *discordgo.Interaction, target string) (*discordgo.InteractionResponse, bot.Kind) {
	if resp, kind, limited := a.limitPress(ctx, i, ""); limited {
		return resp, kind
	}
	if i.Message == nil || len(i.Message.Embeds) == 0 {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, ""
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: shown(i.Message, messageLink(i.GuildID, i.ChannelID, target)),
	}, bot.KindExplain
}

// limitPress applies the abuse limits to a button press. A press past
// them gets the private notice once (limited, with the response), then an
// acknowledgement that changes nothing.
func (a *Adapter) limitPress(ctx context.Context, i *discordgo.Interaction, query string) (resp *discordgo.InteractionResponse, kind bot.Kind, limited bool) {
	switch a.limiter.Check(ctx, i.GuildID, interactionUser(i), i.ChannelID) {
	case state.Notify:
		ans := a.b.RateLimitedAnswer(query)
		return messageResponse(ans, true), ans.Kind, true
	case state.Drop:
		// Acknowledged, and nothing changes: silence, with no error shown.
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, "", true
	}
	return nil, "", false
}

// messageLink is the link to a message, which Discord shows as a jump to
// it ("@me" stands for the guild of a DM or group DM), or "" when an ID is
// not one.
func messageLink(guild, channel, message string) string {
	if guild == "" {
		guild = "@me"
	} else if !isSnowflake(guild) {
		return ""
	}
	if !isSnowflake(channel) || !isSnowflake(message) {
		return ""
	}
	return "https://discord.com/channels/" + guild + "/" + channel + "/" + message
}

// CustomID is the custom_id of the suggestion button that answers code n.
func CustomID(n int) string { return customIDPrefix + strconv.Itoa(n) }

// showID is the custom_id of the "Show everyone" button under the
// explanation of the message with this ID; ok is false for anything that is
// not a Discord ID.
func showID(message string) (id string, ok bool) {
	if !isSnowflake(message) {
		return "", false
	}
	return showIDPrefix + message, true
}

// parseShowID returns the ID of the message a "Show everyone" button's
// explanation explains.
func parseShowID(id string) (string, bool) {
	s, ok := strings.CutPrefix(id, showIDPrefix)
	return s, ok && isSnowflake(s)
}

// isSnowflake reports whether s is a Discord ID: up to 20 decimal digits.
func isSnowflake(s string) bool {
	return s != "" && len(s) <= 20 && strings.Trim(s, "0123456789") == ""
}

// parseCustomID returns the code a suggestion button answers.
func parseCustomID(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, customIDPrefix)
	if !ok || len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
