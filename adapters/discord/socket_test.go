package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/bot"
)

// gatewayTest is an adapter running against a fake Discord.
type gatewayTest struct {
	f    *discordtest.Server
	a    *Adapter
	b    *bot.Bot
	obs  *countingObserver
	conn *discordtest.Conn
	stop func() // ends Run and waits for it, replies in flight included
}

// startGateway runs an adapter against a new fake, configured by configure
// and then prepare (both may be nil), and waits until it is connected.
func startGateway(t testing.TB, configure func(*Config), prepare ...func(*Adapter)) *gatewayTest {
	t.Helper()
	f := discordtest.NewServer(t)
	obs := &countingObserver{}
	cfg := Config{
		Token:           discordtest.Token,
		APIURL:          f.APIURL,
		MessageCommands: true,
		Observer:        obs,
		Logger:          slog.New(slog.NewTextHandler(t.Output(), nil)),
	}
	if configure != nil {
		configure(&cfg)
	}
	b := newTestBot(t, bot.ImagesNone)
	a, err := New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prepare {
		p(a)
	}
	if a.Ready() {
		t.Error("Ready() before connecting")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(discordtest.Wait):
				t.Error("Run did not return after cancel")
			}
		})
	}
	// The session must close before the fake does (registered first, so
	// cleaned up last).
	t.Cleanup(stop)
	g := &gatewayTest{f: f, a: a, b: b, obs: obs, stop: stop}
	g.conn = f.WaitConn(t)
	// Closing before the first heartbeat can start a reconnect loop in
	// discordgo that outlives the test.
	g.conn.WaitHeartbeat(t)
	if !a.Ready() {
		t.Error("Ready() false after READY")
	}
	return g
}

// replyTo decodes a posted channel message and checks that it replies to
// the message with ID want.
func replyTo(t *testing.T, c discordtest.Call, want string) wireMessage {
	t.Helper()
	if c.Method != "POST" || c.Path != "/api/v9/channels/300000000000000001/messages" {
		t.Fatalf("got %s %s, want a POST to the channel's messages", c.Method, c.Path)
	}
	m := decodeWire(t, c.Body)
	if m.Reference == nil || (*m.Reference)["message_id"] != want {
		t.Errorf("reply references %v, want message %s", m.Reference, want)
	}
	if m.Nonce != want || !m.EnforceNonce {
		t.Errorf("reply nonce %q (enforced %v), want the question's ID %s, enforced", m.Nonce, m.EnforceNonce, want)
	}
	return m
}

// sameMessage checks that a posted body is exactly the render of a, plus
// the reply reference.
func sameMessage(t *testing.T, body []byte, a *bot.Answer) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"message_reference", "nonce", "enforce_nonce"} {
		delete(got, k)
	}
	want, err := MessageJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	var w map[string]any
	json.Unmarshal(want, &w)
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(w)
	if string(gj) != string(wj) {
		t.Errorf("posted\n%s\nwant\n%s", gj, wj)
	}
}

func TestGatewayMessageCommand(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	var id discordtest.Identify
	if err := json.Unmarshal(g.conn.First().D, &id); err != nil || g.conn.First().Op != 2 {
		t.Fatalf("first gateway frame op %d (%v), want IDENTIFY", g.conn.First().Op, err)
	}
	want := int(discordgo.IntentGuildMessages | discordgo.IntentDirectMessages | discordgo.IntentMessageContent)
	if id.Intents != want || id.Token != "Bot "+discordtest.Token {
		t.Errorf("IDENTIFY intents %d, want %d (token sent as %q)", id.Intents, want, strings.Repeat("*", len(id.Token)))
	}

	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("500000000000000001", "!http 429", nil))
	c := g.f.WaitWrite(t)
	m := replyTo(t, c, "500000000000000001")
	if len(m.Embeds) != 1 || m.Embeds[0].Title != "429 Too Many Requests" {
		t.Errorf("reply embeds %+v, want 429 Too Many Requests", m.Embeds)
	}
	sameMessage(t, c.Body, g.b.Answer("429"))

	// A mention instead of the prefix, in either form.
	for i, content := range []string{"<@" + discordtest.BotID + "> 404", "404 <@!" + discordtest.BotID + ">"} {
		id := "50000000000000001" + string(rune('2'+i))
		g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message(id, content, nil))
		c := g.f.WaitWrite(t)
		m := replyTo(t, c, id)
		if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, "404") {
			t.Errorf("%q: reply %+v, want 404", content, m.Embeds)
		}
	}

	// A direct message: no guild.
	dm := discordtest.Message("500000000000000009", "!HTTP 418", nil)
	delete(dm, "guild_id")
	g.conn.Dispatch("MESSAGE_CREATE", dm)
	m = replyTo(t, g.f.WaitWrite(t), "500000000000000009")
	if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, "418") {
		t.Errorf("DM reply %+v, want 418", m.Embeds)
	}
	g.stop()
	if n := g.obs.totalAnswered(); n != 4 {
		t.Errorf("observer counted %d answers, want 4", n)
	}
}

// TestGatewayIgnores sends messages the bot must not answer, then one it
// must; after shutdown (which waits for replies in flight) that one reply
// is the only message posted.
func TestGatewayIgnores(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	ignored := []map[string]any{
		discordtest.Message("600000000000000001", "!http 429", map[string]any{"id": "200000000000000002", "username": "otherbot", "bot": true}),
		discordtest.Message("600000000000000002", "!http 429", map[string]any{"id": discordtest.BotID, "username": "statusbot"}), // itself
		discordtest.Message("600000000000000004", "hello 429", nil),
		discordtest.Message("600000000000000005", "!https 429", nil),
		discordtest.Message("600000000000000006", "thanks statusbot", nil),
	}
	hook := discordtest.Message("600000000000000003", "!http 429", map[string]any{"id": "200000000000000003", "username": "hook"})
	hook["webhook_id"] = "700000000000000001"
	ignored = append(ignored, hook)
	for _, m := range ignored {
		g.conn.Dispatch("MESSAGE_CREATE", m)
	}
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("600000000000000099", "!http 404", nil))
	replyTo(t, g.f.WaitWrite(t), "600000000000000099")
	g.stop()
	if posts := g.f.CallsTo("POST", "/api/v9/channels/300000000000000001/messages"); len(posts) != 1 {
		t.Errorf("%d messages posted, want only the reply to the human", len(posts))
	}
}

// TestGatewayEveryone: text a user typed never pings, in a message reply
// or in a slash command answer.
func TestGatewayEveryone(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("800000000000000001", "!http @everyone @here <@&1> 429", nil))
	m := replyTo(t, g.f.WaitWrite(t), "800000000000000001")
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 || m.AllowedMentions.RepliedUser {
		t.Errorf("allowed_mentions = %+v, want parse [] and no replied_user", m.AllowedMentions)
	}
	if m.Content != "" {
		t.Errorf("content %q, want none", m.Content)
	}
	g.conn.Dispatch("INTERACTION_CREATE", discordtest.SlashCommand("900000000000000001", "@everyone"))
	c := g.f.WaitWrite(t)
	r := decodeCallback(t, c, "900000000000000001")
	if r.Data.AllowedMentions == nil || r.Data.AllowedMentions.Parse == nil || len(*r.Data.AllowedMentions.Parse) != 0 {
		t.Errorf("interaction allowed_mentions = %+v, want parse []", r.Data.AllowedMentions)
	}
}

func TestGatewayInteractions(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	tests := []struct {
		name  string
		event map[string]any
		check func(t *testing.T, r callback)
	}{
		{"slash public", discordtest.SlashCommand("910000000000000001", "429"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.Answer("429"), false)
			if len(r.Data.Components) == 0 {
				t.Error("no link buttons")
			}
		}},
		{"slash help is ephemeral", discordtest.SlashCommand("910000000000000002", "help"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.Answer("help"), true)
		}},
		{"slash not found is ephemeral", discordtest.SlashCommand("910000000000000003", "zzqxj"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.Answer("zzqxj"), true)
		}},
		{"autocomplete", discordtest.Autocomplete("910000000000000004", "429"), func(t *testing.T, r callback) {
			if r.Type != 8 {
				t.Errorf("callback type %d, want 8 (AUTOCOMPLETE_RESULT)", r.Type)
			}
			if len(r.Data.Choices) == 0 || r.Data.Choices[0].Name != "429 Too Many Requests" || r.Data.Choices[0].Value != "429" {
				t.Errorf("choices %+v, want 429 Too Many Requests first", r.Data.Choices)
			}
		}},
		{"autocomplete empty", discordtest.Autocomplete("910000000000000005", ""), func(t *testing.T, r callback) {
			if r.Type != 8 || len(r.Data.Choices) != 25 {
				t.Errorf("callback type %d with %d choices, want 8 with 25", r.Type, len(r.Data.Choices))
			}
		}},
		{"button", discordtest.ButtonPress("910000000000000006", CustomID(404), false), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.AnswerCode(404), false)
		}},
		{"button on an ephemeral message", discordtest.ButtonPress("910000000000000007", CustomID(410), true), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.AnswerCode(410), true)
		}},
		{"someone else's button", discordtest.ButtonPress("910000000000000008", "other:thing", false), func(t *testing.T, r callback) {
			if r.Type != 6 {
				t.Errorf("callback type %d, want 6 (acknowledge, change nothing)", r.Type)
			}
		}},
	}
	// One at a time, so each callback is matched to its event.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.conn.Dispatch("INTERACTION_CREATE", tt.event)
			tt.check(t, decodeCallback(t, g.f.WaitWrite(t), tt.event["id"].(string)))
		})
	}
}

// TestGatewayReconnect: after op 7 the client resumes the session, and
// later messages are still answered.
func TestGatewayReconnect(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("520000000000000001", "!http 429", nil))
	replyTo(t, g.f.WaitWrite(t), "520000000000000001")

	hold := g.f.HoldResume()
	g.conn.Send(7, nil)
	select {
	case release := <-hold:
		if g.a.Ready() {
			t.Error("Ready() while reconnecting")
		}
		close(release)
	case <-time.After(discordtest.Wait):
		t.Fatal("no RESUME after op 7")
	}
	c2 := g.f.WaitConn(t)
	if c2.First().Op != 6 {
		t.Fatalf("after op 7 the client sent op %d, want RESUME (6)", c2.First().Op)
	}
	var r discordtest.Resume
	json.Unmarshal(c2.First().D, &r)
	if r.SessionID != discordtest.SessionID || r.Seq != 2 || r.Token != "Bot "+discordtest.Token {
		t.Errorf("RESUME session %q seq %d, want %q seq 2 and the token", r.SessionID, r.Seq, discordtest.SessionID)
	}
	c2.WaitHeartbeat(t)
	if !g.a.Ready() {
		t.Error("Ready() false after RESUMED")
	}
	c2.Dispatch("MESSAGE_CREATE", discordtest.Message("520000000000000002", "!http 404", nil))
	replyTo(t, g.f.WaitWrite(t), "520000000000000002")
	g.stop()
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.reconnected != 1 {
		t.Errorf("observer counted %d reconnections, want 1", g.obs.reconnected)
	}
}

// TestGatewayRateLimited: a 429 with Retry-After, then success, delivers
// the reply exactly once.
func TestGatewayRateLimited(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	path := "/api/v9/channels/300000000000000001/messages"
	g.f.Script(path, http.StatusTooManyRequests)
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("530000000000000001", "!http 429", nil))
	first := g.f.WaitWrite(t)
	if first.Status != 429 {
		t.Fatalf("first attempt answered %d, want the fake's 429", first.Status)
	}
	second := g.f.WaitWrite(t)
	replyTo(t, second, "530000000000000001")
	if second.Status != 200 {
		t.Errorf("retry answered %d, want 200", second.Status)
	}
	g.stop()
	var delivered int
	for _, c := range g.f.CallsTo("POST", path) {
		if c.Status == 200 {
			delivered++
		}
	}
	if delivered != 1 {
		t.Errorf("reply delivered %d times, want exactly once", delivered)
	}
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.rateLimited != 1 || g.obs.answered[bot.KindStatus] != 1 || len(g.obs.errors) != 0 {
		t.Errorf("observer: %d rate limits, %v answered, errors %v; want 1, one status, none", g.obs.rateLimited, g.obs.answered, g.obs.errors)
	}
}

// TestGatewayWithoutMessageCommands: the privileged intent is not asked
// for, messages are ignored, slash commands still work.
func TestGatewayWithoutMessageCommands(t *testing.T) {
	t.Parallel()
	g := startGateway(t, func(c *Config) { c.MessageCommands = false })
	var id discordtest.Identify
	json.Unmarshal(g.conn.First().D, &id)
	if id.Intents&int(discordgo.IntentMessageContent) != 0 {
		t.Errorf("IDENTIFY intents %d include Message Content", id.Intents)
	}
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("540000000000000001", "!http 429", nil))
	g.conn.Dispatch("INTERACTION_CREATE", discordtest.SlashCommand("940000000000000001", "429"))
	decodeCallback(t, g.f.WaitWrite(t), "940000000000000001")
	g.stop()
	if posts := g.f.CallsTo("POST", "/api/v9/channels/300000000000000001/messages"); len(posts) != 0 {
		t.Errorf("%d message replies with message commands off", len(posts))
	}
}

func TestGatewayShard(t *testing.T) {
	t.Parallel()
	g := startGateway(t, func(c *Config) { c.ShardID, c.ShardCount = 1, 2 })
	var id discordtest.Identify
	json.Unmarshal(g.conn.First().D, &id)
	if id.Shard == nil || *id.Shard != [2]int{1, 2} {
		t.Errorf("IDENTIFY shard %v, want [1 2]", id.Shard)
	}
}

// TestGatewayBadToken: a token Discord rejects ends Run with an error that
// does not repeat the token.
func TestGatewayBadToken(t *testing.T) {
	t.Parallel()
	f := discordtest.NewServer(t)
	a, err := New(newTestBot(t, bot.ImagesNone), Config{Token: "wrong-secret", APIURL: f.APIURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), discordtest.Wait)
	defer cancel()
	err = a.Run(ctx)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("Run with a rejected token: %v (context %v), want an error at once", err, ctx.Err())
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("error %q repeats the token", err)
	}
	if a.Ready() {
		t.Error("Ready() with a rejected token")
	}
}

// TestGatewayPostFails: a reply Discord refuses is counted as a platform
// error, not an answer, and the bot goes on answering.
func TestGatewayPostFails(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	g.f.Script("/api/v9/channels/300000000000000001/messages", http.StatusForbidden)
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("560000000000000001", "!http 429", nil))
	if c := g.f.WaitWrite(t); c.Status != http.StatusForbidden {
		t.Fatalf("first post answered %d, want the scripted 403", c.Status)
	}
	g.conn.Dispatch("MESSAGE_CREATE", discordtest.Message("560000000000000002", "!http 404", nil))
	replyTo(t, g.f.WaitWrite(t), "560000000000000002")
	g.stop()
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.errors["post_message"] != 1 || g.obs.answered[bot.KindStatus] != 1 {
		t.Errorf("observer: errors %v, answered %v; want one post_message error and one answer", g.obs.errors, g.obs.answered)
	}
}
