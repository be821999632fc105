package discord

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
)

// discordgo writes its own log lines (a gateway it cannot reach, a bucket
// it waits on, with the request URL) through the standard log package,
// past any filter the program puts on its logger, unless discordgo.Logger,
// a package variable, says otherwise.

var (
	libraryOnce sync.Once
	libraryLog  atomic.Pointer[slog.Logger]
)

// LogLibrary sends discordgo's own log lines to log, with any credential
// in a URL blanked out (relay.RedactURLs): its errors and warnings at
// warn (it returns them to the adapter too, or recovers from them), the
// rest at debug. discordgo's hook is one for the whole process, so the
// latest call wins; a nil log discards.
func LogLibrary(log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	libraryLog.Store(log)
	libraryOnce.Do(func() { discordgo.Logger = logLibraryLine })
}

// logLibraryLine is discordgo.Logger: one line of discordgo's.
func logLibraryLine(level, _ int, format string, args ...any) {
	log := libraryLog.Load()
	lvl := slog.LevelDebug
	if level <= discordgo.LogWarning {
		lvl = slog.LevelWarn
	}
	if log == nil || !log.Enabled(context.Background(), lvl) {
		return
	}
	log.Log(context.Background(), lvl, "discordgo: "+relay.RedactURLs(fmt.Sprintf(format, args...)), "platform", platform)
}
