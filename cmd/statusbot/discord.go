package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/statusbot/statusbot/adapters/discord"
)

// discordConfig is the adapter's configuration from statusbot's.
func discordConfig(d deps) discord.Config {
	c := d.cfg.Discord
	return discord.Config{
		Token:           c.Token,
		ApplicationID:   c.ApplicationID,
		PublicKey:       c.PublicKey,
		APIURL:          c.APIURL,
		Prefix:          c.Prefix,
		MessageCommands: c.MessageCommands,
		ShardID:         c.ShardID,
		ShardCount:      c.ShardCount,
		Logger:          d.log,
		Observer:        d.obs,
		Limits:          d.lim,
	}
}

// discordPlatform serves Discord when discord.token (the gateway) or
// discord.public_key (POST /discord/interactions) is set.
func discordPlatform(d deps) ([]service, []route, error) {
	c := d.cfg.Discord
	if c.Token == "" && c.PublicKey == "" {
		return nil, nil, nil
	}
	a, err := discord.New(d.bot, discordConfig(d))
	if err != nil {
		return nil, nil, err
	}
	// Without a token the service only keeps the process up (no terminal
	// fallback) while the HTTP endpoint answers.
	svcs := []service{a}
	var routes []route
	if c.PublicKey != "" {
		routes = append(routes, route{pattern: "POST /discord/interactions", handler: a.InteractionsHandler()})
	}
	return svcs, routes, nil
}

func newDiscordCommand(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "discord",
		Short: "Discord tools",
	}
	var guild string
	register := &cobra.Command{
		Use:   "register",
		Short: "Register the /http command (globally, or in one guild) and print the invite URL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(e.configPath, e.getenv)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if cfg.Discord.Token == "" {
				return &exitError{code: 2, err: fmt.Errorf("discord register: set %s", envName("discord.token"))}
			}
			b, err := newBot(cfg)
			if err != nil {
				return err
			}
			d := deps{cfg: cfg, bot: b}
			dc := discordConfig(d)
			dc.PublicKey = "" // not needed to register
			a, err := discord.New(b, dc)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			appID, err := a.Register(cmd.Context(), guild)
			if err != nil {
				return err
			}
			where := "globally"
			if guild != "" {
				where = "in guild " + guild
			}
			fmt.Fprintf(e.stdout, "Registered /http %s for application %s.\n", where, appID)
			fmt.Fprintf(e.stdout, "Invite URL: %s\n", discord.InviteURL(appID, cfg.Discord.MessageCommands))
			return nil
		},
	}
	register.Flags().StringVar(&guild, "guild", "", "register in this guild only (takes effect at once; for testing)")
	cmd.AddCommand(register)
	return cmd
}
