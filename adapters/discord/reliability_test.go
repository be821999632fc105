package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// fastRetries keeps the adapter's retry pauses to milliseconds in tests.
func fastRetries(a *Adapter) {
	a.retry = retryPolicy{attempts: 4, base: time.Millisecond, max: 4 * time.Millisecond}
}

// faultPlan fails requests to each path as listed, in order, then lets
// them through. The fake calls it under its lock.
func faultPlan(plan map[string][]fault) func(method, path string, body []byte) fault {
	return func(method, path string, _ []byte) fault {
		fs := plan[path]
		if method != http.MethodPost || len(fs) == 0 {
			return fault{}
		}
		plan[path] = fs[1:]
		return fs[0]
	}
}

func inChannel(m map[string]any, channel string) map[string]any {
	m["channel_id"] = channel
	return m
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
		faults                  []fault
		replies                 int
	}{
		{"500s before creating", "310000000000000001", "570000000000000001", []fault{{status: 500}, {status: 503}}, 1},
		{"500 after creating", "310000000000000002", "570000000000000002", []fault{{status: 500, late: true}}, 1},
		{"connection lost", "310000000000000003", "570000000000000003", []fault{{hangUp: true}, {hangUp: true, late: true}}, 1},
		{"fails every time", "310000000000000004", "570000000000000004", []fault{{status: 500}, {status: 500}, {status: 500}, {status: 500}}, 0},
	}
	plan := map[string][]fault{}
	for _, c := range cases {
		plan[path(c.channel)] = c.faults
	}
	// An interaction callback that got through but whose response was
	// lost: the retry hears "already acknowledged", which is success.
	callback := "/api/v9/interactions/970000000000000001/token-970000000000000001/callback"
	plan[callback] = []fault{{status: 500, late: true}}
	g.f.mu.Lock()
	g.f.fault = faultPlan(plan)
	g.f.mu.Unlock()
	for _, c := range cases {
		g.conn.dispatch("MESSAGE_CREATE", inChannel(message(c.question, "!http 429", nil), c.channel))
		attempts := min(len(c.faults)+1, 4)
		for range attempts {
			if w := g.f.waitWrite(t); w.Path != path(c.channel) {
				t.Fatalf("%s: write to %s, want %s", c.name, w.Path, path(c.channel))
			}
		}
	}
	g.conn.dispatch("INTERACTION_CREATE", slashCommand("970000000000000001", "429"))
	for range 2 {
		if w := g.f.waitWrite(t); w.Path != callback {
			t.Fatalf("write to %s, want %s", w.Path, callback)
		}
	}
	g.stop()
	for _, c := range cases {
		if n := g.f.repliesTo(c.question); n != c.replies {
			t.Errorf("%s: %d replies created, want %d", c.name, n, c.replies)
		}
		if n := len(g.f.callsTo("POST", path(c.channel))); n != min(len(c.faults)+1, 4) {
			t.Errorf("%s: %d attempts, want %d", c.name, n, min(len(c.faults)+1, 4))
		}
	}
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.errors["post_message"] != 1 || len(g.obs.errors) != 1 || g.obs.answered[bot.KindStatus] != 4 {
		t.Errorf("observer: errors %v, answered %v; want one post_message error and 4 answers", g.obs.errors, g.obs.answered)
	}
}

// fixedClock is a limiter clock that never moves: buckets never refill.
func fixedClock() time.Time { return time.Unix(1_700_000_000, 0) }

func testLimiter() *state.MemoryLimits {
	return state.NewMemoryLimits(state.LimitConfig{UserQueries: 5, UserWindow: 10 * time.Second, ChannelQueries: 20, ChannelWindow: 10 * time.Second}, fixedClock)
}

// TestGatewayMessageRateLimit: a user sending message commands too fast gets
// five answers, one reply saying to slow down, then silence; another user
// in the same channel is still answered.
func TestGatewayMessageRateLimit(t *testing.T) {
	t.Parallel()
	g := startGateway(t, func(c *Config) { c.Limits = testLimiter() })
	ids := []string{"580000000000000001", "580000000000000002", "580000000000000003", "580000000000000004",
		"580000000000000005", "580000000000000006", "580000000000000007", "580000000000000008"}
	for _, id := range ids {
		g.conn.dispatch("MESSAGE_CREATE", message(id, "!http 429", nil))
	}
	notice := Embed(g.b.RateLimitedAnswer("429")).Title
	answers, notices := 0, 0
	for range 6 {
		m := decodeWire(t, g.f.waitWrite(t).Body)
		switch {
		case len(m.Embeds) == 1 && m.Embeds[0].Title == "429 Too Many Requests":
			answers++
		case len(m.Embeds) == 1 && m.Embeds[0].Title == notice:
			notices++
			if m.Reference == nil || m.AllowedMentions == nil || m.AllowedMentions.RepliedUser {
				t.Errorf("notice %+v: want a reply to the question that pings no one", m)
			}
		default:
			t.Errorf("unexpected reply %+v", m.Embeds)
		}
	}
	if answers != 5 || notices != 1 {
		t.Errorf("%d answers and %d notices, want 5 and 1", answers, notices)
	}
	bob := map[string]any{"id": "200000000000000009", "username": "bob"}
	g.conn.dispatch("MESSAGE_CREATE", message("580000000000000009", "!http 404", bob))
	if m := replyTo(t, g.f.waitWrite(t), "580000000000000009"); len(m.Embeds) != 1 || m.Embeds[0].Title != Embed(g.b.Answer("404")).Title {
		t.Errorf("bob got %+v, want the 404 answer", m.Embeds)
	}
	g.stop() // waits for replies in flight: the last two questions get none
	if posts := g.f.callsTo("POST", "/api/v9/channels/300000000000000001/messages"); len(posts) != 7 {
		t.Errorf("%d messages posted, want 7 (5 answers, 1 notice, bob's answer)", len(posts))
	}
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.rateLimited != 3 || g.obs.answered[bot.KindStatus] != 6 || g.obs.answered[bot.KindRateLimited] != 1 {
		t.Errorf("observer: %d rate limited, answered %v; want 3, 6 status and 1 rate_limited", g.obs.rateLimited, g.obs.answered)
	}
}

// TestGatewayInteractionRateLimit: slash commands past the limit get an
// ephemeral notice (an interaction must be answered within 3 seconds, or
// Discord shows an error); a suggestion button past it is acknowledged
// without a word; autocomplete is not limited; another user is answered.
func TestGatewayInteractionRateLimit(t *testing.T) {
	t.Parallel()
	g := startGateway(t, func(c *Config) { c.Limits = testLimiter() })
	notice := g.b.RateLimitedAnswer("429")
	ask := func(id string, event map[string]any) callback {
		t.Helper()
		g.conn.dispatch("INTERACTION_CREATE", event)
		return decodeCallback(t, g.f.waitWrite(t), id)
	}
	ids := []string{"920000000000000001", "920000000000000002", "920000000000000003", "920000000000000004", "920000000000000005"}
	for _, id := range ids {
		checkAnswerCallback(t, ask(id, slashCommand(id, "429")), g.b.Answer("429"), false)
	}
	for _, id := range []string{"920000000000000006", "920000000000000007"} {
		r := ask(id, slashCommand(id, "429"))
		checkAnswerCallback(t, r, notice, true)
		checkWire(t, "notice", r.Data)
	}
	if r := ask("920000000000000008", buttonPress("920000000000000008", CustomID(404), false)); r.Type != 6 {
		t.Errorf("limited button: callback type %d, want 6 (acknowledge, nothing more)", r.Type)
	}
	if r := ask("920000000000000009", autocomplete("920000000000000009", "42")); r.Type != 8 || len(r.Data.Choices) == 0 {
		t.Errorf("autocomplete while limited: type %d with %d choices, want 8 with choices", r.Type, len(r.Data.Choices))
	}
	bob := slashCommand("920000000000000010", "404")
	bob["member"] = map[string]any{"user": map[string]any{"id": "200000000000000009", "username": "bob"}}
	checkAnswerCallback(t, ask("920000000000000010", bob), g.b.Answer("404"), false)

	// Each callback URL is used once: it must not leave a rate-limit bucket
	// in the session for ever. (A bucket the session did use has no
	// request left; a fresh one has one.)
	if b := g.a.session.Ratelimiter.GetBucket(discordgo.EndpointInteractionResponse("920000000000000001", "token-920000000000000001")); b.Remaining != 1 {
		t.Errorf("the session keeps a used rate-limit bucket for an interaction callback")
	}
	g.stop()
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.rateLimited != 3 || g.obs.answered[bot.KindRateLimited] != 2 {
		t.Errorf("observer: %d rate limited, answered %v; want 3 and 2 notices", g.obs.rateLimited, g.obs.answered)
	}
}

// TestHTTPInteractionsRateLimit: the HTTP endpoint applies the same limits;
// the first limited button press gets the ephemeral notice, the next an
// acknowledgement that changes nothing.
func TestHTTPInteractionsRateLimit(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	obs := &countingObserver{}
	b := newTestBot(t, bot.ImagesNone)
	a, err := New(b, Config{PublicKey: hex.EncodeToString(pub), Observer: obs, Limits: testLimiter()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.InteractionsHandler())
	defer srv.Close()
	press := func() callback {
		t.Helper()
		status, body := do(t, signed(t, srv.URL, priv, mustJSON(t, buttonPress("1", CustomID(503), false))))
		var r callback
		if err := json.Unmarshal(body, &r); status != http.StatusOK || err != nil {
			t.Fatalf("%d %s", status, bytes.TrimSpace(body))
		}
		return r
	}
	for range 5 {
		checkAnswerCallback(t, press(), b.AnswerCode(503), false)
	}
	checkAnswerCallback(t, press(), b.RateLimitedAnswer("503"), true)
	if r := press(); r.Type != 6 {
		t.Errorf("second limited press: type %d, want 6", r.Type)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.rateLimited != 2 {
		t.Errorf("observer counted %d limited questions, want 2", obs.rateLimited)
	}
}
