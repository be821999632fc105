package discord

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// Installing the app on Discord: its commands, the permissions it asks
// for, and the install links.

// Commands are the application commands statusbot registers: /http with one
// required, autocompleted query option, and the message command
// bot.ExplainAction ("Explain HTTP status") on every message's Apps menu.
// Both can be installed to a server or to a user, and used in servers, in
// DMs with the bot and in other DMs and group DMs (the latter once a user
// installed the app).
func Commands() []*discordgo.ApplicationCommand {
	everywhere := func() *[]discordgo.InteractionContextType {
		return &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
	}
	bothInstalls := func() *[]discordgo.ApplicationIntegrationType {
		return &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
	}
	return []*discordgo.ApplicationCommand{{
		Type:             discordgo.ChatApplicationCommand,
		Name:             "http",
		Description:      "Explain an HTTP status code: a number, a name, a class (4xx) or a question",
		Contexts:         everywhere(),
		IntegrationTypes: bothInstalls(),
		Options: []*discordgo.ApplicationCommandOption{{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         "query",
			Description:  "429, too many requests, 4xx, 401 vs 403, or help",
			Required:     true,
			Autocomplete: true,
		}},
	}, {
		// Message commands take no description and no options: Discord
		// gives them the message.
		Type:             discordgo.MessageApplicationCommand,
		Name:             bot.ExplainAction,
		Contexts:         everywhere(),
		IntegrationTypes: bothInstalls(),
	}}
}

// Registration is what Register did.
type Registration struct {
	AppID string
	// UserInstallEnabled says Register turned user installs on for the
	// application, which had them off (new applications do).
	UserInstallEnabled bool
}

// Register bulk-overwrites the application's commands with Commands():
// globally, or in one guild (instant, for testing) when guildID is set.
// Global commands declare user installs, which Discord accepts only from an
// application that allows them: Register turns them on when they are off,
// keeping the application's other install settings. It needs only cfg's
// token (the application ID is read from the API when cfg has none), not
// the core.
func Register(ctx context.Context, cfg Config, guildID string) (Registration, error) {
	cfg = cfg.withDefaults()
	if cfg.Token == "" {
		return Registration{}, fmt.Errorf("discord: %w", relay.Refuse("Token", "is needed to register commands"))
	}
	if err := cfg.Validate(); err != nil {
		return Registration{}, fmt.Errorf("discord: %w", err)
	}
	s, err := newSession(cfg)
	if err != nil {
		return Registration{}, err
	}
	defer s.Client.CloseIdleConnections()
	reg := Registration{AppID: cfg.ApplicationID}
	cmds := Commands()
	if guildID != "" {
		// Contexts and installation types apply to global commands only;
		// a guild's commands are used in that guild alone.
		for _, c := range cmds {
			c.Contexts, c.IntegrationTypes = nil, nil
		}
	}
	if reg.AppID == "" || guildID == "" {
		app, err := currentApplication(ctx, s)
		if err != nil {
			return Registration{}, err
		}
		reg.AppID = cmp.Or(reg.AppID, app.ID)
		if guildID == "" {
			if reg.UserInstallEnabled, err = allowUserInstalls(ctx, s, app); err != nil {
				cfg.Observer.PlatformError(platform, "register_commands")
				return Registration{}, err
			}
		}
	}
	if _, err := s.ApplicationCommandBulkOverwrite(reg.AppID, guildID, cmds, discordgo.WithContext(ctx)); err != nil {
		cfg.Observer.PlatformError(platform, "register_commands")
		return Registration{}, fmt.Errorf("discord: register commands: %w", err)
	}
	return reg, nil
}

// application is what Register reads of the application. discordgo's
// Application names its install settings "integration_types", which is not
// what Discord sends.
type application struct {
	ID string `json:"id"`
	// Installs maps each installation type the application allows ("0" to
	// a server, "1" to a user) to its settings, kept as Discord sent them.
	Installs map[string]json.RawMessage `json:"integration_types_config"`
}

// endpointApplication is the application of the bot's own token.
var endpointApplication = discordgo.EndpointApplications + "/@me"

// currentApplication reads the application of the session's token.
func currentApplication(ctx context.Context, s *discordgo.Session) (application, error) {
	body, err := s.RequestWithBucketID(http.MethodGet, endpointApplication, nil, endpointApplication, discordgo.WithContext(ctx))
	if err != nil {
		return application{}, fmt.Errorf("discord: read the application: %w", err)
	}
	var app application
	if err := json.Unmarshal(body, &app); err != nil || app.ID == "" {
		return application{}, fmt.Errorf("discord: read the application: no id in %d-byte answer", len(body))
	}
	return app, nil
}

// allowUserInstalls turns user installs on for app, keeping its other
// install settings, and reports whether it had to.
func allowUserInstalls(ctx context.Context, s *discordgo.Session, app application) (bool, error) {
	user := strconv.Itoa(int(discordgo.ApplicationIntegrationUserInstall))
	if _, ok := app.Installs[user]; ok {
		return false, nil
	}
	installs := map[string]any{user: map[string]any{
		"oauth2_install_params": map[string]any{"scopes": []string{"applications.commands"}, "permissions": "0"},
	}}
	for k, v := range app.Installs {
		installs[k] = v
	}
	if len(app.Installs) == 0 {
		// Every application can be installed to a server; say so, or
		// this would make it installable to users only.
		installs[strconv.Itoa(int(discordgo.ApplicationIntegrationGuildInstall))] = map[string]any{}
	}
	body := map[string]any{"integration_types_config": installs}
	if _, err := s.RequestWithBucketID(http.MethodPatch, endpointApplication, body, endpointApplication, discordgo.WithContext(ctx)); err != nil {
		return false, fmt.Errorf("discord: allow user installs (or turn on User Install on the portal's Installation page): %w", err)
	}
	return true, nil
}

// Permissions are the channel permissions the bot asks for when invited.
// Slash and message commands need none: their answers go through the
// interaction, not the channel, and the interaction carries the message to
// explain. Prefix commands (`!http`) need to see the channel, send (also in
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

// InviteURL is the link that adds the bot to a server (a guild install),
// with the bot and applications.commands scopes and the permissions it
// needs.
func InviteURL(appID string, messageCommands bool) string {
	q := url.Values{}
	q.Set("client_id", appID)
	q.Set("scope", "bot applications.commands")
	q.Set("permissions", strconv.FormatInt(Permissions(messageCommands), 10))
	q.Set("integration_type", strconv.Itoa(int(discordgo.ApplicationIntegrationGuildInstall)))
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}

// UserInstallURL is the link that adds the app to a person's account (a
// user install): its commands then work for them in any server, DM or
// group DM, with no bot user and no permissions.
func UserInstallURL(appID string) string {
	q := url.Values{}
	q.Set("client_id", appID)
	q.Set("scope", "applications.commands")
	q.Set("integration_type", strconv.Itoa(int(discordgo.ApplicationIntegrationUserInstall)))
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}
