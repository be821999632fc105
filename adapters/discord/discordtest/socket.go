package discordtest

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The fake gateway: HELLO, IDENTIFY or RESUME, READY or RESUMED (replaying
// what the client missed), heartbeats, and the dispatches a test sends.

// Payload is one gateway frame.
type Payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

// Identify is what the fake reads from IDENTIFY. discordgo's own Identify
// type cannot decode what it sends (the activity's created_at).
type Identify struct {
	Token   string `json:"token"`
	Intents int    `json:"intents"`
	Shard   *[2]int
}

// Resume is what the fake reads from RESUME.
type Resume struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

// Conn is one gateway connection, READY or RESUMED.
type Conn struct {
	f          *Server
	ws         *websocket.Conn
	wmu        sync.Mutex
	first      Payload // IDENTIFY (op 2) or RESUME (op 6)
	heartbeats chan struct{}
}

// First is the connection's first frame: IDENTIFY (op 2) or RESUME (op 6).
func (c *Conn) First() Payload { return c.first }

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (f *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("discordtest: gateway: upgrade: %v", err)
		return
	}
	c := &Conn{f: f, ws: ws, heartbeats: make(chan struct{}, 100)}
	f.mu.Lock()
	f.wsConns = append(f.wsConns, c)
	f.mu.Unlock()
	defer ws.Close()
	if err := c.Send(10, map[string]int{"heartbeat_interval": 45000}); err != nil {
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
			"session_id":  SessionID,
			"user":        map[string]any{"id": BotID, "username": "statusbot", "bot": true},
			"application": map[string]any{"id": AppID},
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
		var r Resume
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
		f.t.Errorf("discordtest: gateway: first op %d, want IDENTIFY or RESUME", c.first.Op)
		return
	}
	select {
	case f.conns <- c:
	default:
		f.t.Errorf("discordtest: gateway: too many unread connections")
	}
	for {
		var p Payload
		if err := ws.ReadJSON(&p); err != nil {
			return
		}
		if p.Op == 1 {
			c.Send(11, nil)
			select {
			case c.heartbeats <- struct{}{}:
			default:
			}
		}
	}
}

// Send sends a frame of op with data d on c, e.g. op 7 to ask the client
// to reconnect.
func (c *Conn) Send(op int, d any) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(Payload{Op: op, D: raw})
}

// Dispatch sends an event on c with the next sequence number; d is
// encoded as JSON unless it is a json.RawMessage.
func (c *Conn) Dispatch(event string, d any) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if err := c.dispatchLocked(event, d); err != nil {
		c.f.t.Errorf("discordtest: gateway: dispatch %s: %v", event, err)
	}
}

// dispatchLocked records an event in the session's history and sends it on
// c (if not nil); f.mu is held.
func (c *Conn) dispatchLocked(event string, d any) error {
	raw, ok := d.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(d); err != nil {
			return err
		}
	}
	c.f.seq++
	p := Payload{Op: 0, S: c.f.seq, T: event, D: raw}
	c.f.history = append(c.f.history, p)
	if c.ws == nil {
		return nil
	}
	return c.write(p)
}

func (c *Conn) write(p Payload) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(Wait))
	return c.ws.WriteJSON(p)
}

// Dispatch sends an event on the session's current connection, or keeps it
// for the client's RESUME when there is none (or the send fails): as on
// Discord, no event is lost to a reconnection.
func (f *Server) Dispatch(event string, d any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.live
	if c == nil {
		c = &Conn{f: f} // history only
	}
	if err := c.dispatchLocked(event, d); err != nil {
		f.live = nil
	}
}

// Reconnect asks the client to reconnect (op 7); events dispatched until
// it resumes wait for it.
func (f *Server) Reconnect() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live != nil {
		f.live.Send(7, nil)
		f.live = nil
	}
}

// Drop cuts the gateway connection without a word, as a network failure
// would; events dispatched until the client resumes wait for it.
func (f *Server) Drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.live != nil {
		f.live.ws.Close()
		f.live = nil
	}
}

// HoldResume makes the next RESUME wait: the returned channel receives a
// channel when it arrives, and the fake answers RESUMED once that is closed.
func (f *Server) HoldResume() <-chan chan struct{} {
	hold := make(chan chan struct{}, 1)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holdResume = hold
	return hold
}

// WaitConn waits for the next gateway connection to be READY or RESUMED.
func (f *Server) WaitConn(t testing.TB) *Conn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(Wait):
		t.Fatal("no gateway connection")
		return nil
	}
}

// WaitHeartbeat waits for a heartbeat on c. discordgo starts heartbeating
// once Open has handled READY, so after it the adapter has seen READY.
func (c *Conn) WaitHeartbeat(t testing.TB) {
	t.Helper()
	select {
	case <-c.heartbeats:
	case <-time.After(Wait):
		t.Fatal("no heartbeat")
	}
}
