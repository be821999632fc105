package main

import (
	"log/slog"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// deps is what a platform needs to build its adapter.
type deps struct {
	cfg *Config
	bot *bot.Bot
	log *slog.Logger
	obs relay.Observer
	// lim holds back users and channels that ask too fast; one store is
	// shared by every platform (keys are qualified by platform).
	lim state.Limits
	// seen remembers the events and interactions answered, so that one
	// delivered or sent again is answered once; shared by every platform
	// (keys start with the platform's name).
	seen state.Dedup
}

// platform builds one chat platform's services and HTTP routes from config.
// It returns nothing when the platform is not configured.
type platform func(d deps) ([]service, []route, error)

// platforms lists every chat platform statusbot can serve. With none
// configured, `statusbot run` answers in the terminal.
var platforms = []platform{
	slackPlatform,
	discordPlatform,
}
