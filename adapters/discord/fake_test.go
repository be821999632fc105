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
}

type fakeDiscord struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	seq     int64            // last dispatch sequence number, across connections
	scripts map[string][]int // path -> statuses to answer before succeeding
	calls   []restCall
	wsConns []*websocket.Conn

	writes chan restCall  // every POST, PUT and PATCH, in order
	conns  chan *fakeConn // each gateway connection once READY/RESUMED is sent

	// holdResume, when set before a reconnect, is signalled when a RESUME
	// arrives; the fake answers RESUMED only once it is closed by the test.
	holdResume chan chan struct{}
}

func newFake(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{
		t:       t,
		scripts: map[string][]int{},
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
	f.mu.Unlock()
	f.srv.Close()
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
	status, reply := f.answerREST(r, body)
	c := restCall{Method: r.Method, Path: r.URL.Path, Body: body, Status: status}
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
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Limit", "5")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", "0.2")
		w.Header().Set("X-RateLimit-Bucket", "fake-bucket")
	}
	w.WriteHeader(status)
	if reply != nil {
		json.NewEncoder(w).Encode(reply)
	}
}

func (f *fakeDiscord) answerREST(r *http.Request, body []byte) (int, any) {
	if r.Header.Get("Authorization") != "Bot "+fakeToken {
		return http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0}
	}
	path := r.URL.Path
	f.mu.Lock()
	if s := f.scripts[path]; len(s) > 0 {
		f.scripts[path] = s[1:]
		f.mu.Unlock()
		if s[0] == http.StatusTooManyRequests {
			return s[0], map[string]any{"message": "You are being rate limited.", "retry_after": 0.2, "global": false}
		}
		return s[0], map[string]any{"message": "Missing Permissions", "code": 50013}
	}
	f.mu.Unlock()
	parts := strings.Split(strings.TrimPrefix(path, "/api/v9/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/api/v9/gateway":
		return http.StatusOK, map[string]string{"url": "ws://" + r.Host + "/gw"}
	case r.Method == http.MethodGet && path == "/api/v9/oauth2/applications/@me":
		return http.StatusOK, map[string]any{"id": fakeAppID, "name": "statusbot"}
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		return http.StatusOK, map[string]any{"id": fmt.Sprintf("reply-%d", time.Now().UnixNano()), "channel_id": parts[1], "content": ""}
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		return http.StatusNoContent, nil
	case r.Method == http.MethodPut && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		var cmds []any
		json.Unmarshal(body, &cmds)
		return http.StatusOK, cmds
	}
	return http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0}
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
		c.dispatch("READY", map[string]any{
			"v":           9,
			"session_id":  fakeSessionID,
			"user":        map[string]any{"id": fakeBotID, "username": "statusbot", "bot": true},
			"application": map[string]any{"id": fakeAppID},
			"guilds":      []any{},
		})
	case 6:
		f.mu.Lock()
		hold := f.holdResume
		f.mu.Unlock()
		if hold != nil {
			release := make(chan struct{})
			hold <- release
			<-release
		}
		c.dispatch("RESUMED", map[string]any{})
	default:
		f.t.Errorf("fake gateway: first op %d, want IDENTIFY or RESUME", c.first.Op)
		return
	}
	f.conns <- c
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

// dispatch sends an event with the next sequence number.
func (c *fakeConn) dispatch(event string, d any) {
	raw, err := json.Marshal(d)
	if err != nil {
		c.f.t.Fatal(err)
	}
	c.f.mu.Lock()
	c.f.seq++
	p := gatewayPayload{Op: 0, S: c.f.seq, T: event, D: raw}
	c.f.mu.Unlock()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.WriteJSON(p); err != nil {
		c.f.t.Errorf("fake gateway: dispatch %s: %v", event, err)
	}
}

// waitConn waits for the next gateway connection to be READY or RESUMED.
func (f *fakeDiscord) waitConn(t *testing.T) *fakeConn {
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
func (c *fakeConn) waitHeartbeat(t *testing.T) {
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
