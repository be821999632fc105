package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

const (
	testBotToken = "xoxb-test-bot-token-1234567890"
	testAppToken = "xapp-test-app-token-0987654321"
	testSecret   = "test-signing-secret"
)

var (
	testBotOnce sync.Once
	testBotVal  *bot.Bot
)

// testBot is the core over the embedded catalogue.
func testBot(t testing.TB) *bot.Bot {
	t.Helper()
	testBotOnce.Do(func() {
		cat, err := catalog.Load()
		if err != nil {
			panic(err)
		}
		testBotVal = bot.New(cat, bot.Options{})
	})
	return testBotVal
}

// recorder is an Observer that counts what it is told.
type recorder struct {
	mu       sync.Mutex
	answered []bot.Kind
	errors   []string
	limited  int
	reconns  int
	panics   []string
	refused  map[string]int // by reason
}

func (r *recorder) Refused(_, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refused == nil {
		r.refused = map[string]int{}
	}
	r.refused[reason]++
}

// refusals is how many questions or requests were refused for reason.
func (r *recorder) refusals(reason string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused[reason]
}

func (r *recorder) Recovered(platform, event string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.panics = append(r.panics, platform+"/"+event)
}

func (r *recorder) Answered(_ string, k bot.Kind, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answered = append(r.answered, k)
}

func (r *recorder) PlatformError(_, op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, op)
}

func (r *recorder) RateLimited(string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limited++
}

func (r *recorder) Reconnected(string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reconns++
}

func (r *recorder) counts() (answered, errors, limited, reconns int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.answered), len(r.errors), r.limited, r.reconns
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// logger logs everything, debug included, into b.
func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Reset forgets what was logged.
func (b *logBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = bytes.Buffer{}
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is an adapter running against a fake Slack.
type harness struct {
	a    *Adapter
	fake *slacktest.Server
	obs  *recorder
	logs *logBuffer

	cancel context.CancelFunc
	done   chan error
}

// start runs an adapter in mode against a new fake Slack; in Socket Mode it
// waits for the connection. The adapter stops before the fake closes.
func start(t testing.TB, mode string, tune ...func(*Adapter)) *harness {
	t.Helper()
	return startOn(t, slacktest.NewServer(t, testBotToken, testAppToken), mode, tune...)
}

// startOn is start against fake.
func startOn(t testing.TB, fake *slacktest.Server, mode string, tune ...func(*Adapter)) *harness {
	t.Helper()
	return startConfigured(t, fake, mode, nil, tune...)
}

// startConfigured is startOn with the adapter's Config changed by
// configure first, when not nil.
func startConfigured(t testing.TB, fake *slacktest.Server, mode string, configure func(*Config), tune ...func(*Adapter)) *harness {
	t.Helper()
	h := &harness{fake: fake, obs: &recorder{}, logs: &logBuffer{}}
	cfg := Config{
		BotToken:      testBotToken,
		AppToken:      testAppToken,
		SigningSecret: testSecret,
		Mode:          mode,
		APIURL:        fake.APIURL,
		Logger:        h.logs.logger(),
		Observer:      h.obs,
	}
	if configure != nil {
		configure(&cfg)
	}
	a, err := New(testBot(t), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.retryPolicy.Base = 5 * time.Millisecond
	for _, f := range tune {
		f(a)
	}
	h.a = a
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- a.Run(ctx) }()
	t.Cleanup(func() { h.stop(t) })
	if mode == ModeSocket {
		fake.WaitConnected(t, 1)
	} else {
		fake.WaitCalls(t, "auth.test", 1)
	}
	select {
	case <-a.started:
	case <-time.After(slacktest.Wait):
		t.Fatal("adapter never became ready")
	}
	if !a.Ready() {
		t.Fatal("Ready() = false after start")
	}
	return h
}

// stop cancels the adapter and waits for Run to finish its replies.
func (h *harness) stop(t testing.TB) {
	t.Helper()
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run returned %v, want nil after shutdown", err)
		}
	case <-time.After(slacktest.Wait):
		t.Fatalf("Run did not return after shutdown")
	}
	if logs := h.logs.String(); strings.Contains(logs, testBotToken) || strings.Contains(logs, testAppToken) || strings.Contains(logs, testSecret) {
		t.Errorf("a secret reached the log:\n%s", logs)
	}
}

// httpHarness is an HTTP-mode adapter behind the three routes.
type httpHarness struct {
	*harness
	srv *httptest.Server
}

func startHTTP(t testing.TB, tune ...func(*Adapter)) *httpHarness {
	t.Helper()
	return serveHTTP(t, start(t, ModeHTTP, tune...))
}

// serveHTTP mounts h's HTTP-mode handlers on a server of their own.
func serveHTTP(t testing.TB, h *harness) *httpHarness {
	t.Helper()
	hs := h.a.Handlers()
	mux := http.NewServeMux()
	mux.Handle("POST /slack/events", hs.Events)
	mux.Handle("POST /slack/commands", hs.Commands)
	mux.Handle("POST /slack/interactions", hs.Interactions)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &httpHarness{harness: h, srv: srv}
}

// post sends body to path signed with secret at time ts, with extra headers.
func (h *httpHarness) post(t testing.TB, path, contentType string, body []byte, secret string, ts time.Time, extra ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range slacktest.Sign(secret, ts, body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(extra); i += 2 {
		req.Header.Set(extra[i], extra[i+1])
	}
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	// Slack gives up after 3 s. The acks do no work before answering, so
	// even under -race on a machine busy with other tests they take far
	// less; 2 s leaves Slack's network its share of the deadline.
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("POST %s took %v; Slack gives up after 3s", path, d)
	}
	return res.StatusCode, b
}

// mention sends an app_mention envelope and waits for its ack.
func (h *harness) mention(t *testing.T, eventID, channel, ts, threadTS, text string) {
	t.Helper()
	ev := slacktest.EventCallback(eventID, slacktest.Mention(channel, "U1", ts, threadTS, text))
	h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
}

func jsonBody(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// asJSON round-trips v through JSON, to compare what is sent on the wire.
func asJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// headerText returns the text of the first header block in blocks.
func headerText(blocks []any) string {
	for _, b := range blocks {
		m, _ := b.(map[string]any)
		if m["type"] == "header" {
			txt, _ := m["text"].(map[string]any)
			s, _ := txt["text"].(string)
			return s
		}
	}
	return ""
}

// buttons returns the action ids and values of the buttons in blocks.
func buttons(blocks []any) map[string]string {
	out := map[string]string{}
	for _, b := range blocks {
		m, _ := b.(map[string]any)
		if m["type"] != "actions" {
			continue
		}
		els, _ := m["elements"].([]any)
		for _, e := range els {
			em, _ := e.(map[string]any)
			id, _ := em["action_id"].(string)
			v, _ := em["value"].(string)
			out[id] = v
		}
	}
	return out
}

// textObjects returns every text object ({"type": "mrkdwn"|"plain_text",
// "text": ...}) anywhere in blocks.
func textObjects(v any) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case map[string]any:
		if t, ok := x["type"].(string); ok && (t == "mrkdwn" || t == "plain_text") {
			if _, ok := x["text"].(string); ok {
				out = append(out, x)
			}
		}
		for _, e := range x {
			out = append(out, textObjects(e)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, textObjects(e)...)
		}
	}
	return out
}

// stressCore answers everything with the stress answer.
type stressCore struct{}

func (stressCore) Answer(string) *bot.Answer { return stress() }

func (stressCore) AnswerCode(int) *bot.Answer { return stress() }

func (stressCore) RateLimitedAnswer(string) *bot.Answer { return stress() }

func (stressCore) Explain(string) *bot.Answer { return stress() }

func (stressCore) Home() *bot.Answer { return stress() }

func (stressCore) BusyAnswer(string) *bot.Answer { return stress() }

// echoCore is a core that repeats the question in every text an answer has,
// as a not-found answer quoting the query does.
type echoCore struct{}

func (echoCore) Answer(q string) *bot.Answer {
	return &bot.Answer{
		Result: bot.Result{Query: q, Kind: bot.KindNotFound}, Title: "No match for " + q, Text: "Nothing matches “" + q + "”.",
		Fields: []bot.Field{{Name: q, Value: q}, {Name: "Link", Value: q, URL: "https://example.com/"}},
		Items:  []bot.Item{{Label: q, Detail: q}, {Code: 404, Label: q, Detail: q}},
		Note:   q, Choices: []bot.Choice{{Code: 404, Label: q}},
	}
}

func (e echoCore) AnswerCode(n int) *bot.Answer { return e.Answer(strconv.Itoa(n)) }

func (e echoCore) RateLimitedAnswer(q string) *bot.Answer { return e.Answer(q) }

func (e echoCore) Explain(text string) *bot.Answer { return e.Answer(text) }

func (e echoCore) Home() *bot.Answer { return e.Answer("home") }

func (e echoCore) BusyAnswer(q string) *bot.Answer { return e.Answer(q) }
