// Package slacktest is a fake Slack for tests, on 127.0.0.1: the Web API
// methods statusbot calls (auth.test, apps.connections.open,
// chat.postMessage, chat.postEphemeral, views.publish, and
// conversations.history and conversations.replies, which read back the
// messages it posted), a Socket Mode websocket that sends envelopes and
// pings, reads acks, and like Slack sends envelopes not yet acknowledged
// again after a reconnect, and response URLs. It records every call so
// tests can read back what was posted, and can be told to fail, before or
// after doing what was asked.
//
// slack-go's own slacktest server targets the retired RTM API: it neither
// speaks Socket Mode nor lets a test read posted blocks back.
package slacktest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities the fake answers with.
const (
	BotUserID = "UBOT"
	BotID     = "BBOT"
	TeamID    = "T1"
	AppID     = "A1"
)

// Wait is how long the Wait methods wait before failing the test.
const Wait = 10 * time.Second

// Call is one request the fake received.
type Call struct {
	At     time.Time      // when the fake received it
	Method string         // Web API method, or "response" for a response URL
	Path   string         // request path
	Form   url.Values     // Web API form fields (the token is removed)
	Text   string         // the message's text
	Blocks []any          // the message's blocks, decoded; a published view's
	JSON   map[string]any // a JSON body: a response URL's, or views.publish's

	rawBlocks string // the blocks form field, decoded into Blocks when read
}

// decoded returns c with its blocks decoded. Decoding waits until a test
// reads the call, so that the fake spends little of the CPU it shares with
// the bot while a benchmark runs.
func (c Call) decoded() Call {
	if c.rawBlocks != "" && c.Blocks == nil {
		_ = json.Unmarshal([]byte(c.rawBlocks), &c.Blocks)
	}
	return c
}

// Ack is a Socket Mode acknowledgement the fake read.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // what the ack carried, if anything
}

// Fault is a scripted failure: the next call of a method gets it instead of
// success.
type Fault struct {
	Status     int    // HTTP status, e.g. 429 or 500
	RetryAfter string // Retry-After header, for 429
	Error      string // with Status 200: an {"ok":false,"error":...} answer
	HangUp     bool   // close the connection unanswered, the request read
	// Late does what was asked (posts the message) before failing, as
	// Slack may when its response is lost: a retry would post it twice.
	Late bool
}

// message is a message the fake posted, for conversations.history and
// conversations.replies to return.
type message struct {
	channel, ts, threadTS, text string
	metadata                    map[string]any
}

// Server is a fake Slack.
type Server struct {
	URL    string // http://127.0.0.1:PORT
	APIURL string // URL + "/api/", for slack.api_url

	BotToken string // the bot token the Web API accepts
	AppToken string // the app-level token apps.connections.open accepts

	srv *httptest.Server

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every change
	calls       []Call
	counts      map[string]int // calls by method
	acks        []Ack
	pending     []*envelope // sent and not yet acknowledged, oldest first
	faults      map[string][]Fault
	holds       map[string]chan struct{} // methods whose calls wait, by method
	conns       []*conn
	hellos      int
	nextID      int
	lastTS      int64 // microseconds, of the latest ts handed out
	posted      []message
	redelivered int
	pingDone    chan struct{}
	wg          sync.WaitGroup
	closed      bool
}

// NewServer starts a fake Slack that accepts botToken and appToken, and closes it
// when the test ends.
func NewServer(t testing.TB, botToken, appToken string) *Server {
	s := &Server{
		BotToken: botToken,
		AppToken: appToken,
		changed:  make(chan struct{}),
		counts:   map[string]int{},
		faults:   map[string][]Fault{},
		holds:    map[string]chan struct{}{},
		pingDone: make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", s.serveAPI)
	mux.HandleFunc("GET /link/", s.serveSocket)
	mux.HandleFunc("POST /response/{name}", s.serveResponse)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	s.APIURL = s.srv.URL + "/api/"
	t.Cleanup(s.Close)
	return s
}

// Close drops the websockets and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.pingDone)
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
	s.wg.Wait()
	s.srv.Close()
}

// ResponseURL is a response URL on the fake; posts to it are recorded as
// calls of method "response" with path /response/name.
func (s *Server) ResponseURL(name string) string { return s.URL + "/response/" + name }

// Fail makes the next calls of method (a Web API method, or "response")
// fail with faults, in order.
func (s *Server) Fail(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], faults...)
}

// Hold makes calls of method (a Web API method, or "response") wait,
// unanswered, until release is called or the client gives up; each is
// counted, as it arrives, as a call of method + ":held".
func (s *Server) Hold(method string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.holds[method] = ch
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.holds[method] == ch {
				delete(s.holds, method)
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

// hold waits while method is held; it reports false when the client gave
// up first.
func (s *Server) hold(r *http.Request, method string) bool {
	s.mu.Lock()
	ch, ok := s.holds[method]
	if ok {
		s.record(Call{Method: method + ":held"})
	}
	s.mu.Unlock()
	if !ok {
		return true
	}
	select {
	case <-ch:
		return true
	case <-r.Context().Done():
		return false
	}
}

// record adds a call; s.mu must be held.
func (s *Server) record(c Call) {
	c.At = time.Now()
	s.calls = append(s.calls, c)
	s.counts[c.Method]++
	s.notify()
}

// Count is the number of calls of method received so far.
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method]
}

// Last returns the latest call of method, if there was one.
func (s *Server) Last(method string) (Call, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.calls) - 1; i >= 0; i-- {
		if s.calls[i].Method == method {
			return s.calls[i].decoded(), true
		}
	}
	return Call{}, false
}

// WaitCount waits until at least n calls of method were received, for up to
// d, and reports whether they were.
func (s *Server) WaitCount(method string, n int, d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := s.counts[method] >= n
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// Reset forgets the calls and acks recorded so far, the messages posted,
// unused faults, and envelopes still awaiting their ack.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.acks, s.pending, s.posted = nil, nil, nil, nil
	s.counts = map[string]int{}
	s.faults = map[string][]Fault{}
}

// notify wakes waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor waits until cond (called with s.mu held) is true.
func (s *Server) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(Wait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("slacktest: timed out after %v waiting for %s", Wait, what)
		}
	}
}

// Calls returns the calls of method received so far.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Method == method {
			out = append(out, c.decoded())
		}
	}
	return out
}

// WaitCalls waits for at least n calls of method and returns them all.
func (s *Server) WaitCalls(t testing.TB, method string, n int) []Call {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("%d %s call(s)", n, method), func() bool {
		return s.counts[method] >= n
	})
	return s.Calls(method)
}

// nextFault pops the next scripted failure of method, if there is one.
func (s *Server) nextFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.faults[method]
	if len(fs) == 0 {
		return Fault{}, false
	}
	s.faults[method] = fs[1:]
	return fs[0], true
}

// fail writes the failure f of method, and records it as a call of
// method + ":failed".
func (s *Server) fail(w http.ResponseWriter, method string, f Fault) {
	s.mu.Lock()
	s.record(Call{Method: method + ":failed"})
	s.mu.Unlock()
	if f.HangUp {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Status == http.StatusOK || f.Status == 0 {
		writeJSON(w, map[string]any{"ok": false, "error": f.Error})
		return
	}
	http.Error(w, http.StatusText(f.Status), f.Status)
}

// newTS is a message timestamp as Slack makes them: the time, in seconds
// with six decimals, unique and increasing. s.mu must be held.
func (s *Server) newTS() string {
	us := max(time.Now().UnixMicro(), s.lastTS+1)
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	token := r.PostForm.Get("token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = bearer
	}
	want := s.BotToken
	if method == "apps.connections.open" {
		want = s.AppToken
	}
	if token == "" || token != want {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	if !s.hold(r, method) {
		return
	}
	f, faulted := s.nextFault(method)
	if faulted && !f.Late {
		s.fail(w, method, f)
		return
	}
	form := url.Values{}
	for k, v := range r.PostForm {
		if k != "token" {
			form[k] = v
		}
	}
	call := Call{Method: method, Path: r.URL.Path, Form: form, Text: form.Get("text")}
	call.rawBlocks = form.Get("blocks")
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		// Methods such as views.publish take JSON: the view's blocks are
		// the call's.
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err == nil && len(body) > 0 {
			err = json.Unmarshal(body, &call.JSON)
		}
		if err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		view, _ := call.JSON["view"].(map[string]any)
		call.Blocks, _ = view["blocks"].([]any)
	}
	var res map[string]any
	s.mu.Lock()
	s.record(call)
	ts := s.newTS()
	switch method {
	case "auth.test":
		res = map[string]any{"ok": true, "url": "https://fake.slack.com/", "team": "Fake", "user": "statusbot",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID}
	case "apps.connections.open":
		res = map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.URL, "http") + "/link/?ticket=" + ts}
	case "chat.postMessage":
		m := message{channel: form.Get("channel"), ts: ts, threadTS: form.Get("thread_ts"), text: form.Get("text")}
		_ = json.Unmarshal([]byte(form.Get("metadata")), &m.metadata)
		s.posted = append(s.posted, m)
		res = map[string]any{"ok": true, "channel": m.channel, "ts": ts}
	case "chat.postEphemeral":
		res = map[string]any{"ok": true, "message_ts": ts}
	case "views.publish":
		view, _ := call.JSON["view"].(map[string]any)
		if user, _ := call.JSON["user_id"].(string); user == "" || view["type"] != "home" {
			res = map[string]any{"ok": false, "error": "invalid_arguments"}
			break
		}
		res = map[string]any{"ok": true, "view": map[string]any{"id": "V" + ts, "type": "home", "blocks": view["blocks"],
			"private_metadata": view["private_metadata"], "hash": ts}}
	case "conversations.history", "conversations.replies":
		res = s.conversation(method, form)
	default:
		res = map[string]any{"ok": false, "error": "unknown_method"}
	}
	s.mu.Unlock()
	if faulted { // Late: done, and then the answer is lost
		s.fail(w, method, f)
		return
	}
	writeJSON(w, res)
}

// conversation answers conversations.history (the channel's top-level
// messages) or conversations.replies (the replies in the thread of ts)
// with the messages the fake posted there after oldest, newest first, as
// the bot user; their metadata only with include_all_metadata. s.mu must
// be held.
func (s *Server) conversation(method string, form url.Values) map[string]any {
	channel, thread, oldest := form.Get("channel"), form.Get("ts"), form.Get("oldest")
	if channel == "" || (method == "conversations.replies" && thread == "") {
		return map[string]any{"ok": false, "error": "invalid_arguments"}
	}
	msgs := []any{}
	for i := len(s.posted) - 1; i >= 0; i-- {
		p := s.posted[i]
		inThread := method == "conversations.replies" && p.threadTS == thread
		if p.channel != channel || (method == "conversations.history" && p.threadTS != "") ||
			(method == "conversations.replies" && !inThread) || (oldest != "" && !tsAfter(p.ts, oldest)) {
			continue
		}
		m := map[string]any{"type": "message", "ts": p.ts, "text": p.text, "user": BotUserID, "bot_id": BotID}
		if p.threadTS != "" {
			m["thread_ts"] = p.threadTS
		}
		if p.metadata != nil && form.Get("include_all_metadata") == "1" {
			m["metadata"] = p.metadata
		}
		msgs = append(msgs, m)
	}
	return map[string]any{"ok": true, "messages": msgs, "has_more": false}
}

// tsAfter reports whether Slack timestamp a is later than b.
func tsAfter(a, b string) bool {
	fa, erra := strconv.ParseFloat(a, 64)
	fb, errb := strconv.ParseFloat(b, 64)
	return erra == nil && errb == nil && fa > fb
}

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	if !s.hold(r, "response") {
		return
	}
	f, faulted := s.nextFault("response")
	if faulted && !f.Late {
		s.fail(w, "response", f)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	call := Call{Method: "response", Path: r.URL.Path}
	if err := json.Unmarshal(body, &call.JSON); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	call.Text, _ = call.JSON["text"].(string)
	call.Blocks, _ = call.JSON["blocks"].([]any)
	s.mu.Lock()
	s.record(call)
	s.mu.Unlock()
	if faulted {
		s.fail(w, "response", f)
		return
	}
	writeJSON(w, map[string]any{"ok": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
