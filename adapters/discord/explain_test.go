package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
	"github.com/statusbot/statusbot/internal/explaintest"
)

// The message command "Explain HTTP status", and "Show everyone", end to
// end over the gateway and the HTTP endpoint, in a server and where only a
// user install reaches.

// asker sends one interaction and returns the response: its body, decoded.
type asker func(t *testing.T, id string, event map[string]any) (callback, map[string]any)

// buttonIDs lists the custom_ids of a message's buttons.
func buttonIDs(m wireMessage) []string {
	var ids []string
	for _, row := range m.Components {
		for _, c := range row.Components {
			if c.CustomID != "" {
				ids = append(ids, c.CustomID)
			}
		}
	}
	return ids
}

// explainScenario explains a log excerpt, a pasted response and a message
// with no status through ask, shows the first to everyone, and presses a
// suggestion on what everyone sees. With userInstall, every interaction
// comes from a group DM the bot is not in, as a user install's do.
func explainScenario(t *testing.T, b *bot.Bot, ask asker, userInstall bool) {
	where := func(i map[string]any) map[string]any {
		if userInstall {
			return discordtest.InUserInstall(i)
		}
		return i
	}
	channel, guild := discordtest.ChannelID, discordtest.GuildID
	if userInstall {
		channel, guild = discordtest.GroupDMID, "@me"
	}

	// A log excerpt pasted by someone else: several statuses, counted.
	log := explaintest.Read(t, "nginx_access.log")
	const target = "610000000000000001"
	r, data := ask(t, "710000000000000001", where(discordtest.MessageCommand("710000000000000001", bot.ExplainAction,
		discordtest.Message(target, log, map[string]any{"id": "200000000000000007", "username": "bob"}))))
	checkAnswerCallback(t, r, b.Explain(log), true)
	checkWire(t, "explain log", r.Data)
	e := r.Data.Embeds[0]
	for _, want := range []string{"**200 OK** — 22 times", "**502 Bad Gateway** — 8 times", "**504 Gateway Timeout** — 5 times", "**404 Not Found** — 3 times", "**301 Moved Permanently** — 2 times"} {
		if !strings.Contains(e.Description, want) {
			t.Errorf("explain log: description %q lacks %q", e.Description, want)
		}
	}
	ids := buttonIDs(r.Data)
	if want := []string{CustomID(200), CustomID(502), CustomID(504), CustomID(404), CustomID(301), showIDPrefix + target}; !slices.Equal(ids, want) {
		t.Errorf("explain log: buttons %v, want %v", ids, want)
	}

	// A response head, as a monitoring bot's embed: its headers read.
	head := explaintest.Read(t, "curl_429.txt")
	alert := discordtest.Message("610000000000000002", "", map[string]any{"id": "200000000000000008", "username": "monitor", "bot": true})
	alert["embeds"] = []any{map[string]any{"type": "rich", "title": "Check failed", "description": head}}
	r2, _ := ask(t, "710000000000000002", where(discordtest.MessageCommand("710000000000000002", bot.ExplainAction, alert)))
	checkWire(t, "explain head", r2.Data)
	if e := r2.Data.Embeds; r2.Data.Flags&64 == 0 || len(e) != 1 || e[0].Title != "429 Too Many Requests" || len(e[0].Fields) == 0 ||
		e[0].Fields[0].Name != "In this response" || !strings.Contains(e[0].Fields[0].Value, "Retry-After: 120 (wait 2 minutes before retrying)") {
		t.Errorf("explain head: %+v, want an ephemeral 429 whose first field interprets Retry-After", r2.Data)
	}

	// Nothing to explain: said privately, with nothing to show everyone.
	r3, _ := ask(t, "710000000000000003", where(discordtest.MessageCommand("710000000000000003", bot.ExplainAction,
		discordtest.Message("610000000000000003", "lunch at 12:30? I'll bring 200 cookies", nil))))
	checkAnswerCallback(t, r3, b.Explain("lunch at 12:30? I'll bring 200 cookies"), true)
	if ids := buttonIDs(r3.Data); len(ids) != 0 {
		t.Errorf("no status found: buttons %v, want none", ids)
	}

	// "Show everyone" on the first answer: Discord sends the ephemeral
	// message back whole; everyone gets it under a link to the message.
	ephemeral := data
	ephemeral["id"], ephemeral["channel_id"] = "710000000000000009", channel
	pub, _ := ask(t, "710000000000000004", where(discordtest.ButtonPressOn("710000000000000004", showIDPrefix+target, ephemeral)))
	checkWire(t, "shown", pub.Data)
	if pub.Type != 4 || pub.Data.Flags != 0 {
		t.Errorf("shown: type %d flags %d, want a new message (4) for everyone", pub.Type, pub.Data.Flags)
	}
	if want := "https://discord.com/channels/" + guild + "/" + channel + "/" + target; pub.Data.Content != want {
		t.Errorf("shown: content %q, want the link to the explained message %s", pub.Data.Content, want)
	}
	if gj, wj := mustJSON(t, pub.Data.Embeds), mustJSON(t, r.Data.Embeds); string(gj) != string(wj) {
		t.Errorf("shown embeds\n%s\nwant the explanation's\n%s", gj, wj)
	}
	if ids := buttonIDs(pub.Data); !slices.Equal(ids, []string{CustomID(200), CustomID(502), CustomID(504), CustomID(404), CustomID(301)}) {
		t.Errorf("shown: buttons %v, want the suggestions without Show everyone", ids)
	}

	// Its suggestions answer in public, as the message they are on.
	shownMsg := map[string]any{"id": "710000000000000010", "channel_id": channel, "flags": 0, "content": pub.Data.Content}
	r5, _ := ask(t, "710000000000000005", where(discordtest.ButtonPressOn("710000000000000005", CustomID(502), shownMsg)))
	checkAnswerCallback(t, r5, b.AnswerCode(502), false)

	// /http works there too.
	r6, _ := ask(t, "710000000000000006", where(discordtest.SlashCommand("710000000000000006", "429")))
	checkAnswerCallback(t, r6, b.Answer("429"), false)
}

// TestGatewayExplain runs the scenario over the gateway, in a server and
// in a user install's group DM, with no intents at all (no Message
// Content): every answer goes through the interaction callback, never as a
// channel message.
func TestGatewayExplain(t *testing.T) {
	t.Parallel()
	for _, userInstall := range []bool{false, true} {
		g := startGateway(t, func(c *Config) { c.MessageCommands = false })
		var id discordtest.Identify
		if err := json.Unmarshal(g.conn.First().D, &id); err != nil || id.Intents != 0 {
			t.Errorf("IDENTIFY intents %d (%v), want none: the interaction carries the message", id.Intents, err)
		}
		ask := func(t *testing.T, id string, event map[string]any) (callback, map[string]any) {
			t.Helper()
			g.conn.Dispatch("INTERACTION_CREATE", event)
			c := g.f.WaitWrite(t)
			return decodeCallback(t, c, id), callbackData(t, c.Body)
		}
		explainScenario(t, g.b, ask, userInstall)
		g.stop()
		for _, ch := range []string{discordtest.ChannelID, discordtest.GroupDMID} {
			if posts := g.f.CallsTo(http.MethodPost, "/api/v9/channels/"+ch+"/messages"); len(posts) != 0 {
				t.Errorf("user install %v: %d channel messages posted, want none", userInstall, len(posts))
			}
		}
		g.obs.mu.Lock()
		if n := g.obs.answered[bot.KindExplain]; n != 4 {
			t.Errorf("user install %v: observer counted %d explanations, want 4 (3 asked, 1 shown)", userInstall, n)
		}
		g.obs.mu.Unlock()
	}
}

// TestHTTPExplain runs the scenario over the HTTP interactions endpoint,
// in a server and in a user install's group DM.
func TestHTTPExplain(t *testing.T) {
	t.Parallel()
	srv, priv, obs, b := interactionsServer(t)
	ask := func(t *testing.T, id string, event map[string]any) (callback, map[string]any) {
		t.Helper()
		// The scenario runs twice: each run's interactions are new ones.
		status, body := do(t, signed(t, srv.URL, priv, mustJSON(t, freshID(event))))
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		var r callback
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatalf("response %s: %v", body, err)
		}
		return r, callbackData(t, body)
	}
	explainScenario(t, b, ask, false)
	explainScenario(t, b, ask, true)
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if n := obs.answered[bot.KindExplain]; n != 8 {
		t.Errorf("observer counted %d explanations, want 8", n)
	}
}

// callbackData is the data of an interaction response, as raw JSON values.
func callbackData(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var r struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("callback %s: %v", body, err)
	}
	return r.Data
}

// TestExplainLimited: the message command and "Show everyone" count
// against the abuse limits like any question; past them, the notice once,
// privately, then presses change nothing.
func TestExplainLimited(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	b := newTestBot(t, bot.ImagesNone)
	a, err := New(b, Config{PublicKey: hex.EncodeToString(pub), Limits: testLimiter()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.InteractionsHandler())
	defer srv.Close()
	ask := func(event map[string]any) callback {
		t.Helper()
		status, body := do(t, signed(t, srv.URL, priv, mustJSON(t, freshID(event))))
		var r callback
		if err := json.Unmarshal(body, &r); status != http.StatusOK || err != nil {
			t.Fatalf("%d %s", status, body)
		}
		return r
	}
	cmd := discordtest.MessageCommand("1", bot.ExplainAction, discordtest.Message("610000000000000001", "HTTP/1.1 503 Service Unavailable", nil))
	for range 5 {
		checkAnswerCallback(t, ask(cmd), b.Explain("HTTP/1.1 503 Service Unavailable"), true)
	}
	checkAnswerCallback(t, ask(cmd), b.RateLimitedAnswer(""), true)
	show := discordtest.ButtonPressOn("2", showIDPrefix+"610000000000000001", map[string]any{"id": "1", "flags": 64, "embeds": []any{map[string]any{"title": "x"}}})
	if r := ask(show); r.Type != 6 {
		t.Errorf("Show everyone past the limits: type %d, want 6 (nothing changes)", r.Type)
	}
}

// TestShowEveryoneWithoutEmbeds: a press whose message carries no
// explanation (not ours, or Discord sent it partial) is acknowledged and
// posts nothing; a custom_id that is not a message ID is not a show button.
func TestShowEveryoneWithoutEmbeds(t *testing.T) {
	t.Parallel()
	srv, priv, _, _ := interactionsServer(t)
	for _, id := range []string{showIDPrefix + "610000000000000001", showIDPrefix + "x", showIDPrefix + strings.Repeat("1", 21)} {
		status, body := do(t, signed(t, srv.URL, priv, mustJSON(t, freshID(discordtest.ButtonPress("1", id, true)))))
		var r callback
		if err := json.Unmarshal(body, &r); status != http.StatusOK || err != nil || r.Type != 6 {
			t.Errorf("%s: %d %s, want 200 with type 6", id, status, body)
		}
	}
}

// lastID numbers the interactions freshID makes.
var lastID atomic.Int64

// freshID gives event an interaction id of its own, as Discord gives every
// interaction: the HTTP endpoint answers an id once.
func freshID(event map[string]any) map[string]any {
	event["id"] = strconv.FormatInt(990000000000000000+lastID.Add(1), 10)
	return event
}

// explainTexts are pasted texts to explain: the testdata, a line for every
// catalogued code, a response whose related headers are long, hostile and
// many, and 4 KB of markup and mentions.
func explainTexts(t *testing.T, b *bot.Bot) map[string]string {
	texts := map[string]string{}
	for _, f := range []string{"nginx_access.log", "curl_429.txt", "curl_401.txt"} {
		texts[f] = explaintest.Read(t, f)
	}
	var every strings.Builder
	for _, c := range b.Catalog().Codes() {
		every.WriteString("HTTP/1.1 " + c.Title() + "\n")
	}
	texts["every code"] = every.String()
	hostile := strings.Repeat("@everyone <@1> **x** `y` ||z|| # ", 8)
	head := "HTTP/1.1 429 Too Many Requests\n"
	for _, h := range b.Catalog().Code(429).Headers {
		head += h.Name + ": " + hostile + "\n"
	}
	texts["hostile head"] = head + "Retry-After: 120\n"
	texts["4 KB of markup"] = strings.Repeat("<@&1> @here ||x|| [l](http://x) upstream returned 502\n", 120)
	return texts
}

// TestRenderExplainLimits: explanations, with their "Show everyone"
// button, are within Discord's limits; the headers of a pasted response
// that do not fit are left out whole, not cut mid-line.
func TestRenderExplainLimits(t *testing.T) {
	t.Parallel()
	b := newTestBot(t, bot.ImagesNone)
	for name, text := range explainTexts(t, b) {
		a := b.Explain(text)
		if a.Kind != bot.KindExplain || len(a.Codes) == 0 {
			t.Errorf("%s: explained as %s %v, want codes", name, a.Kind, a.Codes)
		}
		checkInteraction(t, name, explainResponse(a, "610000000000000001"), true)
		checkMessage(t, name, Message(a))
	}
	a := b.Explain(explainTexts(t, b)["hostile head"])
	f := Embed(a).Fields[0]
	if f.Name != "In this response" || !strings.HasSuffix(f.Value, "\n…") {
		t.Fatalf("hostile head: first field %q = %q, want the response's headers, cut", f.Name, f.Value)
	}
	for _, line := range strings.Split(strings.TrimSuffix(f.Value, "\n…"), "\n") {
		if !slices.ContainsFunc(b.Catalog().Code(429).Headers, func(h catalog.Header) bool { return strings.HasPrefix(line, h.Name+": ") }) || strings.HasSuffix(line, "…") && !strings.HasSuffix(line, "…)") {
			t.Errorf("hostile head: line %q is not a whole header line", line)
		}
	}
}

// TestHTTPExplainHostile: a message to explain holding anything a user may
// type gets an ephemeral answer within Discord's limits that pings no one.
func TestHTTPExplainHostile(t *testing.T) {
	t.Parallel()
	srv, priv, _, _ := interactionsServer(t)
	for _, in := range hostileInputs {
		text := in.text[:min(len(in.text), 4000)] // a message holds no more
		event := freshID(discordtest.MessageCommand("1", bot.ExplainAction, discordtest.Message("610000000000000001", "RAW-PLACEHOLDER", nil)))
		status, body := do(t, signed(t, srv.URL, priv, rawDispatch(t, event, text)))
		var r callback
		if err := json.Unmarshal(body, &r); status != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", in.name, status, body)
		}
		if r.Type != 4 || r.Data.Flags&64 == 0 {
			t.Errorf("%s: type %d flags %d, want an ephemeral answer", in.name, r.Type, r.Data.Flags)
		}
		checkHostileReply(t, in.name, r.Data)
	}
}

// BenchmarkInteractionExplain measures the HTTP endpoint's whole answer to
// the message command on a 4 KB access log: verify, decode, explain,
// render, encode.
func BenchmarkInteractionExplain(b *testing.B) {
	log := explaintest.Read(b, "nginx_access.log")
	benchInteraction(b, discordtest.MessageCommand("1", bot.ExplainAction, discordtest.Message("610000000000000001", log, nil)))
}
