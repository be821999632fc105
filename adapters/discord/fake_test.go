package discord

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A fake Discord on 127.0.0.1: the REST endpoints the adapter calls and a
// gateway websocket that says HELLO, takes IDENTIFY or RESUME, sends READY or
// RESUMED, acknowledges heartbeats and lets a test send dispatches.

const (
	fakeToken     = "test-token"
	fakeAppID     = "100000000000000001"
	fakeBotID     = "100000000000000002"
	fakeSessionID = "fake-session-1"
	waitTimeout   = 10 * time.Second
)

// restCall is one REST request the fake received, and how it answered.
type restCall struct {
	Method, Path string
	Body         []byte
	Status       int
	Done         bool // it took effect (a message created, an interaction answered), whatever Status says
}

// fault is how the fake fails one REST request: with status, or (hangUp)
// by closing the connection unanswered; after the work is done (the
// message created, the response lost) when late.
type fault struct {
	status int
	hangUp bool
	late   bool
}

type fakeDiscord struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	seq     int64            // last dispatch sequence number, across connections
	history []gatewayPayload // the session's dispatches, for RESUME to replay
	live    *fakeConn        // where f.dispatch sends: the session's current connection
	scripts map[string][]int // path -> statuses to answer before succeeding
	calls   []restCall
	wsConns []*websocket.Conn
	nonces  map[string]string // channel and nonce -> the message created with it
	replies map[string]int    // question (referenced message) ID -> replies created
	acked   map[string]bool   // interactions answered through their callback

	// fault, when set, may make a REST request fail (see fault); it runs
	// under f.mu.
	fault func(method, path string, body []byte) fault
	// observe, when set, is given every write instead of the calls list and
	// the writes channel, which a soak test or a benchmark would overflow.
	observe func(restCall)

	writes chan restCall  // every POST, PUT and PATCH, in order
	conns  chan *fakeConn // each gateway connection once READY/RESUMED is sent

	// holdResume, when set before a reconnect, is signalled when a RESUME
	// arrives; the fake answers RESUMED only once it is closed by the test.
	holdResume chan chan struct{}
}

func newFake(t testing.TB) *fakeDiscord {
	f := &fakeDiscord{
		t:       t,
		scripts: map[string][]int{},
		nonces:  map[string]string{},
		replies: map[string]int{},
		acked:   map[string]bool{},
		writes:  make(chan restCall, 100),
		conns:   make(chan *fakeConn, 10),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v9/", f.serveREST)
	mux.HandleFunc("/gw/", f.serveGateway)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.close)
	return f
}

// apiURL is the REST base to configure: the whole adapter is pointed at the
// fake through this setting alone.
func (f *fakeDiscord) apiURL() string { return f.srv.URL + "/api/v9/" }

func (f *fakeDiscord) close() {
	f.mu.Lock()
	for _, c := range f.wsConns {
		c.Close()
	}
	f.wsConns = nil
	f.live = nil
	f.mu.Unlock()
	f.srv.Close()
	// A soak test measures the heap after this: keep nothing it sent.
	f.mu.Lock()
	f.history, f.calls, f.nonces, f.replies, f.acked = nil, nil, nil, nil, nil
	f.fault, f.observe = nil, nil
	f.mu.Unlock()
}

// script makes the next requests to path answer these statuses (429 with
// Discord's rate-limit headers and body), then succeed.
func (f *fakeDiscord) script(path string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts[path] = statuses
}

// callsTo lists the REST calls made to path so far.
func (f *fakeDiscord) callsTo(method, path string) []restCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var cs []restCall
	for _, c := range f.calls {
		if c.Method == method && c.Path == path {
			cs = append(cs, c)
		}
	}
	return cs
}

func (f *fakeDiscord) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	var flt fault
	if f.fault != nil {
		flt = f.fault(r.Method, r.URL.Path, body)
	}
	observe := f.observe
	f.mu.Unlock()
	c := restCall{Method: r.Method, Path: r.URL.Path, Body: body}
	var reply any
	if flt.status == 0 && !flt.hangUp || flt.late {
		c.Status, reply, c.Done = f.answerREST(r, body)
	}
	if flt.status != 0 {
		c.Status, reply = flt.status, errorBody(flt.status)
	}
	if flt.hangUp {
		c.Status = 0
	}
	if observe != nil {
		observe(c)
	} else {
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
		if r.Method != http.MethodGet {
			select {
			case f.writes <- c:
			default: // never block the client; the test has failed anyway
				f.t.Errorf("fake discord: too many unread writes; dropped %s %s", r.Method, r.URL.Path)
			}
		}
	}
	if flt.hangUp {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if c.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Limit", "5")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", "0.2")
		w.Header().Set("X-RateLimit-Bucket", "fake-bucket")
	}
	w.WriteHeader(c.Status)
	if reply != nil {
		json.NewEncoder(w).Encode(reply)
	}
}

// errorBody is what Discord says with an error status.
func errorBody(status int) any {
	switch {
	case status == http.StatusTooManyRequests:
		return map[string]any{"message": "You are being rate limited.", "retry_after": 0.2, "global": false}
	case status >= 500:
		return map[string]any{"message": "500: Internal Server Error", "code": 0}
	}
	return map[string]any{"message": "Missing Permissions", "code": 50013}
}

// postedMessage is what the fake reads from a message it creates.
type postedMessage struct {
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
	Reference    *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

func (f *fakeDiscord) answerREST(r *http.Request, body []byte) (status int, reply any, created bool) {
	if r.Header.Get("Authorization") != "Bot "+fakeToken {
		return http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0}, false
	}
	path := r.URL.Path
	f.mu.Lock()
	if s := f.scripts[path]; len(s) > 0 {
		f.scripts[path] = s[1:]
		f.mu.Unlock()
		return s[0], errorBody(s[0]), false
	}
	f.mu.Unlock()
	parts := strings.Split(strings.TrimPrefix(path, "/api/v9/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/api/v9/gateway":
		return http.StatusOK, map[string]string{"url": "ws://" + r.Host + "/gw"}, false
	case r.Method == http.MethodGet && path == "/api/v9/oauth2/applications/@me":
		return http.StatusOK, map[string]any{"id": fakeAppID, "name": "statusbot"}, false
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		var m postedMessage
		json.Unmarshal(body, &m)
		f.mu.Lock()
		defer f.mu.Unlock()
		// As Discord does: with enforce_nonce, a nonce seen before returns
		// the message it created instead of creating another.
		key := parts[1] + "/" + m.Nonce
		if id, ok := f.nonces[key]; ok && m.EnforceNonce && m.Nonce != "" {
			return http.StatusOK, map[string]any{"id": id, "channel_id": parts[1], "nonce": m.Nonce}, false
		}
		id := fmt.Sprintf("reply-%d", time.Now().UnixNano())
		if m.EnforceNonce && m.Nonce != "" {
			f.nonces[key] = id
		}
		if m.Reference != nil {
			f.replies[m.Reference.MessageID]++
		}
		return http.StatusOK, map[string]any{"id": id, "channel_id": parts[1], "content": ""}, true
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.acked[parts[1]] {
			return http.StatusBadRequest, map[string]any{"message": "Interaction has already been acknowledged.", "code": 40060}, false
		}
		f.acked[parts[1]] = true
		return http.StatusNoContent, nil, true
	case r.Method == http.MethodPut && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		var cmds []any
		json.Unmarshal(body, &cmds)
		return http.StatusOK, cmds, false
	}
	return http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0}, false
}

// repliesTo is how many replies were created to the message with this ID.
func (f *fakeDiscord) repliesTo(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replies[id]
}

// gatewayPayload is one gateway frame.
type gatewayPayload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

// identify is what the fake reads from IDENTIFY. discordgo's own Identify
// type cannot decode what it sends (the activity's created_at).
type identify struct {
	Token   string `json:"token"`
	Intents int    `json:"intents"`
	Shard   *[2]int
}

type resume struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

// fakeConn is one gateway connection.
type fakeConn struct {
	f          *fakeDiscord
	ws         *websocket.Conn
	wmu        sync.Mutex
	first      gatewayPayload // IDENTIFY (op 2) or RESUME (op 6)
	heartbeats chan struct{}
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("fake gateway: upgrade: %v", err)
		return
	}
	f.mu.Lock()
	f.wsConns = append(f.wsConns, ws)
	f.mu.Unlock()
	defer ws.Close()
	c := &fakeConn{f: f, ws: ws, heartbeats: make(chan struct{}, 100)}
	if err := c.send(10, map[string]int{"heartbeat_interval": 45000}); err != nil {
		return
	}
	for {
		if err := ws.ReadJSON(&c.first); err != nil {
			return
		}
		if c.first.Op == 1 { // a heartbeat may come before IDENTIFY
			continue
		}
		break
	}
	switch c.first.Op {
	case 2:
		f.mu.Lock()
		f.history = nil // a new session
		f.seq = 0
		f.live = c
		c.dispatchLocked("READY", map[string]any{
			"v":           9,
			"session_id":  fakeSessionID,
			"user":        map[string]any{"id": fakeBotID, "username": "statusbot", "bot": true},
			"application": map[string]any{"id": fakeAppID},
			"guilds":      []any{},
		})
		f.mu.Unlock()
	case 6:
		f.mu.Lock()
		hold := f.holdResume
		f.mu.Unlock()
		if hold != nil {
			release := make(chan struct{})
			hold <- release
			<-release
		}
		var r resume
		json.Unmarshal(c.first.D, &r)
		// As Discord does: the events after the client's last sequence
		// number, in order, then RESUMED. Holding f.mu, so that nothing
		// dispatched meanwhile is missed or sent twice.
		f.mu.Lock()
		for _, p := range f.history {
			if p.S > r.Seq {
				c.write(p)
			}
		}
		f.live = c
		c.dispatchLocked("RESUMED", map[string]any{})
		f.mu.Unlock()
	default:
		f.t.Errorf("fake gateway: first op %d, want IDENTIFY or RESUME", c.first.Op)
		return
	}
	select {
	case f.conns <- c:
	default:
		f.t.Errorf("fake gateway: too many unread connections")
	}
	for {
		var p gatewayPayload
		if err := ws.ReadJSON(&p); err != nil {
			return
		}
		if p.Op == 1 {
			c.send(11, nil)
			select {
			case c.heartbeats <- struct{}{}:
			default:
			}
		}
	}
}

func (c *fakeConn) send(op int, d any) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(gatewayPayload{Op: op, D: raw})
}

// dispatch sends an event on c with the next sequence number.
func (c *fakeConn) dispatch(event string, d any) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if err := c.dispatchLocked(event, d); err != nil {
		c.f.t.Errorf("fake gateway: dispatch %s: %v", event, err)
	}
}

// dispatchLocked records an event in the session's history and sends it on
// c (if not nil); f.mu is held.
func (c *fakeConn) dispatchLocked(event string, d any) error {
	raw, ok := d.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(d); err != nil {
			return err
		}
	}
	c.f.seq++
	p := gatewayPayload{Op: 0, S: c.f.seq, T: event, D: raw}
	c.f.history = append(c.f.history, p)
	if c.ws == nil {
		return nil
	}
	return c.write(p)
}

func (c *fakeConn) write(p gatewayPayload) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(waitTimeout))
	return c.ws.WriteJSON(p)
}

// dispatch sends an event on the session's current connection, or keeps it
// for the client's RESUME when there is none (or the send fails): as on
// Discord, no event is lost to a reconnection.
func (f *fakeDiscord) dispatch(event string, d any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.live
	if c == nil {
		c = &fakeConn{f: f} // history only
	}
	if err := c.dispatchLocked(event, d); err != nil {
		f.live = nil
	}
}

// reconnect asks the client to reconnect (op 7); events dispatched until it
// resumes wait for it.
func (f *fakeDiscord) reconnect() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live != nil {
		f.live.send(7, nil)
		f.live = nil
	}
}

// drop cuts the gateway connection without a word, as a network failure
// would; events dispatched until the client resumes wait for it.
func (f *fakeDiscord) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live != nil {
		f.live.ws.Close()
		f.live = nil
	}
}

// waitConn waits for the next gateway connection to be READY or RESUMED.
func (f *fakeDiscord) waitConn(t testing.TB) *fakeConn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(waitTimeout):
		t.Fatal("no gateway connection")
		return nil
	}
}

// waitHeartbeat waits for a heartbeat on c. discordgo starts heartbeating
// once Open has handled READY, so after it the adapter has seen READY.
func (c *fakeConn) waitHeartbeat(t testing.TB) {
	t.Helper()
	select {
	case <-c.heartbeats:
	case <-time.After(waitTimeout):
		t.Fatal("no heartbeat")
	}
}

// waitWrite waits for the next POST/PUT/PATCH.
func (f *fakeDiscord) waitWrite(t *testing.T) restCall {
	t.Helper()
	select {
	case c := <-f.writes:
		return c
	case <-time.After(waitTimeout):
		t.Fatal("no REST write")
		return restCall{}
	}
}
