// Package fakeslack is a fake Slack for tests, on 127.0.0.1: the Web API
// methods statusbot calls (auth.test, apps.connections.open,
// chat.postMessage, chat.postEphemeral), a Socket Mode websocket that sends
// envelopes and pings, reads acks, and like Slack sends envelopes not yet
// acknowledged again after a reconnect, and response URLs. It records every
// call so tests can read back what was posted, and can be told to fail.
//
// slack-go's own slacktest server targets the retired RTM API: it neither
// speaks Socket Mode nor lets a test read posted blocks back.
package fakeslack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
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
	At     time.Time  // when the fake received it
	Method string     // Web API method, or "response" for a response URL
	Path   string     // request path
	Form   url.Values // Web API form fields (the token is removed)
	Text   string     // the message's text
	Blocks []any      // the message's blocks, decoded
	JSON   map[string]any

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
}

// Server is a fake Slack.
type Server struct {
	URL    string // http://127.0.0.1:PORT
	APIURL string // URL + "/api/", for slack.api_url

	BotToken string // the bot token the Web API accepts
	AppToken string // the app-level token apps.connections.open accepts

	srv      *httptest.Server
	upgrader websocket.Upgrader

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every change
	calls       []Call
	counts      map[string]int // calls by method
	acks        []Ack
	pending     []*envelope // sent and not yet acknowledged, oldest first
	faults      map[string][]Fault
	conns       []*conn
	hellos      int
	nextID      int
	nextTS      int
	redelivered int
	pingDone    chan struct{}
	wg          sync.WaitGroup
	closed      bool
}

// envelope is a Socket Mode envelope awaiting its ack.
type envelope struct {
	id      string
	typ     string
	payload any
	retry   int
}

type conn struct {
	ws *websocket.Conn
	mu sync.Mutex // gorilla allows one writer at a time
}

func (c *conn) write(msgType int, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(msgType, data)
}

// New starts a fake Slack that accepts botToken and appToken, and closes it
// when the test ends.
func New(t testing.TB, botToken, appToken string) *Server {
	s := &Server{
		BotToken: botToken,
		AppToken: appToken,
		changed:  make(chan struct{}),
		counts:   map[string]int{},
		faults:   map[string][]Fault{},
		pingDone: make(chan struct{}),
		// slack-go dials with Origin: https://api.slack.com.
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
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

// Reset forgets the calls and acks recorded so far, unused faults, and
// envelopes still awaiting their ack.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.acks, s.pending = nil, nil, nil
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
			t.Fatalf("fakeslack: timed out after %v waiting for %s", Wait, what)
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

// WaitConnected waits until the fake has said hello on n websockets in all.
func (s *Server) WaitConnected(t testing.TB, n int) {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("socket mode connection %d", n), func() bool { return s.hellos >= n })
}

// Disconnect closes the open websockets, as when a connection drops.
func (s *Server) Disconnect() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
}

// Send sends one Socket Mode envelope on the open websocket and returns its
// envelope id. typ is "events_api", "slash_commands" or "interactive". Like
// Slack, the fake sends it again on the next connection until it is acked.
func (s *Server) Send(t testing.TB, typ string, payload any) string {
	t.Helper()
	return s.SendRetry(t, typ, payload, 0)
}

// SendRetry is Send for Slack's retry number retry of an envelope.
func (s *Server) SendRetry(t testing.TB, typ string, payload any, retry int) string {
	t.Helper()
	id, sent, err := s.deliver(typ, payload, retry)
	if err == nil && !sent {
		err = errors.New("no websocket open")
	}
	if err != nil {
		t.Fatalf("fakeslack: send %s: %v", typ, err)
	}
	return id
}

// Deliver is Send for any goroutine: with no websocket open, the envelope
// waits for the next connection. It fails only when the envelope cannot be
// encoded.
func (s *Server) Deliver(typ string, payload any) (string, error) {
	id, _, err := s.deliver(typ, payload, 0)
	return id, err
}

// deliver queues an envelope until acked and writes it on the newest
// websocket, if one is open, reporting whether it wrote it.
func (s *Server) deliver(typ string, payload any, retry int) (id string, sent bool, err error) {
	s.mu.Lock()
	s.nextID++
	env := &envelope{id: fmt.Sprintf("env-%d", s.nextID), typ: typ, payload: payload, retry: retry}
	s.pending = append(s.pending, env)
	var c *conn
	if len(s.conns) > 0 {
		c = s.conns[len(s.conns)-1]
	}
	b, err := env.encode() // under s.mu: redeliver changes env.retry
	s.mu.Unlock()
	if err != nil || c == nil {
		return env.id, false, err
	}
	// A write on a dropping connection fails; the envelope stays pending.
	return env.id, c.write(websocket.TextMessage, b) == nil, nil
}

func (e *envelope) encode() ([]byte, error) {
	m := map[string]any{
		"envelope_id":              e.id,
		"type":                     e.typ,
		"payload":                  e.payload,
		"accepts_response_payload": e.typ != "events_api",
		"retry_attempt":            e.retry,
	}
	if e.retry > 0 {
		m["retry_reason"] = "timeout"
	}
	return json.Marshal(m)
}

// Connections is the number of websockets the fake has said hello on.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hellos
}

// Pending is the number of envelopes sent and not yet acknowledged.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Redelivered is the number of envelopes sent again on a new connection.
func (s *Server) Redelivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.redelivered
}

// redeliver sends the envelopes not yet acknowledged on new connection c,
// as Slack does after a reconnect.
func (s *Server) redeliver(c *conn) {
	s.mu.Lock()
	var msgs [][]byte
	for _, e := range s.pending {
		e.retry++
		if b, err := e.encode(); err == nil {
			msgs = append(msgs, b)
		}
	}
	s.redelivered += len(msgs)
	s.mu.Unlock()
	for _, b := range msgs {
		if c.write(websocket.TextMessage, b) != nil {
			return
		}
	}
}

// WaitAck waits for the ack of envelope id.
func (s *Server) WaitAck(t testing.TB, id string) Ack {
	t.Helper()
	var ack Ack
	s.waitFor(t, "ack of "+id, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == id {
				ack = a
				return true
			}
		}
		return false
	})
	return ack
}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.conns = append(s.conns, c)
	s.wg.Add(2)
	s.mu.Unlock()

	hello := fmt.Sprintf(`{"type":"hello","num_connections":1,"connection_info":{"app_id":%q},"debug_info":{"host":"fakeslack"}}`, AppID)
	if c.write(websocket.TextMessage, []byte(hello)) == nil {
		s.mu.Lock()
		s.hellos++
		s.notify()
		s.mu.Unlock()
		s.redeliver(c)
	}
	go s.ping(c)
	go s.readAcks(c)
}

// ping pings like Slack does; slack-go reconnects when pings stop.
func (s *Server) ping(c *conn) {
	defer s.wg.Done()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.pingDone:
			return
		case <-t.C:
			if c.write(websocket.PingMessage, []byte("ping")) != nil {
				return
			}
		}
	}
}

func (s *Server) readAcks(c *conn) {
	defer s.wg.Done()
	defer c.ws.Close()
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var a struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &a) != nil {
			continue
		}
		s.mu.Lock()
		s.acks = append(s.acks, Ack{EnvelopeID: a.EnvelopeID, Payload: a.Payload})
		for i, e := range s.pending {
			if e.id == a.EnvelopeID {
				s.pending = append(s.pending[:i], s.pending[i+1:]...)
				break
			}
		}
		s.notify()
		s.mu.Unlock()
	}
}

// fault pops the next scripted failure of method and writes it, reporting
// whether it did.
func (s *Server) fault(w http.ResponseWriter, method string) bool {
	s.mu.Lock()
	fs := s.faults[method]
	if len(fs) == 0 {
		s.mu.Unlock()
		return false
	}
	f := fs[0]
	s.faults[method] = fs[1:]
	s.record(Call{Method: method + ":failed"})
	s.mu.Unlock()
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Status == http.StatusOK || f.Status == 0 {
		writeJSON(w, map[string]any{"ok": false, "error": f.Error})
		return true
	}
	http.Error(w, http.StatusText(f.Status), f.Status)
	return true
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
	if s.fault(w, method) {
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
	s.mu.Lock()
	s.record(call)
	s.nextTS++
	ts := fmt.Sprintf("1700000000.%06d", s.nextTS)
	s.mu.Unlock()

	switch method {
	case "auth.test":
		writeJSON(w, map[string]any{"ok": true, "url": "https://fake.slack.com/", "team": "Fake", "user": "statusbot",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID})
	case "apps.connections.open":
		writeJSON(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.URL, "http") + "/link/?ticket=" + ts})
	case "chat.postMessage":
		writeJSON(w, map[string]any{"ok": true, "channel": form.Get("channel"), "ts": ts})
	case "chat.postEphemeral":
		writeJSON(w, map[string]any{"ok": true, "message_ts": ts})
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	if s.fault(w, "response") {
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
	writeJSON(w, map[string]any{"ok": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// Sign signs an HTTP-mode request body as Slack does, with secret and
// timestamp ts, and returns the headers to send.
func Sign(secret string, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", stamp)
	mac.Write(body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", stamp)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

// EventCallback wraps an inner event in the Events API's outer event.
func EventCallback(eventID string, event map[string]any) map[string]any {
	return map[string]any{
		"token": "verification-token-unused", "team_id": TeamID, "api_app_id": AppID,
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"event": event,
	}
}

// Mention is an app_mention event; threadTS may be empty.
func Mention(channel, user, ts, threadTS, text string) map[string]any {
	e := map[string]any{"type": "app_mention", "channel": channel, "user": user, "ts": ts, "event_ts": ts, "text": text}
	if threadTS != "" {
		e["thread_ts"] = threadTS
	}
	return e
}

// DirectMessage is a message.im event.
func DirectMessage(channel, user, ts, text string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "channel": channel, "user": user, "ts": ts, "event_ts": ts, "text": text}
}

// SlashCommand is the payload of /http text, as Socket Mode sends it.
func SlashCommand(channel, user, text, responseURL string) map[string]any {
	return map[string]any{
		"token": "unused", "team_id": TeamID, "team_domain": "fake", "channel_id": channel, "channel_name": "general",
		"user_id": user, "user_name": "someone", "command": "/http", "text": text,
		"response_url": responseURL, "trigger_id": "trigger-" + text, "api_app_id": AppID,
	}
}

// SlashCommandForm is the form body of /http text, as HTTP mode receives it.
func SlashCommandForm(channel, user, text, responseURL string) url.Values {
	v := url.Values{}
	for k, val := range SlashCommand(channel, user, text, responseURL) {
		v.Set(k, val.(string))
	}
	return v
}

// BlockAction is the payload of a button press on a message in channel;
// messageTS is the message's ts, threadTS its thread's (or empty).
func BlockAction(channel, user, actionID, value, responseURL, messageTS, threadTS string, ephemeral bool) map[string]any {
	container := map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": ephemeral}
	message := map[string]any{"type": "message", "ts": messageTS}
	if threadTS != "" {
		container["thread_ts"] = threadTS
		message["thread_ts"] = threadTS
	}
	return map[string]any{
		"type":         "block_actions",
		"team":         map[string]any{"id": TeamID},
		"user":         map[string]any{"id": user},
		"api_app_id":   AppID,
		"container":    container,
		"channel":      map[string]any{"id": channel},
		"message":      message,
		"response_url": responseURL,
		"trigger_id":   "trigger-" + actionID + "-" + value + "-" + messageTS,
		"actions": []any{map[string]any{
			"type": "button", "action_id": actionID, "block_id": "b1", "value": value,
			"action_ts": "1700000100.000001", "text": map[string]any{"type": "plain_text", "text": "x"},
		}},
	}
}
