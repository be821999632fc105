package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

func newTestBot(t testing.TB, images bot.Images) *bot.Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(cat, bot.Options{Images: images, Rand: func(int) int { return 0 }})
}

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
	refused     map[string]int // reason -> requests or questions refused
}

func (o *countingObserver) Refused(_, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.refused == nil {
		o.refused = map[string]int{}
	}
	o.refused[reason]++
}

// refusals is how many were refused for reason.
func (o *countingObserver) refusals(reason string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.refused[reason]
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

type callback struct {
	Type int         `json:"type"`
	Data wireMessage `json:"data"`
}

func decodeCallback(t *testing.T, c discordtest.Call, id string) callback {
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

// interactionsServer serves the HTTP interactions endpoint for a fresh key
// pair; no token, so no gateway.
func interactionsServer(t *testing.T) (*httptest.Server, ed25519.PrivateKey, *countingObserver, *bot.Bot) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	obs := &countingObserver{}
	b := newTestBot(t, bot.ImagesNone)
	a, err := New(b, Config{PublicKey: hex.EncodeToString(pub), Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Ready() {
		t.Error("an HTTP-only adapter is not Ready")
	}
	srv := httptest.NewServer(a.InteractionsHandler())
	t.Cleanup(srv.Close)
	return srv, priv, obs, b
}

// signed is a request to url signed now, as Discord signs them.
func signed(t *testing.T, url string, key ed25519.PrivateKey, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = discordtest.Sign(key, time.Now(), body)
	req.Header.Set("Content-Type", "application/json")
	return req
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func inChannel(m map[string]any, channel string) map[string]any {
	m["channel_id"] = channel
	return m
}
