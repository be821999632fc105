package discord

import (
	"context"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Button presses: a suggestion button answers the code it names.

// customIDPrefix starts the custom_id of every button the adapter renders.
const customIDPrefix = "statusbot:code:"

// press is the response to a button press: the answer to the code of a
// suggestion button, as a new message, so that the answer the button sits
// on stays as it was for everyone else. A press of someone else's button,
// or of one past the abuse limits once told, is acknowledged and changes
// nothing.
func (a *Adapter) press(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, bot.Kind) {
	data, _ := i.Data.(discordgo.MessageComponentInteractionData)
	n, ok := parseCustomID(data.CustomID)
	if !ok {
		// Not ours: acknowledge so the user sees no error, change nothing.
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, ""
	}
	switch a.limiter.Check(ctx, i.GuildID, interactionUser(i), i.ChannelID) {
	case state.Notify:
		ans := a.b.RateLimitedAnswer(strconv.Itoa(n))
		return messageResponse(ans, true), ans.Kind
	case state.Drop:
		// Acknowledged, and nothing changes: silence, with no error shown.
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, ""
	}
	// As private as the message the button was on.
	ans := a.b.AnswerCode(n)
	private := ans.Private || (i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0)
	return messageResponse(ans, private), ans.Kind
}

// CustomID is the custom_id of the suggestion button that answers code n.
func CustomID(n int) string { return customIDPrefix + strconv.Itoa(n) }

// parseCustomID returns the code a suggestion button answers.
func parseCustomID(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, customIDPrefix)
	if !ok || len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
