package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
)

// Installing the app on Discord: its commands, the permissions it asks
// for, and the invite link.

// Commands are the application commands statusbot registers: /http with one
// required, autocompleted query option, usable in servers and in DMs with
// the bot.
func Commands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{{
		Type:             discordgo.ChatApplicationCommand,
		Name:             "http",
		Description:      "Explain an HTTP status code: a number, a name, a class (4xx) or a question",
		Contexts:         &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
		IntegrationTypes: &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall},
		Options: []*discordgo.ApplicationCommandOption{{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         "query",
			Description:  "429, too many requests, 4xx, 401 vs 403, or help",
			Required:     true,
			Autocomplete: true,
		}},
	}}
}

// Register bulk-overwrites the application's commands with Commands():
// globally, or in one guild (instant, for testing) when guildID is set. It
// needs only cfg's token (the application ID is read from the API when cfg
// has none), not the core, and returns the application ID.
func Register(ctx context.Context, cfg Config, guildID string) (appID string, err error) {
	cfg = cfg.withDefaults()
	if cfg.Token == "" {
		return "", fmt.Errorf("discord: %w", relay.Refuse("Token", "is needed to register commands"))
	}
	if err := cfg.Validate(); err != nil {
		return "", fmt.Errorf("discord: %w", err)
	}
	s, err := newSession(cfg)
	if err != nil {
		return "", err
	}
	defer s.Client.CloseIdleConnections()
	appID = cfg.ApplicationID
	if appID == "" {
		endpoint := discordgo.EndpointOAuth2Application("@me")
		body, err := s.RequestWithBucketID("GET", endpoint, nil, endpoint, discordgo.WithContext(ctx))
		if err != nil {
			return "", fmt.Errorf("discord: read the application: %w", err)
		}
		var app discordgo.Application
		if err := json.Unmarshal(body, &app); err != nil || app.ID == "" {
			return "", fmt.Errorf("discord: read the application: no id in %d-byte answer", len(body))
		}
		appID = app.ID
	}
	if _, err := s.ApplicationCommandBulkOverwrite(appID, guildID, Commands(), discordgo.WithContext(ctx)); err != nil {
		cfg.Observer.PlatformError(platform, "register_commands")
		return "", fmt.Errorf("discord: register commands: %w", err)
	}
	return appID, nil
}

// Permissions are the channel permissions the bot asks for when invited.
// Slash commands need none: their answers go through the interaction, not
// the channel. Message commands need to see the channel, send (also in
// threads), embed their answer, and read history to reply to a message.
func Permissions(messageCommands bool) int64 {
	if !messageCommands {
		return 0
	}
	return discordgo.PermissionViewChannel |
		discordgo.PermissionSendMessages |
		discordgo.PermissionSendMessagesInThreads |
		discordgo.PermissionEmbedLinks |
		discordgo.PermissionReadMessageHistory
}

// InviteURL is the link that adds the bot to a server with the bot and
// applications.commands scopes and the permissions it needs.
func InviteURL(appID string, messageCommands bool) string {
	q := url.Values{}
	q.Set("client_id", appID)
	q.Set("scope", "bot applications.commands")
	q.Set("permissions", strconv.FormatInt(Permissions(messageCommands), 10))
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}
