package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// testSecrets are recognisable values for every secret key.
var testSecrets = map[string]string{
	"STATUSBOT_DISCORD_TOKEN":        "SECRET-discord-token-123",
	"STATUSBOT_DISCORD_PUBLIC_KEY":   strings.Repeat("5ec7e7", 10) + "abcd", // 64 hex digits
	"STATUSBOT_SLACK_BOT_TOKEN":      "xoxb-SECRET-slack-bot-456",
	"STATUSBOT_SLACK_APP_TOKEN":      "xapp-SECRET-slack-app-789",
	"STATUSBOT_SLACK_SIGNING_SECRET": "SECRET-signing-secret-abc",
	"STATUSBOT_STATE_REDIS_PASSWORD": "SECRET-redis-password-def",
}

// TestNoSecretInLogs runs the bot at debug level with every secret set and
// searches everything it wrote. The platform APIs point at a local server
// that refuses every call, so adapters that start fail without the internet.
func TestNoSecretInLogs(t *testing.T) {
	t.Parallel()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"ok":false,"error":"invalid_auth"}`, http.StatusUnauthorized)
	}))
	t.Cleanup(refuse.Close)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{
				"STATUSBOT_HTTP_ADDR":              "127.0.0.1:0",
				"STATUSBOT_LOG_LEVEL":              "debug",
				"STATUSBOT_LOG_FORMAT":             format,
				"STATUSBOT_DISCORD_API_URL":        refuse.URL + "/api/v9/",
				"STATUSBOT_SLACK_API_URL":          refuse.URL + "/api/",
				"STATUSBOT_DISCORD_APPLICATION_ID": "123456789012345678",
			}
			for k, v := range testSecrets {
				vars[k] = v
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var out, errOut bytes.Buffer
			err := run(ctx, []string{"run"}, strings.NewReader("429\nhelp\n"), &out, &errOut, func(k string) string { return vars[k] })
			all := out.String() + errOut.String() + fmt.Sprint(err)
			for k, secret := range testSecrets {
				if strings.Contains(all, secret) {
					t.Errorf("the value of %s appears in the output:\n%s", k, all)
				}
			}
			// The test can only fail if the secrets reached the logger.
			if !strings.Contains(errOut.String(), "config loaded") || !strings.Contains(errOut.String(), redacted) {
				t.Errorf("stderr lacks the redacted config at debug level:\n%s", errOut.String())
			}
		})
	}
}

func TestScrubHandler(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig("", func(k string) string { return testSecrets[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			cfg := *cfg
			cfg.Log.Format = format
			cfg.Log.Level = "debug"
			var buf bytes.Buffer
			log := newLogger(&cfg, &buf)
			tok := cfg.Discord.Token
			log = log.With("conn", "Bot "+tok).WithGroup("g")
			log.Debug("dial with "+tok,
				"err", fmt.Errorf("post: Authorization %s rejected", cfg.Slack.BotToken),
				"raw", []byte("token="+cfg.Slack.AppToken),
				"struct", cfg.Slack,
				"cfg", cfg,
				"cfgp", &cfg,
				slog.Group("nested", "secret", cfg.Slack.SigningSecret, "key", cfg.Discord.PublicKey),
			)
			got := buf.String()
			for k, secret := range testSecrets {
				if strings.Contains(got, secret) {
					t.Errorf("the value of %s was logged:\n%s", k, got)
				}
			}
			if n := strings.Count(got, redacted); n < 8 {
				t.Errorf("%d redactions, want at least 8:\n%s", n, got)
			}
		})
	}
}

func TestConfigPrintsNoSecrets(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig("", func(k string) string { return testSecrets[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		for _, v := range []any{cfg, *cfg} {
			got := fmt.Sprintf(verb, v)
			for k, secret := range testSecrets {
				if strings.Contains(got, secret) {
					t.Errorf("Sprintf(%q, %T) shows the value of %s: %s", verb, v, k, got)
				}
			}
			if !strings.Contains(got, "discord.token=\"[redacted]\"") {
				t.Errorf("Sprintf(%q, %T) = %s, want discord.token shown as [redacted]", verb, v, got)
			}
		}
	}
}

func TestScrubError(t *testing.T) {
	t.Parallel()
	r := newScrubber([]string{"tok-123", "tok-123-long"})
	inner := &exitError{code: 3, err: errors.New("auth tok-123-long and tok-123 failed")}
	err := scrubError(fmt.Errorf("discord: %w", inner), r)
	if got, want := err.Error(), "discord: auth [redacted] and [redacted] failed"; got != want {
		t.Errorf("scrubbed = %q, want %q", got, want)
	}
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 3 {
		t.Errorf("scrubbed error lost its exit status: %v", err)
	}
}

func TestOnSignals(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 2)
	cancelled := make(chan error, 1)
	exited := make(chan int, 1)
	var stderr syncBuffer
	go onSignals(sigs, func(cause error) { cancelled <- cause }, &stderr, func(code int) { exited <- code })

	sigs <- fakeSignal("terminated")
	select {
	case cause := <-cancelled:
		if cause.Error() != "received terminated" {
			t.Errorf("cancel cause = %q, want \"received terminated\"", cause)
		}
	case <-time.After(wait):
		t.Fatal("first signal did not cancel the run")
	}
	select {
	case code := <-exited:
		t.Fatalf("exited (%d) on the first signal", code)
	default:
	}
	sigs <- fakeSignal("interrupt")
	select {
	case code := <-exited:
		if code != 130 {
			t.Errorf("second signal exit status = %d, want 130", code)
		}
	case <-time.After(wait):
		t.Fatal("second signal did not exit")
	}
	if got := stderr.String(); got != "statusbot: received interrupt again: exiting now\n" {
		t.Errorf("stderr = %q", got)
	}
}

type fakeSignal string

func (s fakeSignal) String() string { return string(s) }
func (s fakeSignal) Signal()        {}

// TestLibraryLogsScrubbed: discordgo writes lines of its own through the
// standard log package, and so may any library not handed a logger. Both
// must reach the bot's logger, and its scrubber, not the process's stderr
// unfiltered. Here discordgo cannot reach a gateway whose URL carries the
// token (URL-encoded, without the "Bot " prefix it was configured with).
// Not parallel: it redirects the standard logger.
func TestLibraryLogsScrubbed(t *testing.T) {
	const token = "MTA5.SECRET/gateway+token=="
	var std syncBuffer
	orig := slog.Default()
	log.SetOutput(&std)
	t.Cleanup(func() {
		slog.SetDefault(orig)
		log.SetOutput(os.Stderr)
		log.SetFlags(log.LstdFlags)
	})
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v9/gateway" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `{"url":"ws://127.0.0.1:1/?auth=%s"}`, url.QueryEscape(token))
	}))
	t.Cleanup(rest.Close)
	tb := startBot(t, platforms, map[string]string{
		"STATUSBOT_DISCORD_TOKEN":   "Bot " + token,
		"STATUSBOT_DISCORD_API_URL": rest.URL + "/api/v9/",
	}, nil)
	tb.stderr.waitFor(t, "discordgo: error connecting to gateway")
	log.Printf("a library logs the token %s and %s", token, url.PathEscape("Bot "+token))
	tb.stderr.waitFor(t, "a library logs the token")
	tb.cancel()
	tb.wait(t)

	got := tb.stderr.String()
	for _, form := range []string{token, url.QueryEscape(token), url.PathEscape(token)} {
		if strings.Contains(got, form) {
			t.Errorf("the token (as %q) reached the log:\n%s", form, got)
		}
	}
	if !strings.Contains(got, "a library logs the token [redacted] and [redacted]") || !strings.Contains(got, "auth=[redacted]") {
		t.Errorf("the library lines are not in the bot's log, scrubbed:\n%s", got)
	}
	if std.String() != "" {
		t.Errorf("library lines went past the bot's logger:\n%s", std.String())
	}
}

func TestScrubberForms(t *testing.T) {
	t.Parallel()
	r := newScrubber([]string{"Bot MTA5.a/b+c=", " xoxb-padded "})
	for _, line := range []string{
		"Authorization: Bot MTA5.a/b+c=",
		"identify with MTA5.a/b+c=",             // without its prefix
		"token=MTA5.a%2Fb%2Bc%3D",               // in a query
		"/path/MTA5.a%2Fb+c=",                   // in a path
		"Bot+MTA5.a%2Fb%2Bc%3D",                 // the whole value in a query
		"token=xoxb-padded&channel=C1",          // trimmed of its spaces
		`Post "https://x/?t=MTA5.a%2Fb%2Bc%3D"`, // quoted
	} {
		if got := r.Replace(line); strings.Contains(got, "MTA5") || strings.Contains(got, "xoxb-padded") || !strings.Contains(got, redacted) {
			t.Errorf("Replace(%q) = %q", line, got)
		}
	}
	if newScrubber(nil) != nil || newScrubber([]string{"", "  "}) != nil {
		t.Error("a scrubber for no secrets")
	}
}
