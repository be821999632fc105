package slack

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/statusbot/statusbot/bot"
)

// Installing the app on Slack: the manifest that creates it.

// Manifest returns a Slack app manifest, as JSON, that creates the statusbot
// app in one paste (api.slack.com/apps, "Create New App", "From a manifest").
// With requestURL empty the app uses Socket Mode; otherwise requestURL is the
// bot's public base URL and Slack sends events, commands, button presses
// and shortcuts to PathEvents, PathCommands and PathInteractions under it
// (HTTP mode). The message shortcut bot.ExplainAction is on every message's
// menu; it needs the commands scope, which /http already asks for.
func Manifest(requestURL string) ([]byte, error) {
	type command struct {
		Command      string `json:"command"`
		URL          string `json:"url,omitempty"`
		Description  string `json:"description"`
		UsageHint    string `json:"usage_hint"`
		ShouldEscape bool   `json:"should_escape"`
	}
	type shortcut struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		CallbackID  string `json:"callback_id"`
		Description string `json:"description"`
	}
	type manifest struct {
		DisplayInformation struct {
			Name            string `json:"name"`
			Description     string `json:"description"`
			BackgroundColor string `json:"background_color"`
		} `json:"display_information"`
		Features struct {
			AppHome struct {
				HomeTabEnabled             bool `json:"home_tab_enabled"`
				MessagesTabEnabled         bool `json:"messages_tab_enabled"`
				MessagesTabReadOnlyEnabled bool `json:"messages_tab_read_only_enabled"`
			} `json:"app_home"`
			BotUser struct {
				DisplayName  string `json:"display_name"`
				AlwaysOnline bool   `json:"always_online"`
			} `json:"bot_user"`
			Shortcuts     []shortcut `json:"shortcuts"`
			SlashCommands []command  `json:"slash_commands"`
		} `json:"features"`
		OAuthConfig struct {
			Scopes struct {
				Bot []string `json:"bot"`
			} `json:"scopes"`
		} `json:"oauth_config"`
		Settings struct {
			EventSubscriptions struct {
				RequestURL string   `json:"request_url,omitempty"`
				BotEvents  []string `json:"bot_events"`
			} `json:"event_subscriptions"`
			Interactivity struct {
				IsEnabled  bool   `json:"is_enabled"`
				RequestURL string `json:"request_url,omitempty"`
			} `json:"interactivity"`
			OrgDeployEnabled     bool `json:"org_deploy_enabled"`
			SocketModeEnabled    bool `json:"socket_mode_enabled"`
			TokenRotationEnabled bool `json:"token_rotation_enabled"`
		} `json:"settings"`
	}

	var base string
	if requestURL != "" {
		u, err := url.Parse(requestURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("slack manifest: request URL %q must be an https URL", requestURL)
		}
		base = strings.TrimRight(requestURL, "/")
	}
	endpoint := func(path string) string {
		if base == "" {
			return ""
		}
		return base + path
	}

	var m manifest
	m.DisplayInformation.Name = "statusbot"
	m.DisplayInformation.Description = "Explains HTTP status codes: what they mean, when to use them, and what to do next."
	m.DisplayInformation.BackgroundColor = "#2c2d30"
	m.Features.AppHome.HomeTabEnabled = true     // the home page (bot.Bot.Home), published on app_home_opened
	m.Features.AppHome.MessagesTabEnabled = true // direct messages to the bot
	m.Features.BotUser.DisplayName = "statusbot"
	m.Features.BotUser.AlwaysOnline = true
	m.Features.SlashCommands = []command{{
		Command:     "/http",
		URL:         endpoint(PathCommands),
		Description: "Explain an HTTP status code (only you see the answer)",
		UsageHint:   "429 | too many requests | 4xx | 401 vs 403 | help",
	}}
	m.Features.Shortcuts = []shortcut{{
		Name:        bot.ExplainAction,
		Type:        "message",
		CallbackID:  CallbackExplain,
		Description: "Explain every HTTP status in this message (only you see it)",
	}}
	m.OAuthConfig.Scopes.Bot = botScopes()
	m.Settings.EventSubscriptions.RequestURL = endpoint(PathEvents)
	m.Settings.EventSubscriptions.BotEvents = []string{"app_home_opened", "app_mention", "message.im"}
	m.Settings.Interactivity.IsEnabled = true
	m.Settings.Interactivity.RequestURL = endpoint(PathInteractions)
	m.Settings.SocketModeEnabled = base == ""
	return json.MarshalIndent(m, "", "  ")
}

// botScopes are the bot scopes the app asks for: the least it works with.
// app_mentions:read and im:history deliver its events (app_mention,
// message.im; im:history also lets it look for a reply in doubt in a DM),
// chat:write posts its replies, commands creates /http. It asks for no
// im:read or im:write: it never lists or opens a DM, only answers in the
// one a message came from. It asks for no channels:history,
// groups:history or mpim:history either, which would let it read every
// channel it is in: in channels, a reply in doubt is not posted again
// (see post).
func botScopes() []string {
	return []string{"app_mentions:read", "chat:write", "commands", "im:history"}
}
