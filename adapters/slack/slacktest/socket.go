package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The fake Socket Mode: hello, pings, envelopes sent until acknowledged
// (again after a reconnect, as Slack does), and the acks read back.

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
		t.Fatalf("slacktest: send %s: %v", typ, err)
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

// upgrader accepts any origin: slack-go dials with Origin:
// https://api.slack.com.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
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

	hello := fmt.Sprintf(`{"type":"hello","num_connections":1,"connection_info":{"app_id":%q},"debug_info":{"host":"slacktest"}}`, AppID)
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
