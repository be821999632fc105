package main

import (
	"fmt"

	"github.com/spf13/cobra"

	slackadapter "github.com/statusbot/statusbot/adapters/slack"
)

// settings maps the slack.* keys onto the adapter's Config.
func (c SlackConfig) settings() slackadapter.Config {
	return slackadapter.Config{
		BotToken:      c.BotToken,
		AppToken:      c.AppToken,
		SigningSecret: c.SigningSecret,
		Mode:          c.Mode,
		APIURL:        c.APIURL,
	}
}

// slackPlatform serves Slack when the adapter's configuration enables it (a
// bot token): over Socket Mode, or in HTTP mode over the bot's HTTP server,
// mounting the adapter's endpoints.
func slackPlatform(d deps) ([]service, []route, error) {
	c := d.cfg.Slack.settings()
	if !c.Enabled() {
		return nil, nil, nil
	}
	c.Logger, c.Observer, c.Limits, c.Dedup = d.log.With("platform", "slack"), d.obs, d.lim, d.seen
	c.DrainTimeout = drainShare(d.cfg.HTTP.ShutdownTimeout)
	a, err := slackadapter.New(d.bot, c)
	if err != nil {
		return nil, nil, d.cfg.settingError("Slack", err)
	}
	return []service{a}, routesOf(a.Routes()), nil
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
sends events, the /http command and button presses to ` + slackadapter.PathEvents + `,
` + slackadapter.PathCommands + ` and ` + slackadapter.PathInteractions + ` under it.`,
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
