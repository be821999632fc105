package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	slackadapter "github.com/statusbot/statusbot/adapters/slack"
)

// slackPlatform runs the Slack adapter when slack.bot_token is set: over
// Socket Mode (slack.app_token), or with slack.mode http over the bot's HTTP
// server (slack.signing_secret), mounting the three Slack endpoints.
func slackPlatform(d deps) ([]service, []route, error) {
	c := d.cfg.Slack
	if c.BotToken == "" {
		if c.AppToken != "" || c.SigningSecret != "" {
			return nil, nil, errors.New("slack: an app token or signing secret is set but no bot token: set STATUSBOT_SLACK_BOT_TOKEN (xoxb-...)")
		}
		return nil, nil, nil
	}
	a, err := slackadapter.New(d.bot, slackadapter.Config{
		BotToken:      c.BotToken,
		AppToken:      c.AppToken,
		SigningSecret: c.SigningSecret,
		Mode:          c.Mode,
		APIURL:        c.APIURL,
		Logger:        d.log.With("platform", "slack"),
		Observer:      d.obs,
		Limits:        d.lim,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	var routes []route
	if c.Mode == slackadapter.ModeHTTP {
		h := a.Handlers()
		routes = []route{
			{pattern: "POST /slack/events", handler: h.Events},
			{pattern: "POST /slack/commands", handler: h.Commands},
			{pattern: "POST /slack/interactions", handler: h.Interactions},
		}
	}
	return []service{a}, routes, nil
}

// newSlackCommand is `statusbot slack`, with `manifest`.
func newSlackCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "slack",
		Short: "Slack helpers",
		Args:  cobra.NoArgs,
	}
	var requestURL string
	manifest := &cobra.Command{
		Use:   "manifest",
		Short: "Print a Slack app manifest that creates the statusbot app",
		Long: `Print a Slack app manifest (JSON) to paste at https://api.slack.com/apps ->
Create New App -> From a manifest. By default the app uses Socket Mode; with
--request-url (the bot's public https base URL) it uses HTTP mode and Slack
sends events, the /http command and button presses to /slack/events,
/slack/commands and /slack/interactions under it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := slackadapter.Manifest(requestURL)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			_, err = fmt.Fprintln(e.stdout, string(b))
			return err
		},
	}
	manifest.Flags().StringVar(&requestURL, "request-url", "", "public https base URL of the bot, for HTTP mode (default: Socket Mode)")
	cmd.AddCommand(manifest)
	return cmd
}
