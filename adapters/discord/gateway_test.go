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

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// countingObserver counts what the adapter reports. The embedded
// NopObserver covers methods the Observer may gain.
type countingObserver struct {
	relay.NopObserver
	mu          sync.Mutex
	answered    map[bot.Kind]int
	errors      map[string]int
	rateLimited int
	reconnected int
	recovered   map[string]int // event kind -> panics
}

func (o *countingObserver) Answered(p string, k bot.Kind, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.answered == nil {
		o.answered = map[bot.Kind]int{}
	}
	o.answered[k]++
}

func (o *countingObserver) PlatformError(p, op string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.errors == nil {
		o.errors = map[string]int{}
	}
	o.errors[op]++
}

func (o *countingObserver) Recovered(p, event string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.recovered == nil {
		o.recovered = map[string]int{}
	}
	o.recovered[event]++
}

func (o *countingObserver) RateLimited(string) { o.mu.Lock(); o.rateLimited++; o.mu.Unlock() }
func (o *countingObserver) Reconnected(string) { o.mu.Lock(); o.reconnected++; o.mu.Unlock() }

func (o *countingObserver) totalAnswered() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, c := range o.answered {
		n += c
	}
	return n
}

// gatewayTest is an adapter running against a fake Discord.
type gatewayTest struct {
	f    *fakeDiscord
	a    *Adapter
	b    *bot.Bot
	obs  *countingObserver
	conn *fakeConn
	stop func() // ends Run and waits for it, replies in flight included
}

// startGateway runs an adapter against a new fake, configured by configure
// and then prepare (both may be nil), and waits until it is connected.
func startGateway(t testing.TB, configure func(*Config), prepare ...func(*Adapter)) *gatewayTest {
	t.Helper()
	f := newFake(t)
	obs := &countingObserver{}
	cfg := Config{
		Token:           fakeToken,
		APIURL:          f.apiURL(),
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
			case <-time.After(waitTimeout):
				t.Error("Run did not return after cancel")
			}
		})
	}
	// The session must close before the fake does (registered first, so
	// cleaned up last).
	t.Cleanup(stop)
	g := &gatewayTest{f: f, a: a, b: b, obs: obs, stop: stop}
	g.conn = f.waitConn(t)
	// Closing before the first heartbeat can start a reconnect loop in
	// discordgo that outlives the test.
	g.conn.waitHeartbeat(t)
	if !a.Ready() {
		t.Error("Ready() false after READY")
	}
	return g
}

func message(id, content string, author map[string]any) map[string]any {
	if author == nil {
		author = map[string]any{"id": "200000000000000001", "username": "alice"}
	}
	return map[string]any{
		"id": id, "channel_id": "300000000000000001", "guild_id": "400000000000000001",
		"type": 0, "content": content, "author": author,
	}
}

// replyTo decodes a posted channel message and checks that it replies to
// the message with ID want.
func replyTo(t *testing.T, c restCall, want string) wireMessage {
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
	var id identify
	if err := json.Unmarshal(g.conn.first.D, &id); err != nil || g.conn.first.Op != 2 {
		t.Fatalf("first gateway frame op %d (%v), want IDENTIFY", g.conn.first.Op, err)
	}
	want := int(discordgo.IntentGuildMessages | discordgo.IntentDirectMessages | discordgo.IntentMessageContent)
	if id.Intents != want || id.Token != "Bot "+fakeToken {
		t.Errorf("IDENTIFY intents %d, want %d (token sent as %q)", id.Intents, want, strings.Repeat("*", len(id.Token)))
	}

	g.conn.dispatch("MESSAGE_CREATE", message("500000000000000001", "!http 429", nil))
	c := g.f.waitWrite(t)
	m := replyTo(t, c, "500000000000000001")
	if len(m.Embeds) != 1 || m.Embeds[0].Title != "429 Too Many Requests" {
		t.Errorf("reply embeds %+v, want 429 Too Many Requests", m.Embeds)
	}
	sameMessage(t, c.Body, g.b.Answer("429"))

	// A mention instead of the prefix, in either form.
	for i, content := range []string{"<@" + fakeBotID + "> 404", "404 <@!" + fakeBotID + ">"} {
		id := "50000000000000001" + string(rune('2'+i))
		g.conn.dispatch("MESSAGE_CREATE", message(id, content, nil))
		c := g.f.waitWrite(t)
		m := replyTo(t, c, id)
		if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, "404") {
			t.Errorf("%q: reply %+v, want 404", content, m.Embeds)
		}
	}

	// A direct message: no guild.
	dm := message("500000000000000009", "!HTTP 418", nil)
	delete(dm, "guild_id")
	g.conn.dispatch("MESSAGE_CREATE", dm)
	m = replyTo(t, g.f.waitWrite(t), "500000000000000009")
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
		message("600000000000000001", "!http 429", map[string]any{"id": "200000000000000002", "username": "otherbot", "bot": true}),
		message("600000000000000002", "!http 429", map[string]any{"id": fakeBotID, "username": "statusbot"}), // itself
		message("600000000000000004", "hello 429", nil),
		message("600000000000000005", "!https 429", nil),
		message("600000000000000006", "thanks statusbot", nil),
	}
	hook := message("600000000000000003", "!http 429", map[string]any{"id": "200000000000000003", "username": "hook"})
	hook["webhook_id"] = "700000000000000001"
	ignored = append(ignored, hook)
	for _, m := range ignored {
		g.conn.dispatch("MESSAGE_CREATE", m)
	}
	g.conn.dispatch("MESSAGE_CREATE", message("600000000000000099", "!http 404", nil))
	replyTo(t, g.f.waitWrite(t), "600000000000000099")
	g.stop()
	if posts := g.f.callsTo("POST", "/api/v9/channels/300000000000000001/messages"); len(posts) != 1 {
		t.Errorf("%d messages posted, want only the reply to the human", len(posts))
	}
}

// TestGatewayEveryone: text a user typed never pings, in a message reply
// or in a slash command answer.
func TestGatewayEveryone(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	g.conn.dispatch("MESSAGE_CREATE", message("800000000000000001", "!http @everyone @here <@&1> 429", nil))
	m := replyTo(t, g.f.waitWrite(t), "800000000000000001")
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 || m.AllowedMentions.RepliedUser {
		t.Errorf("allowed_mentions = %+v, want parse [] and no replied_user", m.AllowedMentions)
	}
	if m.Content != "" {
		t.Errorf("content %q, want none", m.Content)
	}
	g.conn.dispatch("INTERACTION_CREATE", slashCommand("900000000000000001", "@everyone"))
	c := g.f.waitWrite(t)
	r := decodeCallback(t, c, "900000000000000001")
	if r.Data.AllowedMentions == nil || r.Data.AllowedMentions.Parse == nil || len(*r.Data.AllowedMentions.Parse) != 0 {
		t.Errorf("interaction allowed_mentions = %+v, want parse []", r.Data.AllowedMentions)
	}
}

func interaction(id string, typ int, data map[string]any) map[string]any {
	return map[string]any{
		"id": id, "application_id": fakeAppID, "type": typ, "token": "token-" + id, "version": 1,
		"channel_id": "300000000000000001", "guild_id": "400000000000000001",
		"member": map[string]any{"user": map[string]any{"id": "200000000000000001", "username": "alice"}},
		"data":   data,
	}
}

func slashCommand(id, query string) map[string]any {
	return interaction(id, 2, map[string]any{"id": "1", "name": "http", "type": 1,
		"options": []any{map[string]any{"name": "query", "type": 3, "value": query}}})
}

func autocomplete(id, typed string) map[string]any {
	return interaction(id, 4, map[string]any{"id": "1", "name": "http", "type": 1,
		"options": []any{map[string]any{"name": "query", "type": 3, "value": typed, "focused": true}}})
}

func buttonPress(id, customID string, ephemeral bool) map[string]any {
	flags := 0
	if ephemeral {
		flags = 64
	}
	i := interaction(id, 3, map[string]any{"custom_id": customID, "component_type": 2})
	i["message"] = map[string]any{"id": "510000000000000001", "channel_id": "300000000000000001", "flags": flags, "content": ""}
	return i
}

type callback struct {
	Type int         `json:"type"`
	Data wireMessage `json:"data"`
}

func decodeCallback(t *testing.T, c restCall, id string) callback {
	t.Helper()
	if want := "/api/v9/interactions/" + id + "/token-" + id + "/callback"; c.Method != "POST" || c.Path != want {
		t.Fatalf("got %s %s, want POST %s", c.Method, c.Path, want)
	}
	var r callback
	if err := json.Unmarshal(c.Body, &r); err != nil {
		t.Fatalf("callback body %s: %v", c.Body, err)
	}
	return r
}

// checkAnswerCallback checks a type 4 callback carrying the render of a.
func checkAnswerCallback(t *testing.T, r callback, a *bot.Answer, private bool) {
	t.Helper()
	if r.Type != 4 {
		t.Errorf("callback type %d, want 4 (CHANNEL_MESSAGE_WITH_SOURCE)", r.Type)
	}
	if got := r.Data.Flags&64 != 0; got != private {
		t.Errorf("ephemeral = %v, want %v", got, private)
	}
	if len(r.Data.Embeds) != 1 || r.Data.Embeds[0].Title != Embed(a).Title {
		t.Errorf("embeds %+v, want title %q", r.Data.Embeds, Embed(a).Title)
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
		{"slash public", slashCommand("910000000000000001", "429"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.Answer("429"), false)
			if len(r.Data.Components) == 0 {
				t.Error("no link buttons")
			}
		}},
		{"slash help is ephemeral", slashCommand("910000000000000002", "help"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.Answer("help"), true)
		}},
		{"slash not found is ephemeral", slashCommand("910000000000000003", "zzqxj"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.Answer("zzqxj"), true)
		}},
		{"autocomplete", autocomplete("910000000000000004", "429"), func(t *testing.T, r callback) {
			if r.Type != 8 {
				t.Errorf("callback type %d, want 8 (AUTOCOMPLETE_RESULT)", r.Type)
			}
			if len(r.Data.Choices) == 0 || r.Data.Choices[0].Name != "429 Too Many Requests" || r.Data.Choices[0].Value != "429" {
				t.Errorf("choices %+v, want 429 Too Many Requests first", r.Data.Choices)
			}
		}},
		{"autocomplete empty", autocomplete("910000000000000005", ""), func(t *testing.T, r callback) {
			if r.Type != 8 || len(r.Data.Choices) != 25 {
				t.Errorf("callback type %d with %d choices, want 8 with 25", r.Type, len(r.Data.Choices))
			}
		}},
		{"button", buttonPress("910000000000000006", CustomID(404), false), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.AnswerCode(404), false)
		}},
		{"button on an ephemeral message", buttonPress("910000000000000007", CustomID(410), true), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, g.b.AnswerCode(410), true)
		}},
		{"someone else's button", buttonPress("910000000000000008", "other:thing", false), func(t *testing.T, r callback) {
			if r.Type != 6 {
				t.Errorf("callback type %d, want 6 (acknowledge, change nothing)", r.Type)
			}
		}},
	}
	// One at a time, so each callback is matched to its event.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.conn.dispatch("INTERACTION_CREATE", tt.event)
			tt.check(t, decodeCallback(t, g.f.waitWrite(t), tt.event["id"].(string)))
		})
	}
}

// TestGatewayReconnect: after op 7 the client resumes the session, and
// later messages are still answered.
func TestGatewayReconnect(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	g.conn.dispatch("MESSAGE_CREATE", message("520000000000000001", "!http 429", nil))
	replyTo(t, g.f.waitWrite(t), "520000000000000001")

	hold := make(chan chan struct{}, 1)
	g.f.mu.Lock()
	g.f.holdResume = hold
	g.f.mu.Unlock()
	g.conn.send(7, nil)
	select {
	case release := <-hold:
		if g.a.Ready() {
			t.Error("Ready() while reconnecting")
		}
		close(release)
	case <-time.After(waitTimeout):
		t.Fatal("no RESUME after op 7")
	}
	c2 := g.f.waitConn(t)
	if c2.first.Op != 6 {
		t.Fatalf("after op 7 the client sent op %d, want RESUME (6)", c2.first.Op)
	}
	var r resume
	json.Unmarshal(c2.first.D, &r)
	if r.SessionID != fakeSessionID || r.Seq != 2 || r.Token != "Bot "+fakeToken {
		t.Errorf("RESUME session %q seq %d, want %q seq 2 and the token", r.SessionID, r.Seq, fakeSessionID)
	}
	c2.waitHeartbeat(t)
	if !g.a.Ready() {
		t.Error("Ready() false after RESUMED")
	}
	c2.dispatch("MESSAGE_CREATE", message("520000000000000002", "!http 404", nil))
	replyTo(t, g.f.waitWrite(t), "520000000000000002")
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
	g.f.script(path, http.StatusTooManyRequests)
	g.conn.dispatch("MESSAGE_CREATE", message("530000000000000001", "!http 429", nil))
	first := g.f.waitWrite(t)
	if first.Status != 429 {
		t.Fatalf("first attempt answered %d, want the fake's 429", first.Status)
	}
	second := g.f.waitWrite(t)
	replyTo(t, second, "530000000000000001")
	if second.Status != 200 {
		t.Errorf("retry answered %d, want 200", second.Status)
	}
	g.stop()
	var delivered int
	for _, c := range g.f.callsTo("POST", path) {
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
	var id identify
	json.Unmarshal(g.conn.first.D, &id)
	if id.Intents&int(discordgo.IntentMessageContent) != 0 {
		t.Errorf("IDENTIFY intents %d include Message Content", id.Intents)
	}
	g.conn.dispatch("MESSAGE_CREATE", message("540000000000000001", "!http 429", nil))
	g.conn.dispatch("INTERACTION_CREATE", slashCommand("940000000000000001", "429"))
	decodeCallback(t, g.f.waitWrite(t), "940000000000000001")
	g.stop()
	if posts := g.f.callsTo("POST", "/api/v9/channels/300000000000000001/messages"); len(posts) != 0 {
		t.Errorf("%d message replies with message commands off", len(posts))
	}
}

func TestGatewayShard(t *testing.T) {
	t.Parallel()
	g := startGateway(t, func(c *Config) { c.ShardID, c.ShardCount = 1, 2 })
	var id identify
	json.Unmarshal(g.conn.first.D, &id)
	if id.Shard == nil || *id.Shard != [2]int{1, 2} {
		t.Errorf("IDENTIFY shard %v, want [1 2]", id.Shard)
	}
}

// TestGatewayBadToken: a token Discord rejects ends Run with an error that
// does not repeat the token.
func TestGatewayBadToken(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	a, err := New(newTestBot(t, bot.ImagesNone), Config{Token: "wrong-secret", APIURL: f.apiURL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
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

func TestMessageQuery(t *testing.T) {
	const self = "42"
	tests := []struct {
		content string
		want    string
		ok      bool
	}{
		{"!http 429", "429", true},
		{"  !HTTP   too many requests ", "too many requests", true},
		{"!http", "", true},
		{"!http\n404", "404", true},
		{"!https 429", "", false},
		{"!httpx", "", false},
		{"429", "", false},
		{"<@42> what is gone", "what is gone", true},
		{"<@!42> 404", "404", true},
		{"what is <@42> 404", "what is 404", true},
		{"<@43> 404", "", false},
		{"<@42> !http 404", "404", true},
	}
	for _, tt := range tests {
		got, ok := messageQuery(tt.content, "!http", self)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("messageQuery(%q) = %q, %v; want %q, %v", tt.content, got, ok, tt.want, tt.ok)
		}
	}
}

// TestGatewayPostFails: a reply Discord refuses is counted as a platform
// error, not an answer, and the bot goes on answering.
func TestGatewayPostFails(t *testing.T) {
	t.Parallel()
	g := startGateway(t, nil)
	g.f.script("/api/v9/channels/300000000000000001/messages", http.StatusForbidden)
	g.conn.dispatch("MESSAGE_CREATE", message("560000000000000001", "!http 429", nil))
	if c := g.f.waitWrite(t); c.Status != http.StatusForbidden {
		t.Fatalf("first post answered %d, want the scripted 403", c.Status)
	}
	g.conn.dispatch("MESSAGE_CREATE", message("560000000000000002", "!http 404", nil))
	replyTo(t, g.f.waitWrite(t), "560000000000000002")
	g.stop()
	g.obs.mu.Lock()
	defer g.obs.mu.Unlock()
	if g.obs.errors["post_message"] != 1 || g.obs.answered[bot.KindStatus] != 1 {
		t.Errorf("observer: errors %v, answered %v; want one post_message error and one answer", g.obs.errors, g.obs.answered)
	}
}
