package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

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
		g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message(id, "!http 429", nil))
	}
	notice := Embed(g.b.RateLimitedAnswer("429")).Title
	answers, notices := 0, 0
	for range 6 {
		m := decodeWire(t, g.f.WaitWrite(t).Body)
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
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("580000000000000009", "!http 404", bob))
	if m := replyTo(t, g.f.WaitWrite(t), "580000000000000009"); len(m.Embeds) != 1 || m.Embeds[0].Title != Embed(g.b.Answer("404")).Title {
		t.Errorf("bob got %+v, want the 404 answer", m.Embeds)
	}
	g.stop() // waits for replies in flight: the last two questions get none
	if posts := g.f.CallsTo("POST", "/api/v9/channels/300000000000000001/messages"); len(posts) != 7 {
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
		g.conn.Dispatch("INTERACTION_CREATE", event)
		return decodeCallback(t, g.f.WaitWrite(t), id)
	}
	ids := []string{"920000000000000001", "920000000000000002", "920000000000000003", "920000000000000004", "920000000000000005"}
	for _, id := range ids {
		checkAnswerCallback(t, ask(id, discordtest.SlashCommand(id, "429")), g.b.Answer("429"), false)
	}
	for _, id := range []string{"920000000000000006", "920000000000000007"} {
		r := ask(id, discordtest.SlashCommand(id, "429"))
		checkAnswerCallback(t, r, notice, true)
		checkWire(t, "notice", r.Data)
	}
	if r := ask("920000000000000008", discordtest.ButtonPress("920000000000000008", CustomID(404), false)); r.Type != 6 {
		t.Errorf("limited button: callback type %d, want 6 (acknowledge, nothing more)", r.Type)
	}
	if r := ask("920000000000000009", discordtest.Autocomplete("920000000000000009", "42")); r.Type != 8 || len(r.Data.Choices) == 0 {
		t.Errorf("autocomplete while limited: type %d with %d choices, want 8 with choices", r.Type, len(r.Data.Choices))
	}
	bob := discordtest.SlashCommand("920000000000000010", "404")
	bob["member"] = map[string]any{"user": map[string]any{"id": "200000000000000009", "username": "bob"}}
	checkAnswerCallback(t, ask("920000000000000010", bob), g.b.Answer("404"), false)

	// Each callback URL is used once: it must not leave a rate-limit bucket
	// in the session for ever. (A bucket the session did use has no
	// request left; a fresh one has one.)
	if b := g.a.session.(*discordgo.Session).Ratelimiter.GetBucket(discordgo.EndpointInteractionResponse("920000000000000001", "token-920000000000000001")); b.Remaining != 1 {
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
	presses := 0
	press := func() callback {
		t.Helper()
		presses++ // each press is an interaction of its own
		status, body := do(t, signed(t, srv.URL, priv, mustJSON(t, discordtest.ButtonPress(strconv.Itoa(presses), CustomID(503), false))))
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

// TestBusyWorkers: the reply workers are bounded. While Discord holds every
// reply, questions past the workers queue, and past the queue are refused:
// counted, logged once, and answered with the busy notice. The queued ones
// are answered once Discord answers again.
func TestBusyWorkers(t *testing.T) {
	t.Parallel()
	var logs syncLog
	const workers, queue = 1, 1
	g := startGateway(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) }, func(a *Adapter) {
		a.inflight = relay.NewWorkers(platform, a.log, a.obs, workers, queue)
	})
	busyTitle := Embed(g.b.BusyAnswer("")).Title
	held, release := g.f.Hold(func(method, path string, body []byte) bool {
		return method == http.MethodPost && !strings.Contains(string(body), busyTitle)
	})
	defer release()
	questions := []string{"560000000000000001", "560000000000000002", "560000000000000003", "560000000000000004"}
	for i, id := range questions {
		// A channel each: discordgo sends one request at a time per channel.
		g.conn.Dispatch("MESSAGE_CREATE", inChannel(discordtest.Message(id, "!http 429", nil), "32000000000000000"+strconv.Itoa(i)))
		if i == 0 {
			<-held // the one worker waits on Discord
		}
	}
	// Two past the worker and the queue: both told, in reply to their question.
	told := map[string]bool{}
	for range len(questions) - workers - queue {
		w := decodeWire(t, g.f.WaitWrite(t).Body)
		if len(w.Embeds) != 1 || w.Embeds[0].Title != busyTitle || w.Reference == nil {
			t.Fatalf("notice %+v, want the busy notice in reply", w.Embeds)
		}
		told[(*w.Reference)["message_id"].(string)] = true
	}
	if !told[questions[2]] || !told[questions[3]] {
		t.Errorf("busy notices in reply to %v, want the last two questions", told)
	}
	release()
	g.f.WaitWrite(t)
	g.f.WaitWrite(t)
	g.stop()
	for _, id := range questions {
		if n := g.f.RepliesTo(id); n != 1 {
			t.Errorf("question %s: %d replies, want 1", id, n)
		}
	}
	if n := g.obs.refusals("busy"); n != 2 {
		t.Errorf("%d refused as busy, want 2", n)
	}
	if n := strings.Count(logs.String(), "event refused"); n != 1 {
		t.Errorf("%d log lines for 2 refusals, want 1:\n%s", n, logs.String())
	}
}
