package main

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/spf13/cobra"

	"github.com/statusbot/statusbot/adapters/discord"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// settings maps the discord.* keys onto the adapter's Config.
func (c DiscordConfig) settings() discord.Config {
	return discord.Config{
		Token:           c.Token,
		ApplicationID:   c.ApplicationID,
		PublicKey:       c.PublicKey,
		APIURL:          c.APIURL,
		Prefix:          c.Prefix,
		MessageCommands: c.MessageCommands,
		ShardID:         c.ShardID,
		ShardCount:      c.ShardCount,
	}
}

// discordConfig is the adapter's configuration: its settings and what the
// wiring gives every platform.
func discordConfig(d deps) discord.Config {
	c := d.cfg.Discord.settings()
	c.Logger, c.Observer, c.Limits, c.Dedup = d.log, d.obs, d.lim, d.seen
	c.DrainTimeout = drainShare(d.cfg.HTTP.ShutdownTimeout)
	return c
}

// discordPlatform serves Discord when the adapter's configuration enables
// it (a token for the gateway, a public key for the HTTP endpoint).
func discordPlatform(d deps) ([]service, []route, error) {
	c := discordConfig(d)
	if !c.Enabled() {
		return nil, nil, nil
	}
	a, err := discord.New(d.bot, c)
	if err != nil {
		return nil, nil, d.cfg.settingError("Discord", err)
	}
	// Without a token the service only keeps the process up (no terminal
	// fallback) while the HTTP endpoint answers.
	return []service{a}, routesOf(a.Routes()), nil
}

// routesOf lists an adapter's HTTP endpoints, by pattern.
func routesOf(handlers map[string]http.Handler) []route {
	var rs []route
	for _, p := range slices.Sorted(maps.Keys(handlers)) {
		rs = append(rs, route{pattern: p, handler: handlers[p]})
	}
	return rs
}

func newDiscordCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "discord",
		Short: "Discord tools",
	}
	var guild string
	register := &cobra.Command{
		Use:   "register",
		Short: "Register /http and the message command (globally, or in one guild) and print the install links",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(e.configPath, e.getenv)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			logger := newLogger(cfg, e.stderr)
			routeLibraryLogs(logger)
			reg, err := discord.Register(cmd.Context(), discordConfig(deps{cfg: cfg, log: logger}), guild)
			var refused *relay.FieldError
			if errors.As(err, &refused) {
				return &exitError{code: 2, err: fmt.Errorf("discord register: %w", cfg.settingError("Discord", err))}
			}
			if err != nil {
				return err
			}
			where := "globally"
			if guild != "" {
				where = "in guild " + guild + " only"
			}
			fmt.Fprintf(e.stdout, "Registered /http and %q %s for application %s.\n", bot.ExplainAction, where, reg.AppID)
			if reg.UserInstallEnabled {
				fmt.Fprintln(e.stdout, "Turned on user installs for the application.")
			}
			fmt.Fprintf(e.stdout, "Add to a server:      %s\n", discord.InviteURL(reg.AppID, cfg.Discord.MessageCommands))
			fmt.Fprintf(e.stdout, "Add to your account:  %s\n", discord.UserInstallURL(reg.AppID))
			return nil
		},
	}
	register.Flags().StringVar(&guild, "guild", "", "register in this guild only (takes effect at once; for testing)")
	cmd.AddCommand(register)
	return cmd
}
