package discord

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// fastRetries keeps the adapter's retry pauses to milliseconds in tests.
func fastRetries(a *Adapter) {
	a.retry = relay.Retry{Attempts: 4, Base: time.Millisecond, Max: 4 * time.Millisecond}
}

// faultPlan fails requests to each path as listed, in order, then lets
// them through. The fake calls it under its lock.
func faultPlan(plan map[string][]discordtest.Fault) func(method, path string, body []byte) discordtest.Fault {
	return func(method, path string, _ []byte) discordtest.Fault {
		fs := plan[path]
		if method != http.MethodPost || len(fs) == 0 {
			return discordtest.Fault{}
		}
		plan[path] = fs[1:]
		return fs[0]
	}
}

// TestGatewayRetries: replies that meet 5xx answers or dropped connections
// are retried with backoff and delivered exactly once, even when the first
// attempt did create the message (the nonce makes Discord return it); a
// reply that fails every attempt is counted once, and the bot goes on.
func TestGatewayRetries(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil, fastRetries)
	path := func(ch string) string { return "/api/v9/channels/" + ch + "/messages" }
	cases := []struct {
		name, channel, question string
		faults                  []discordtest.Fault
		replies                 int
	}{
		{"500s before creating", "310000000000000001", "570000000000000001", []discordtest.Fault{{Status: 500}, {Status: 503}}, 1},
		{"500 after creating", "310000000000000002", "570000000000000002", []discordtest.Fault{{Status: 500, Late: true}}, 1},
		{"connection lost", "310000000000000003", "570000000000000003", []discordtest.Fault{{HangUp: true}, {HangUp: true, Late: true}}, 1},
		{"fails every time", "310000000000000004", "570000000000000004", []discordtest.Fault{{Status: 500}, {Status: 500}, {Status: 500}, {Status: 500}}, 0},
	}
	plan := map[string][]discordtest.Fault{}
	for _, c := range cases {
		plan[path(c.channel)] = c.faults
	}
	// An interaction callback that got through but whose response was
	// lost: the retry hears "already acknowledged", which is success.
	callback := "/api/v9/interactions/970000000000000001/token-970000000000000001/callback"
	plan[callback] = []discordtest.Fault{{Status: 500, Late: true}}
	g.f.SetFault(faultPlan(plan))
	for _, c := range cases {
		g.conn.Dispatch("MESSAGE_CREATE", inChannel(discordtest.Message(c.question, "!http 429", nil), c.channel))
		attempts := min(len(c.faults)+1, 4)
		for range attempts {
			if w := g.f.WaitWrite(t); w.Path != path(c.channel) {
				t.Fatalf("%s: write to %s, want %s", c.name, w.Path, path(c.channel))
			}
		}
	}
	g.conn.Dispatch("INTERACTION_CREATE", discordtest.SlashCommand("970000000000000001", "429"))
	for range 2 {
		if w := g.f.WaitWrite(t); w.Path != callback {
			t.Fatalf("write to %s, want %s", w.Path, callback)
		}
	}
	g.stop()
	for _, c := range cases {
		if n := g.f.RepliesTo(c.question); n != c.replies {
			t.Errorf("%s: %d replies created, want %d", c.name, n, c.replies)
		}
		if n := len(g.f.CallsTo("POST", path(c.channel))); n != min(len(c.faults)+1, 4) {
			t.Errorf("%s: %d attempts, want %d", c.name, n, min(len(c.faults)+1, 4))
		}
	}
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.errors["post_message"] != 1 || len(g.obs.errors) != 1 || g.obs.answered[bot.KindStatus] != 4 {
		t.Errorf("observer: errors %v, answered %v; want one post_message error and 4 answers", g.obs.errors, g.obs.answered)
	}
}

// TestFailedCallbackLogsNoToken: an interaction callback that fails on the
// network is logged with its operation and cause, never with its URL, whose
// token lets its holder post as the bot for 15 minutes.
func TestFailedCallbackLogsNoToken(t *testing.T) {
	t.Parallel()
	var logs syncLog
	g := startGateway(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}, fastRetries)
	const id = "970000000000000077"
	token := "token-" + id
	callback := "/api/v9/interactions/" + id + "/" + token + "/callback"
	hangUps := []discordtest.Fault{{HangUp: true}, {HangUp: true}, {HangUp: true}, {HangUp: true}}
	g.f.SetFault(faultPlan(map[string][]discordtest.Fault{callback: hangUps}))
	g.conn.Dispatch("INTERACTION_CREATE", discordtest.SlashCommand(id, "429"))
	for range len(hangUps) {
		if w := g.f.WaitWrite(t); w.Path != callback {
			t.Fatalf("write to %s, want %s", w.Path, callback)
		}
	}
	g.stop()
	out := logs.String()
	if !strings.Contains(out, "interaction response failed") || !strings.Contains(out, "op=interaction_respond") || !strings.Contains(out, "EOF") {
		t.Errorf("the failure is not logged with its operation and cause:\n%s", out)
	}
	if strings.Contains(out, token) {
		t.Errorf("the interaction token reached the log:\n%s", out)
	}
}

// syncLog is a log destination safe for concurrent writes.
type syncLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
