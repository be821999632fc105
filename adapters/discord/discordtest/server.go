// Package discordtest is a fake Discord for tests, on 127.0.0.1: the REST
// endpoints statusbot calls (the gateway URL, the application and its
// install settings, channel messages with nonces, interaction callbacks,
// command registration) and a gateway websocket that says HELLO, takes
// IDENTIFY or RESUME, sends READY or RESUMED, acknowledges heartbeats and
// lets a test send dispatches; after a RESUME it replays what the client
// missed, as Discord does. It records every REST call so tests can read
// back what was posted, and can be told to fail. Point an adapter at it
// with discord.Config.APIURL = Server.APIURL.
package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities the fake answers with, and those its events carry.
const (
	Token     = "test-token" // the bot token the fake accepts
	AppID     = "100000000000000001"
	BotID     = "100000000000000002" // the bot's own user
	SessionID = "fake-session-1"
	UserID    = "200000000000000001" // who asks, unless an event says otherwise
	ChannelID = "300000000000000001"
	GuildID   = "400000000000000001"
	GroupDMID = "300000000000000009" // a group DM the bot is not in (see InUserInstall)
)

// Wait is how long the Wait methods wait before failing the test.
const Wait = 10 * time.Second

// Call is one REST request the fake received, and how it answered.
type Call struct {
	Method, Path string
	Body         []byte
	Status       int
	Done         bool // it took effect (a message created, an interaction answered), whatever Status says
}

// Fault is how the fake fails one REST request: with Status, or (HangUp)
// by closing the connection unanswered; after the work is done (the
// message created, the response lost) when Late.
type Fault struct {
	Status int
	HangUp bool
	Late   bool
}

// Server is a fake Discord.
type Server struct {
	APIURL string // the REST base to configure: http://127.0.0.1:PORT/api/v9/

	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	seq     int64            // last dispatch sequence number, across connections
	history []Payload        // the session's dispatches, for RESUME to replay
	live    *Conn            // where f.Dispatch sends: the session's current connection
	scripts map[string][]int // path -> statuses to answer before succeeding
	calls   []Call
	wsConns []*Conn           // every gateway connection, to close
	nonces  map[string]string // channel and nonce -> the message created with it
	replies map[string]int    // question (referenced message) ID -> replies created
	acked   map[string]bool   // interactions answered through their callback
	// installs is the application's integration_types_config: where it
	// may be installed ("0" servers, "1" users), as a new application has
	// it until changed by PATCH /applications/@me.
	installs map[string]json.RawMessage

	// fault, when set, may make a REST request fail; it runs under f.mu.
	fault func(method, path string, body []byte) Fault
	// observe, when set, is given every write instead of the calls list and
	// the writes channel, which a soak test or a benchmark would overflow.
	observe func(Call)
	// hold, when set, says which requests wait for holding to be closed.
	hold    func(method, path string, body []byte) bool
	holding chan struct{}
	held    chan Call // each request held, as it arrives

	writes chan Call  // every POST, PUT and PATCH, in order
	conns  chan *Conn // each gateway connection once READY/RESUMED is sent

	// holdResume, when set before a reconnect, is signalled when a RESUME
	// arrives; the fake answers RESUMED only once it is closed by the test.
	holdResume chan chan struct{}
}

// NewServer starts a fake Discord, and closes it when the test ends.
func NewServer(t testing.TB) *Server {
	f := &Server{
		t:        t,
		scripts:  map[string][]int{},
		nonces:   map[string]string{},
		replies:  map[string]int{},
		acked:    map[string]bool{},
		installs: map[string]json.RawMessage{"0": json.RawMessage(`{"oauth2_install_params":{"scopes":["bot","applications.commands"],"permissions":"0"}}`)},
		writes:   make(chan Call, 100),
		conns:    make(chan *Conn, 10),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v9/", f.serveREST)
	mux.HandleFunc("/gw/", f.serveGateway)
	f.srv = httptest.NewServer(mux)
	f.APIURL = f.srv.URL + "/api/v9/"
	t.Cleanup(f.Close)
	return f
}

// Close drops the gateway connections, stops the server and forgets what
// it recorded. Close an adapter's session before the fake.
func (f *Server) Close() {
	f.mu.Lock()
	for _, c := range f.wsConns {
		c.ws.Close()
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

// Script makes the next requests to path answer these statuses (429 with
// Discord's rate-limit headers and body), then succeed.
func (f *Server) Script(path string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts[path] = statuses
}

// CallsTo lists the REST calls made to path so far.
func (f *Server) CallsTo(method, path string) []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var cs []Call
	for _, c := range f.calls {
		if c.Method == method && c.Path == path {
			cs = append(cs, c)
		}
	}
	return cs
}

// Hold makes the REST requests for which match reports true wait,
// unanswered, until release is called (or the client gives up). Each is
// sent on held as it arrives.
func (f *Server) Hold(match func(method, path string, body []byte) bool) (held <-chan Call, release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan struct{})
	f.hold, f.holding, f.held = match, ch, make(chan Call, 100)
	var once sync.Once
	return f.held, func() {
		once.Do(func() {
			f.mu.Lock()
			if f.holding == ch {
				f.hold = nil
			}
			f.mu.Unlock()
			close(ch)
		})
	}
}

// SetFault makes fault decide, under the fake's lock, how each REST
// request fails (the zero Fault: not at all).
func (f *Server) SetFault(fault func(method, path string, body []byte) Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// Observe gives every REST write to observe instead of recording it, for a
// soak test or a benchmark that would overflow the record.
func (f *Server) Observe(observe func(Call)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.observe = observe
}

func (f *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	if f.hold != nil && f.hold(r.Method, r.URL.Path, body) {
		holding, held := f.holding, f.held
		f.mu.Unlock()
		select {
		case held <- Call{Method: r.Method, Path: r.URL.Path, Body: body}:
		default:
		}
		select {
		case <-holding:
		case <-r.Context().Done():
			return
		}
		f.mu.Lock()
	}
	var flt Fault
	if f.fault != nil {
		flt = f.fault(r.Method, r.URL.Path, body)
	}
	observe := f.observe
	f.mu.Unlock()
	c := Call{Method: r.Method, Path: r.URL.Path, Body: body}
	var reply any
	if flt.Status == 0 && !flt.HangUp || flt.Late {
		c.Status, reply, c.Done = f.answerREST(r, body)
	}
	if flt.Status != 0 {
		c.Status, reply = flt.Status, errorBody(flt.Status)
	}
	if flt.HangUp {
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
				f.t.Errorf("discordtest: too many unread writes; dropped %s %s", r.Method, r.URL.Path)
			}
		}
	}
	if flt.HangUp {
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

// PostedMessage is what the fake reads from a message it creates.
type PostedMessage struct {
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
	Reference    *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

func (f *Server) answerREST(r *http.Request, body []byte) (status int, reply any, created bool) {
	if r.Header.Get("Authorization") != "Bot "+Token {
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
		return http.StatusOK, map[string]any{"id": AppID, "name": "statusbot"}, false
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		var m PostedMessage
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
	case path == "/api/v9/applications/@me" && (r.Method == http.MethodGet || r.Method == http.MethodPatch):
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Method == http.MethodPatch {
			var edit struct {
				Installs map[string]json.RawMessage `json:"integration_types_config"`
			}
			if json.Unmarshal(body, &edit) != nil {
				return http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035}, false
			}
			if edit.Installs != nil {
				f.installs = edit.Installs
			}
		}
		return http.StatusOK, map[string]any{"id": AppID, "name": "statusbot", "integration_types_config": f.installs}, r.Method == http.MethodPatch
	case r.Method == http.MethodPut && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		var cmds []struct {
			IntegrationTypes []int `json:"integration_types"`
		}
		json.Unmarshal(body, &cmds)
		f.mu.Lock()
		defer f.mu.Unlock()
		// As Discord does: a command may be installable only where the
		// application is.
		for _, c := range cmds {
			for _, it := range c.IntegrationTypes {
				if _, ok := f.installs[fmt.Sprint(it)]; !ok {
					return http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035}, false
				}
			}
		}
		var echo []any
		json.Unmarshal(body, &echo)
		return http.StatusOK, echo, false
	}
	return http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0}, false
}

// Installs is the application's integration_types_config as it stands:
// where the application may be installed, by type ("0", "1").
func (f *Server) Installs() map[string]json.RawMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.installs)
}

// RepliesTo is how many replies were created to the message with this ID.
func (f *Server) RepliesTo(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replies[id]
}

// WaitWrite waits for the next POST, PUT or PATCH.
func (f *Server) WaitWrite(t testing.TB) Call {
	t.Helper()
	select {
	case c := <-f.writes:
		return c
	case <-time.After(Wait):
		t.Fatal("no REST write")
		return Call{}
	}
}
