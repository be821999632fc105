package discord

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Discord events to questions: message commands, slash commands and
// autocomplete, from the gateway or the HTTP endpoint alike.

// question is the question a message asks the bot: ok is false for a
// message that is not a message command (see messageQuery), or that comes
// from a bot, a webhook, the system or the bot itself. It does no I/O, so
// the gateway's read loop can call it.
func (a *Adapter) question(self string, m *discordgo.Message) (query string, ok bool) {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return "", false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return "", false
	}
	if self == "" || m.Author.ID == self {
		return "", false
	}
	return messageQuery(m.Content, a.cfg.Prefix, self)
}

// onMessage answers a message command's query with a reply to it. A user
// asking too fast gets one reply saying so, then silence: plain messages
// cannot be ephemeral, and a direct message may be refused (closed DMs)
// and costs another call, so the notice goes where the questions are.
func (a *Adapter) onMessage(ctx context.Context, m *discordgo.Message, query string, received time.Time) {
	var ans *bot.Answer
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	switch a.limiter.Check(ctx, m.GuildID, m.Author.ID, m.ChannelID) {
	case state.Allow:
		ans = a.b.Answer(query)
	case state.Notify:
		ans = a.b.RateLimitedAnswer(query)
	default:
		return
	}
	if a.postReply(ctx, m, ans, received) == nil {
		a.obs.Answered(platform, ans.Kind, time.Since(received))
	}
}

// messageQuery extracts the question from a message that starts with the
// prefix or mentions the bot; ok is false for any other message.
func messageQuery(content, prefix, self string) (query string, ok bool) {
	text := content
	for _, tag := range []string{"<@" + self + ">", "<@!" + self + ">"} {
		if strings.Contains(text, tag) {
			ok = true
			text = strings.ReplaceAll(text, tag, " ")
		}
	}
	text = strings.Join(strings.Fields(text), " ") // also closes the gap a mention leaves
	if len(text) >= len(prefix) && strings.EqualFold(text[:len(prefix)], prefix) {
		if rest := text[len(prefix):]; rest == "" || rest[0] == ' ' {
			return strings.TrimSpace(rest), true
		}
	}
	return text, ok
}

// onInteraction answers an interaction from the gateway, through its
// callback.
func (a *Adapter) onInteraction(ctx context.Context, i *discordgo.Interaction, received time.Time) {
	// Discord allows 3 seconds from the event; the core answers in
	// microseconds, so the callback (and any retry) is the only wait.
	ctx, cancel := context.WithDeadline(ctx, received.Add(discordgo.InteractionDeadline))
	defer cancel()
	if resp, kind := a.respond(ctx, i); resp != nil {
		a.callback(ctx, i, resp, kind, received)
	}
}

// busyInteraction answers an interaction that found every reply worker
// busy: a command or a button with the busy notice, seen by the asker
// alone; autocomplete with no choices.
func (a *Adapter) busyInteraction(ctx context.Context, i *discordgo.Interaction, received time.Time) {
	ctx, cancel := context.WithDeadline(ctx, received.Add(discordgo.InteractionDeadline))
	defer cancel()
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionMessageComponent:
		ans := a.b.BusyAnswer("")
		a.callback(ctx, i, messageResponse(ans, true), ans.Kind, received)
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.callback(ctx, i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
		}, "", received)
	}
}

// respond is the response to an interaction, and the kind of answer it
// carries ("" for a PONG, an autocomplete or an acknowledgement). It returns
// nil for interactions the bot does not handle.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, bot.Kind) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, ""
	case discordgo.InteractionApplicationCommand:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		if data.CommandType == discordgo.MessageApplicationCommand {
			return a.explain(ctx, i, data)
		}
		query := optionValue(data.Options, "query")
		if a.limiter.Check(ctx, i.GuildID, interactionUser(i), i.ChannelID) != state.Allow {
			// Told before or not, the interaction needs an answer within 3
			// seconds or Discord shows the user an error; the notice again,
			// seen by the asker alone, is the quietest answer there is.
			ans := a.b.RateLimitedAnswer(query)
			return messageResponse(ans, true), ans.Kind
		}
		ans := a.b.Answer(query)
		return messageResponse(ans, ans.Private), ans.Kind
	case discordgo.InteractionApplicationCommandAutocomplete:
		// Not limited: these come with each keystroke, and ask nothing yet.
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		var typed string
		for _, o := range data.Options {
			if o.Focused {
				typed, _ = o.Value.(string)
			}
		}
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices(a.b, typed)},
		}, ""
	case discordgo.InteractionMessageComponent:
		return a.press(ctx, i)
	}
	return nil, ""
}

// explain answers the message command bot.ExplainAction: the core's
// explanation of the message it targets, ephemeral, with a button that
// shows it to everyone. The interaction carries the message, so this needs
// no Message Content intent and works where the bot is not a member (a
// user install); the answer goes only through the interaction.
func (a *Adapter) explain(ctx context.Context, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) (*discordgo.InteractionResponse, bot.Kind) {
	var m *discordgo.Message
	if data.Resolved != nil {
		m = data.Resolved.Messages[data.TargetID]
	}
	text := messageText(m)
	if a.limiter.Check(ctx, i.GuildID, interactionUser(i), i.ChannelID) != state.Allow {
		ans := a.b.RateLimitedAnswer(text)
		return messageResponse(ans, true), ans.Kind
	}
	ans := a.b.Explain(text)
	return explainResponse(ans, data.TargetID), ans.Kind
}

// messageText is the text of a message to explain: its content, a
// forwarded message's, and its embeds' (monitoring bots post their alerts
// as embeds), a line or more each, no more than the core reads.
func messageText(m *discordgo.Message) string {
	var texts []string
	var add func(m *discordgo.Message)
	add = func(m *discordgo.Message) {
		if m == nil {
			return
		}
		texts = append(texts, m.Content)
		for _, e := range m.Embeds {
			if e == nil {
				continue
			}
			texts = append(texts, e.Title, e.Description)
			for _, f := range e.Fields {
				if f != nil {
					texts = append(texts, f.Name+": "+f.Value)
				}
			}
			if e.Footer != nil {
				texts = append(texts, e.Footer.Text)
			}
		}
		for _, s := range m.MessageSnapshots {
			add(s.Message)
		}
	}
	add(m)
	return relay.Pasted(bot.MaxExplainLen, texts...)
}

// interactionUser is the ID of the user who caused an interaction: the
// member in a server, the user in a DM.
func interactionUser(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

// optionValue is the string value of the named option, or "".
func optionValue(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o != nil && o.Name == name {
			s, _ := o.Value.(string)
			return s
		}
	}
	return ""
}

// choices are the autocomplete choices for what the user has typed so far,
// as the core ranks them (bot.Suggest), within Discord's limits: a choice's
// value is at most 100 characters, so typed text longer than that is not
// offered as it is.
func choices(b answerer, typed string) []*discordgo.ApplicationCommandOptionChoice {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	// One more than fits, in case the typed text, offered first, is too long.
	for _, c := range b.Suggest(typed, maxChoices+1) {
		if len(choices) == maxChoices {
			break
		}
		value := strconv.Itoa(c.Code)
		if c.Code == 0 {
			if !relay.Fits(c.Label, maxChoiceValue) {
				continue
			}
			value = c.Label
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: relay.Truncate(c.Label, maxChoiceName), Value: value})
	}
	return choices
}
