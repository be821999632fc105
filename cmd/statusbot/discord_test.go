package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord"
	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
	"github.com/statusbot/statusbot/state"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

// noConfig is an empty config file, so a config.yaml nearby is not read.
func noConfig(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAskFormatDiscord(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(cat, bot.Options{Images: bot.ImagesNone})
	var want bytes.Buffer
	for _, q := range []string{"429", "help"} {
		line, err := discord.MessageJSON(b.Answer(q))
		if err != nil {
			t.Fatal(err)
		}
		want.Write(line)
		want.WriteString("\n")
	}
	var out, errb bytes.Buffer
	err = run(context.Background(), []string{"ask", "--config", noConfig(t), "--format", "discord"}, strings.NewReader("429\nhelp\n"), &out, &errb, envOf(nil))
	if err != nil {
		t.Fatalf("ask: %v (%s)", err, errb.String())
	}
	if out.String() != want.String() {
		t.Errorf("ask --format discord printed\n%s\nwant\n%s", out.String(), want.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m struct {
			Embeds          []json.RawMessage `json:"embeds"`
			AllowedMentions struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil || len(m.Embeds) != 1 || m.AllowedMentions.Parse == nil {
			t.Errorf("line %s: %v; want one embed and an empty parse list", line, err)
		}
	}
}

func TestDiscordPlatform(t *testing.T) {
	cfg, err := loadConfig(noConfig(t), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBot(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := deps{cfg: cfg, bot: b, obs: relay.NopObserver{}}
	if s, r, err := discordPlatform(d); err != nil || len(s) != 0 || len(r) != 0 {
		t.Errorf("unconfigured: %d services, %d routes, %v; want none", len(s), len(r), err)
	}
	cfg.Discord.Token = "t"
	if s, r, err := discordPlatform(d); err != nil || len(s) != 1 || len(r) != 0 {
		t.Errorf("token only: %d services, %d routes, %v; want the gateway", len(s), len(r), err)
	}
	cfg.Discord.Token = ""
	cfg.Discord.PublicKey = strings.Repeat("ab", 32)
	s, r, err := discordPlatform(d)
	if err != nil || len(s) != 1 || len(r) != 1 || r[0].pattern != "POST /discord/interactions" {
		t.Errorf("public key only: %d services, routes %v, %v; want the endpoint (and a service to keep running)", len(s), r, err)
	}
	cfg.Discord.PublicKey = "not-a-key"
	if _, _, err := discordPlatform(d); err == nil {
		t.Error("a malformed public key was accepted")
	}
}

// TestDiscordRegisterCommand registers in a guild, then globally (turning
// user installs on), and prints both install links, never the token.
func TestDiscordRegisterCommand(t *testing.T) {
	f := discordtest.NewServer(t)
	env := envOf(map[string]string{"STATUSBOT_DISCORD_TOKEN": discordtest.Token, "STATUSBOT_DISCORD_API_URL": f.APIURL})
	for _, tt := range []struct {
		args    []string
		put     string
		enabled bool
	}{
		{[]string{"--guild", "55"}, "/api/v9/applications/" + discordtest.AppID + "/guilds/55/commands", false},
		{nil, "/api/v9/applications/" + discordtest.AppID + "/commands", true},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"discord", "register", "--config", noConfig(t)}, tt.args...)
		if err := run(context.Background(), args, strings.NewReader(""), &out, &errb, env); err != nil {
			t.Fatalf("register %v: %v (%s)", tt.args, err, errb.String())
		}
		if puts := f.CallsTo(http.MethodPut, tt.put); len(puts) != 1 || puts[0].Status != http.StatusOK {
			t.Errorf("register %v: PUTs to %s: %+v, want one that succeeds", tt.args, tt.put, puts)
		}
		o := out.String()
		for _, want := range []string{discord.InviteURL(discordtest.AppID, false), discord.UserInstallURL(discordtest.AppID), bot.ExplainAction} {
			if !strings.Contains(o, want) {
				t.Errorf("register %v printed %q; want it to say %s", tt.args, o, want)
			}
		}
		if strings.Contains(o, "Turned on user installs") != tt.enabled || strings.Contains(o+errb.String(), discordtest.Token) {
			t.Errorf("register %v printed %q: want it to say it turned on user installs: %v; never the token", tt.args, o, tt.enabled)
		}
	}
	// Without a token it is a usage error, not a network call.
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"discord", "register", "--config", noConfig(t)}, strings.NewReader(""), &out, &errb, envOf(nil))
	if ee, ok := err.(*exitError); !ok || ee.code != 2 {
		t.Errorf("register without a token: %v, want exit status 2", err)
	}
}

// TestDiscordConfigLimiter: the adapter gets the limiter statusbot builds
// from ratelimit.*, shared with the other platforms.
func TestDiscordConfigLimiter(t *testing.T) {
	lim := state.NewMemoryLimits(state.LimitConfig{UserQueries: 1, UserWindow: time.Second}, nil)
	if got := discordConfig(deps{cfg: &Config{}, lim: lim}).Limits; got != lim {
		t.Errorf("discord.Config.Limits = %p, want the shared limiter %p", got, lim)
	}
}

// TestShutdownCutsRepliesAtTheirShare: on SIGTERM (here the run's context,
// which main cancels on the signal) a reply Discord holds is cancelled when
// the adapter's share of http.shutdown_timeout is up, not a minute later
// when its own deadline would end it, and the bot stops within the timeout
// saying so; the runner never has to give up on the adapter.
func TestShutdownCutsRepliesAtTheirShare(t *testing.T) {
	t.Parallel()
	f := discordtest.NewServer(t)
	held, release := f.Hold(func(method, path string, _ []byte) bool {
		return method == http.MethodPost && strings.HasSuffix(path, "/messages")
	})
	defer release()
	tb := startBot(t, platforms, map[string]string{
		"STATUSBOT_DISCORD_TOKEN":            discordtest.Token,
		"STATUSBOT_DISCORD_API_URL":          f.APIURL,
		"STATUSBOT_DISCORD_MESSAGE_COMMANDS": "true",
		"STATUSBOT_HTTP_SHUTDOWN_TIMEOUT":    "2s",
	}, nil)
	f.WaitConn(t).WaitHeartbeat(t)
	f.Dispatch("MESSAGE_CREATE", discordtest.Message("580000000000000001", "!http 429", nil))
	select {
	case <-held:
	case <-time.After(wait):
		t.Fatal("the reply never reached Discord")
	}
	tb.cancel()
	err := tb.wait(t)
	if err == nil || !strings.Contains(err.Error(), "discord: replies still running 1.5s after shutdown began were cancelled") {
		t.Errorf("run = %v, want the adapter to cancel its reply after its share (1.5s of 2s)", err)
	}
	if err != nil && strings.Contains(err.Error(), "gave up") {
		t.Errorf("run = %v: the runner had to give up on the adapter", err)
	}
}
