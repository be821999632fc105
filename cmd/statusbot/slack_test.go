package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/relay"
	slackadapter "github.com/statusbot/statusbot/adapters/slack"
	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

const (
	slackE2EBotToken = "xoxb-e2e-bot-token-5555"
	slackE2EAppToken = "xapp-e2e-app-token-7777"
)

// slackTestEnv is a getenv over a map.
func slackTestEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// runSlackTestCmd runs statusbot in-process with env and returns its stdout,
// stderr and exit error.
func runSlackTestCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	t.Chdir(t.TempDir()) // no ./config.yaml
	err := run(t.Context(), args, strings.NewReader(""), &out, &errOut, slackTestEnv(env))
	return out.String(), errOut.String(), err
}

func TestSlackConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"socket mode without app token", map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1"}, "app-level token"},
		{"http mode without signing secret", map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1", "STATUSBOT_SLACK_MODE": "http"}, "signing secret"},
		{"app token without bot token", map[string]string{"STATUSBOT_SLACK_APP_TOKEN": "xapp-1"}, "bot token"},
		{"unknown mode", map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1", "STATUSBOT_SLACK_MODE": "rtm"}, "unknown mode"},
		{"bad api url", map[string]string{"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1", "STATUSBOT_SLACK_APP_TOKEN": "xapp-1", "STATUSBOT_SLACK_API_URL": "slack.com/api"}, "api_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runSlackTestCmd(t, tt.env, "run")
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run = %v, want a config error (exit 2) mentioning %q", err, tt.want)
			}
			for _, v := range tt.env {
				if strings.HasPrefix(v, "x") && err != nil && strings.Contains(err.Error(), v) {
					t.Errorf("error carries a token: %v", err)
				}
			}
		})
	}
}

func TestSlackPlatformHTTPRoutes(t *testing.T) {
	cfg, err := loadConfig("", slackTestEnv(map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN": "xoxb-1", "STATUSBOT_SLACK_MODE": "http", "STATUSBOT_SLACK_SIGNING_SECRET": "s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBot(cfg)
	if err != nil {
		t.Fatal(err)
	}
	svcs, routes, err := slackPlatform(deps{cfg: cfg, bot: b, log: slog.New(slog.DiscardHandler), obs: relay.NopObserver{}})
	if err != nil || len(svcs) != 1 || svcs[0].Name() != "slack" {
		t.Fatalf("slackPlatform = %v services, %v; want the slack service", len(svcs), err)
	}
	var patterns []string
	for _, r := range routes {
		patterns = append(patterns, r.pattern)
		// Unsigned requests are refused by every route.
		w := httptest.NewRecorder()
		r.handler.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: unsigned request = %d, want 401", r.pattern, w.Code)
		}
	}
	want := []string{"POST /slack/commands", "POST /slack/events", "POST /slack/interactions"}
	slices.Sort(patterns)
	if !slices.Equal(patterns, want) {
		t.Errorf("routes = %v, want %v", patterns, want)
	}

	// Socket Mode mounts no routes; no Slack config runs no Slack.
	cfg.Slack.Mode, cfg.Slack.AppToken = "socket", "xapp-1"
	if _, routes, err := slackPlatform(deps{cfg: cfg, bot: b, log: slog.New(slog.DiscardHandler), obs: relay.NopObserver{}}); err != nil || len(routes) != 0 {
		t.Errorf("socket mode: %d routes, %v; want none", len(routes), err)
	}
	cfg.Slack = SlackConfig{}
	if svcs, _, err := slackPlatform(deps{cfg: cfg, bot: b}); err != nil || len(svcs) != 0 {
		t.Errorf("unconfigured: %d services, %v; want none", len(svcs), err)
	}
}

func TestSlackManifestCommand(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		socket bool
	}{
		{[]string{"slack", "manifest"}, true},
		{[]string{"slack", "manifest", "--request-url", "https://bot.example.com/"}, false},
	} {
		out, _, err := runSlackTestCmd(t, nil, tt.args...)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		var m struct {
			Features struct {
				AppHome struct {
					HomeTabEnabled     bool `json:"home_tab_enabled"`
					MessagesTabEnabled bool `json:"messages_tab_enabled"`
				} `json:"app_home"`
				SlashCommands []struct{ Command, URL string } `json:"slash_commands"`
				Shortcuts     []struct {
					Name        string `json:"name"`
					Type        string `json:"type"`
					CallbackID  string `json:"callback_id"`
					Description string `json:"description"`
				} `json:"shortcuts"`
			} `json:"features"`
			OAuthConfig struct {
				Scopes struct{ Bot []string } `json:"scopes"`
			} `json:"oauth_config"`
			Settings struct {
				EventSubscriptions struct {
					RequestURL string   `json:"request_url"`
					BotEvents  []string `json:"bot_events"`
				} `json:"event_subscriptions"`
				Interactivity struct {
					IsEnabled  bool   `json:"is_enabled"`
					RequestURL string `json:"request_url"`
				} `json:"interactivity"`
				SocketModeEnabled bool `json:"socket_mode_enabled"`
			} `json:"settings"`
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", tt.args, err, out)
		}
		scopes := slices.Sorted(slices.Values(m.OAuthConfig.Scopes.Bot))
		if want := []string{"app_mentions:read", "chat:write", "commands", "im:history"}; !slices.Equal(scopes, want) {
			t.Errorf("%v: scopes %v, want %v", tt.args, scopes, want)
		}
		if !slices.Equal(m.Settings.EventSubscriptions.BotEvents, []string{"app_home_opened", "app_mention", "message.im"}) || !m.Features.AppHome.HomeTabEnabled {
			t.Errorf("%v: events %v, home tab %v; want the home tab, published on app_home_opened", tt.args, m.Settings.EventSubscriptions.BotEvents, m.Features.AppHome.HomeTabEnabled)
		}
		if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/http" {
			t.Errorf("%v: commands %v, want /http", tt.args, m.Features.SlashCommands)
		}
		if sc := m.Features.Shortcuts; len(sc) != 1 || sc[0].Type != "message" || sc[0].CallbackID != slackadapter.CallbackExplain ||
			sc[0].Name != bot.ExplainAction || sc[0].Description == "" || len(sc[0].Name) > 24 || len(sc[0].Description) > 80 {
			t.Errorf("%v: shortcuts %+v, want the message shortcut %q", tt.args, sc, bot.ExplainAction)
		}
		if !m.Settings.Interactivity.IsEnabled || !m.Features.AppHome.MessagesTabEnabled || m.Settings.SocketModeEnabled != tt.socket {
			t.Errorf("%v: interactivity %v, messages tab %v, socket mode %v", tt.args, m.Settings.Interactivity.IsEnabled, m.Features.AppHome.MessagesTabEnabled, m.Settings.SocketModeEnabled)
		}
		if !tt.socket {
			if m.Settings.EventSubscriptions.RequestURL != "https://bot.example.com/slack/events" ||
				m.Settings.Interactivity.RequestURL != "https://bot.example.com/slack/interactions" ||
				m.Features.SlashCommands[0].URL != "https://bot.example.com/slack/commands" {
				t.Errorf("%v: request URLs %+v", tt.args, m)
			}
		}
	}
	if _, _, err := runSlackTestCmd(t, nil, "slack", "manifest", "--request-url", "http://insecure.example"); err == nil {
		t.Error("manifest with an http request URL: no error, want one (Slack needs https)")
	}
}

func TestAskFormatSlack(t *testing.T) {
	out, _, err := runSlackTestCmd(t, nil, "ask", "--format", "slack", "429")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, `{"text":"429 Too Many Requests\n`) || !strings.Contains(out, `"blocks":[{"type":"header"`) || strings.Count(out, "\n") != 1 {
		t.Errorf("ask --format slack 429 = %s", out)
	}
	var stdinOut bytes.Buffer
	t.Chdir(t.TempDir())
	if err := run(t.Context(), []string{"ask", "--format", "slack"}, strings.NewReader("404\n<!channel>\n"), &stdinOut, io.Discard, slackTestEnv(nil)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdinOut.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines for 2 queries: %s", len(lines), stdinOut.String())
	}
	for _, l := range lines {
		var msg struct {
			Text   string `json:"text"`
			Blocks []any  `json:"blocks"`
		}
		if err := json.Unmarshal([]byte(l), &msg); err != nil || msg.Text == "" || len(msg.Blocks) == 0 {
			t.Errorf("line %q: %v", l, err)
		}
		if strings.Contains(l, "<!channel>") {
			t.Errorf("line carries an unescaped <!channel>: %s", l)
		}
	}
}

// TestSlackPlatformAppliesLimits checks that the wiring hands the shared
// limiter to the Slack adapter: a user past ratelimit.user_queries is told
// once, privately, then ignored.
func TestSlackPlatformAppliesLimits(t *testing.T) {
	t.Parallel()
	fake := slacktest.NewServer(t, slackE2EBotToken, slackE2EAppToken)
	cfg, err := loadConfig("", slackTestEnv(map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN": slackE2EBotToken,
		"STATUSBOT_SLACK_APP_TOKEN": slackE2EAppToken,
		"STATUSBOT_SLACK_API_URL":   fake.APIURL,
	}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBot(cfg)
	if err != nil {
		t.Fatal(err)
	}
	lim := state.NewMemoryLimits(state.LimitConfig{UserQueries: 1, UserWindow: time.Hour}, nil)
	svcs, _, err := slackPlatform(deps{cfg: cfg, bot: b, log: slog.New(slog.DiscardHandler), obs: relay.NopObserver{}, lim: lim})
	if err != nil || len(svcs) != 1 {
		t.Fatalf("slackPlatform = %d services, %v", len(svcs), err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- svcs[0].Run(ctx) }()
	fake.WaitConnected(t, 1)
	for i, ts := range []string{"1700000300.000001", "1700000300.000002", "1700000300.000003"} {
		ev := slacktest.EventCallback("EvLim"+ts, slacktest.DirectMessage("D1", "U1", ts, "429"))
		fake.WaitAck(t, fake.Send(t, "events_api", ev))
		if i == 1 {
			fake.WaitCalls(t, "chat.postEphemeral", 1)
		}
	}
	fake.WaitCalls(t, "chat.postMessage", 1)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if p, e := len(fake.Calls("chat.postMessage")), len(fake.Calls("chat.postEphemeral")); p != 1 || e != 1 {
		t.Errorf("%d answers and %d notices to a user limited to 1 question, want 1 and 1", p, e)
	}
}

// TestUnsignedFloodCostsNoMemory is the review's reproduction: 200
// concurrent unsigned requests to the Slack endpoints that stall just
// before the end of a 1 MiB body. Each must be refused (401 before its body
// is read, or 503 past http.max_inflight) while it stalls, and the heap
// must not grow by the bodies. (Before, the bot read every body, grew its
// heap by 255 MiB, and answered 400 only when read_timeout cut them off.)
// Not parallel: it measures the heap.
func TestUnsignedFloodCostsNoMemory(t *testing.T) {
	fake := slacktest.NewServer(t, slackE2EBotToken, slackE2EAppToken)
	tb := startBot(t, platforms, map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN":      slackE2EBotToken,
		"STATUSBOT_SLACK_SIGNING_SECRET": "flood-signing-secret",
		"STATUSBOT_SLACK_MODE":           "http",
		"STATUSBOT_SLACK_API_URL":        fake.APIURL,
	}, nil)
	fake.WaitCalls(t, "auth.test", 1)
	const conns, size = 200, 1 << 20
	body := bytes.Repeat([]byte("x"), size-1) // one byte short: it stalls
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	type result struct {
		status int
		err    error
	}
	results := make(chan result, conns)
	for i := range conns {
		go func() {
			c, err := net.Dial("tcp", tb.addr)
			if err != nil {
				results <- result{err: err}
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(3 * wait))
			path := []string{"/slack/events", "/slack/commands", "/slack/interactions"}[i%3]
			fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, size)
			if i%2 == 0 { // half of them with a forged, malformed signature
				fmt.Fprintf(c, "X-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=forged\r\n", time.Now().Unix())
			}
			io.WriteString(c, "\r\n")
			go c.Write(body) // fails once the bot hangs up, as it should
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				results <- result{err: err}
				return
			}
			res.Body.Close()
			results <- result{status: res.StatusCode}
		}()
	}
	statuses := map[int]int{}
	for range conns {
		r := <-results
		if r.err != nil {
			t.Errorf("a stalled unsigned request got no answer: %v", r.err)
			continue
		}
		statuses[r.status]++
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if statuses[http.StatusUnauthorized]+statuses[http.StatusServiceUnavailable] != conns {
		t.Errorf("statuses %v, want every one of %d refused with 401 (or 503 past the in-flight limit)", statuses, conns)
	}
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d stalled unsigned requests: statuses %v; heap grew by %.1f MiB (bytes allocated in all: %.1f MiB)",
		conns, statuses, float64(grew)/(1<<20), float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("the bot allocated %d MiB for %d unsigned requests: it read their bodies", alloc>>20, conns)
	}
	if n := fake.Count("chat.postMessage") + fake.Count("chat.postEphemeral"); n != 0 {
		t.Errorf("%d replies to unsigned requests", n)
	}
}
