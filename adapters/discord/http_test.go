package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

func TestHTTPInteractionsSignature(t *testing.T) {
	t.Parallel()
	srv, priv, _, _ := interactionsServer(t)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	ping := []byte(`{"id":"1","application_id":"` + discordtest.AppID + `","type":1,"token":"t","version":1}`)

	status, body := do(t, signed(t, srv.URL, priv, ping))
	if status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("PING: %d %s, want 200 {\"type\":1}", status, body)
	}

	tampered := signed(t, srv.URL, priv, ping)
	tampered.Body = io.NopCloser(bytes.NewReader(bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)))
	if status, _ := do(t, tampered); status != http.StatusUnauthorized {
		t.Errorf("tampered body: %d, want 401", status)
	}

	if status, _ := do(t, signed(t, srv.URL, otherKey, ping)); status != http.StatusUnauthorized {
		t.Errorf("signed with another key: %d, want 401", status)
	}

	oldStamp := signed(t, srv.URL, priv, ping)
	oldStamp.Header.Set("X-Signature-Timestamp", "1")
	if status, _ := do(t, oldStamp); status != http.StatusUnauthorized {
		t.Errorf("timestamp changed after signing: %d, want 401", status)
	}

	for _, h := range []string{"X-Signature-Ed25519", "X-Signature-Timestamp"} {
		req := signed(t, srv.URL, priv, ping)
		req.Header.Del(h)
		if status, _ := do(t, req); status != http.StatusUnauthorized {
			t.Errorf("without %s: %d, want 401", h, status)
		}
	}
	garbage := signed(t, srv.URL, priv, ping)
	garbage.Header.Set("X-Signature-Ed25519", "not hex")
	if status, _ := do(t, garbage); status != http.StatusUnauthorized {
		t.Errorf("garbage signature: %d, want 401", status)
	}
}

func TestHTTPInteractionsOversized(t *testing.T) {
	t.Parallel()
	srv, priv, _, _ := interactionsServer(t)
	big := []byte(`{"type":1,"pad":"` + strings.Repeat("x", MaxInteractionBody) + `"}`)
	if status, _ := do(t, signed(t, srv.URL, priv, big)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("%d-byte body: %d, want 413", len(big), status)
	}
	// Without a Content-Length (chunked), the limit holds while reading.
	req := signed(t, srv.URL, priv, big)
	req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	if status, _ := do(t, req); status != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked %d-byte body: %d, want 413", len(big), status)
	}
	// Just under the limit is read (and then judged on its signature).
	fits := []byte(`{"type":1,"id":"1","token":"t","pad":"` + strings.Repeat("x", MaxInteractionBody-60) + `"}`)
	if status, _ := do(t, signed(t, srv.URL, priv, fits)); status != http.StatusOK {
		t.Errorf("%d-byte PING: %d, want 200", len(fits), status)
	}
}

func TestHTTPInteractionsAnswers(t *testing.T) {
	t.Parallel()
	srv, priv, obs, b := interactionsServer(t)
	tests := []struct {
		name  string
		event map[string]any
		check func(t *testing.T, r callback)
	}{
		{"slash", discordtest.SlashCommand("1", "429"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, b.Answer("429"), false)
			checkWire(t, "slash", r.Data)
		}},
		{"slash help", discordtest.SlashCommand("2", "help"), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, b.Answer("help"), true)
		}},
		{"slash too long", discordtest.SlashCommand("3", strings.Repeat("a", 400)), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, b.Answer(strings.Repeat("a", 400)), true)
		}},
		{"autocomplete", discordtest.Autocomplete("4", "404"), func(t *testing.T, r callback) {
			if r.Type != 8 || len(r.Data.Choices) == 0 || r.Data.Choices[0].Value != "404" {
				t.Errorf("type %d choices %+v, want 8 with 404 first", r.Type, r.Data.Choices)
			}
		}},
		{"button", discordtest.ButtonPress("5", CustomID(503), false), func(t *testing.T, r callback) {
			checkAnswerCallback(t, r, b.AnswerCode(503), false)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, signed(t, srv.URL, priv, mustJSON(t, tt.event)))
			if status != http.StatusOK {
				t.Fatalf("%d %s", status, body)
			}
			var r callback
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("response %s: %v", body, err)
			}
			tt.check(t, r)
		})
	}
	if n := obs.totalAnswered(); n != 4 {
		t.Errorf("observer counted %d answers, want 4 (autocomplete is not an answer)", n)
	}

	// Hostile but signed input gets a 4xx or a harmless acknowledgement,
	// never a crash.
	for body, want := range map[string]int{
		`not json`:              http.StatusBadRequest,
		`{"type":5,"data":{}}`:  http.StatusBadRequest, // a modal: not ours
		`{"type":2,"data":"x"}`: http.StatusBadRequest,
		`{"type":2,"data":{"options":[{"name":"query","value":7}]}}`: http.StatusOK, // no string: help
		`{"type":3,"data":null}`:                                     http.StatusOK, // no custom_id: acknowledged
	} {
		if status, got := do(t, signed(t, srv.URL, priv, []byte(body))); status != want {
			t.Errorf("%s: %d %s, want %d", body, status, got, want)
		}
	}
	get, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	if status, _ := do(t, get); status != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", status)
	}
}

func TestHTTPInteractionsWithoutKey(t *testing.T) {
	t.Parallel()
	a, err := New(newTestBot(t, bot.ImagesNone), Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.InteractionsHandler())
	defer srv.Close()
	_, priv, _ := ed25519.GenerateKey(nil)
	if status, _ := do(t, signed(t, srv.URL, priv, []byte(`{"type":1}`))); status != http.StatusUnauthorized {
		t.Errorf("no public key configured: %d, want 401", status)
	}
}

// TestPanicsAreContained: a panic while answering (here a missing core)
// costs that one request a 500, is counted, and the endpoint goes on.
func TestPanicsAreContained(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	obs := &countingObserver{}
	a, err := New(nil, Config{PublicKey: hex.EncodeToString(pub), Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.InteractionsHandler())
	defer srv.Close()
	if status, _ := do(t, signed(t, srv.URL, priv, mustJSON(t, discordtest.SlashCommand("1", "429")))); status != http.StatusInternalServerError {
		t.Errorf("panicking answer: %d, want 500", status)
	}
	if status, _ := do(t, signed(t, srv.URL, priv, []byte(`{"type":1}`))); status != http.StatusOK {
		t.Errorf("PING after a panic: %d, want 200", status)
	}
	a.inflight.Go("message_create", func(context.Context) { panic("boom") })
	a.inflight.Drain(context.Background())
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.recovered["http_interaction"] != 1 || obs.recovered["message_create"] != 1 || len(obs.errors) != 0 {
		t.Errorf("observer recovered %v, errors %v; want one panic of each and no platform errors", obs.recovered, obs.errors)
	}
}

// BenchmarkInteractionSlash measures the HTTP endpoint's whole answer to a
// slash command: verify, decode, ask the core, render, encode.
func BenchmarkInteractionSlash(b *testing.B) {
	benchInteraction(b, discordtest.SlashCommand("1", "429"))
}

// benchInteraction measures the HTTP endpoint's answers to one signed
// interaction.
func benchInteraction(b *testing.B, event map[string]any) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	// The same request every time: a Dedup that never remembers lets it
	// through again.
	a, err := New(newTestBot(b, bot.ImagesNone), Config{PublicKey: hex.EncodeToString(pub), Dedup: forgetful{}})
	if err != nil {
		b.Fatal(err)
	}
	h := a.InteractionsHandler()
	body, _ := json.Marshal(event)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...)))
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// TestHTTPInteractionsReplayed: with a Dedup shared by two replicas, an
// interaction delivered again, to either of them, is refused with 409;
// PINGs are always answered.
func TestHTTPInteractionsReplayed(t *testing.T) {
	t.Parallel()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := state.NewMemoryDedup(100, time.Minute)
	var urls []string
	for range 2 {
		a, err := New(newTestBot(t, bot.ImagesNone), Config{PublicKey: hex.EncodeToString(pub), Dedup: seen})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.InteractionsHandler())
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	slash := mustJSON(t, discordtest.SlashCommand("930000000000000001", "429"))
	if status, body := do(t, signed(t, urls[0], priv, slash)); status != http.StatusOK || !strings.Contains(string(body), "429 Too Many Requests") {
		t.Fatalf("first delivery: %d %s, want the answer", status, body)
	}
	for i, url := range urls {
		if status, _ := do(t, signed(t, url, priv, slash)); status != http.StatusConflict {
			t.Errorf("replica %d, delivered again: %d, want 409", i, status)
		}
	}
	ping := []byte(`{"id":"930000000000000002","type":1,"token":"t"}`)
	for i := range 2 {
		if status, _ := do(t, signed(t, urls[i], priv, ping)); status != http.StatusOK {
			t.Errorf("PING %d: %d, want 200", i, status)
		}
	}
}

// forgetful is a state.Dedup that remembers nothing: every key is new.
type forgetful struct{}

func (forgetful) First(context.Context, string) bool { return true }

// spyBody is a request body that notes whether anything read it.
type spyBody struct {
	io.Reader
	read atomic.Bool
}

func (b *spyBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.Reader.Read(p)
}

func (b *spyBody) Close() error { return nil }

// TestHTTPInteractionsTimestamp: a request whose signature headers are
// malformed, or whose timestamp is not a number within five minutes of
// now, is refused with 401 before its body is read, even when it is
// signed; one a little off is answered.
func TestHTTPInteractionsTimestamp(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	obs := &countingObserver{}
	a, err := New(newTestBot(t, bot.ImagesNone), Config{PublicKey: hex.EncodeToString(pub), Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	h := a.InteractionsHandler()
	now := time.Now()
	n := 0
	body := func() []byte { n++; return mustJSON(t, discordtest.SlashCommand(strconv.Itoa(900+n), "429")) }
	signedWith := func(stamp string, b []byte) http.Header {
		return http.Header{
			"X-Signature-Timestamp": {stamp},
			"X-Signature-Ed25519":   {hex.EncodeToString(ed25519.Sign(priv, append([]byte(stamp), b...)))},
		}
	}
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name   string
		header func(b []byte) http.Header
		want   int
	}{
		{"six minutes old", func(b []byte) http.Header { return signedWith(at(-6*time.Minute), b) }, http.StatusUnauthorized},
		{"six minutes ahead", func(b []byte) http.Header { return signedWith(at(6*time.Minute), b) }, http.StatusUnauthorized},
		{"not a number", func(b []byte) http.Header { return signedWith("soon", b) }, http.StatusUnauthorized},
		{"milliseconds", func(b []byte) http.Header { return signedWith(strconv.FormatInt(now.UnixMilli(), 10), b) }, http.StatusUnauthorized},
		{"no timestamp", func(b []byte) http.Header { h := signedWith(at(0), b); h.Del("X-Signature-Timestamp"); return h }, http.StatusUnauthorized},
		{"signature too short", func(b []byte) http.Header { h := signedWith(at(0), b); h.Set("X-Signature-Ed25519", "abcd"); return h }, http.StatusUnauthorized},
		{"four minutes old", func(b []byte) http.Header { return signedWith(at(-4*time.Minute), b) }, http.StatusOK},
		{"now", func(b []byte) http.Header { return signedWith(at(0), b) }, http.StatusOK},
	}
	for _, tt := range tests {
		b := body()
		spy := &spyBody{Reader: bytes.NewReader(b)}
		req := httptest.NewRequest(http.MethodPost, PathInteractions, nil)
		req.Body, req.ContentLength, req.Header = spy, int64(len(b)), tt.header(b)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, w.Code, bytes.TrimSpace(w.Body.Bytes()), tt.want)
		}
		if tt.want == http.StatusUnauthorized && spy.read.Load() {
			t.Errorf("%s: the body was read before the request was refused", tt.name)
		}
	}
	if got := obs.refusals("signature"); got != 6 {
		t.Errorf("%d refusals counted, want 6", got)
	}
}

// TestHTTPInteractionsReplay: a signed interaction sent again (within the
// timestamp window) is answered once; the copy gets 409 and changes
// nothing. PINGs do nothing and are answered every time.
func TestHTTPInteractionsReplay(t *testing.T) {
	t.Parallel()
	srv, priv, obs, _ := interactionsServer(t)
	for _, ev := range []map[string]any{discordtest.SlashCommand("880000000000000001", "429"), discordtest.ButtonPress("880000000000000002", CustomID(404), false)} {
		body := mustJSON(t, ev)
		first := signed(t, srv.URL, priv, body)
		again := signed(t, srv.URL, priv, body)
		if status, got := do(t, first); status != http.StatusOK {
			t.Fatalf("first delivery: %d %s", status, got)
		}
		if status, got := do(t, again); status != http.StatusConflict {
			t.Errorf("the same interaction again: %d %s, want 409", status, got)
		}
	}
	ping := []byte(`{"id":"880000000000000003","type":1,"token":"t","version":1}`)
	for range 2 {
		if status, _ := do(t, signed(t, srv.URL, priv, ping)); status != http.StatusOK {
			t.Errorf("PING again: %d, want 200", status)
		}
	}
	if answered, replays := obs.totalAnswered(), obs.refusals("replay"); answered != 2 || replays != 2 {
		t.Errorf("observer: %d answered, %d replays refused; want 2 and 2", answered, replays)
	}
}

// TestHTTPInteractionsRefusalsLogThrottled: a flood of refused requests
// costs one log line.
func TestHTTPInteractionsRefusalsLogThrottled(t *testing.T) {
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(nil)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	var logs syncLog
	a, err := New(newTestBot(t, bot.ImagesNone), Config{PublicKey: hex.EncodeToString(pub),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.InteractionsHandler())
	defer srv.Close()
	for range 50 {
		if status, _ := do(t, signed(t, srv.URL, otherKey, []byte(`{"type":1}`))); status != http.StatusUnauthorized {
			t.Fatalf("wrong key: %d, want 401", status)
		}
	}
	if n := strings.Count(logs.String(), "interaction request refused"); n != 1 {
		t.Errorf("50 refusals logged %d lines, want 1:\n%s", n, logs.String())
	}
}
