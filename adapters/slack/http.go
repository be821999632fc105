package slack

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/statusbot/statusbot/adapters/relay"
)

// HTTP mode: the Events API, the slash command and interactivity as
// requests Slack signs with the app's signing secret.

// The HTTP-mode body caps: what each endpoint really receives, with room to
// spare; Slack documents no payload near a mebibyte. An event carries one
// message and the rich-text copy of it that every message event has: at
// Slack's 40,000-character limit that is about 90 KiB in ASCII, 240 KiB in
// a script of three-byte characters. A slash command is a form with the
// text typed after /http, URL-encoded: 128 KiB holds 40,000 characters of
// ASCII, or a question 10,000 characters long in any script. A button press
// carries the message the button is on, which the bot rendered itself (a
// few KiB), but the message shortcut carries the message to explain, which
// anyone wrote: its text and rich-text copy, URL-encoded, at up to nine
// bytes a byte of text; 40,000 characters of emoji come to about 800 KiB.
// A body over its cap is refused with 413; the core would refuse its
// question as too long (over 300 characters) anyway.
const (
	maxEventBody       = 256 << 10
	maxCommandBody     = 128 << 10
	maxInteractionBody = 1 << 20
)

// refusalLogEvery is how often a refused signature is logged at most; the
// line says how many more were refused in between.
const refusalLogEvery = 10 * time.Second

// Handlers are the HTTP-mode endpoints, to mount as POST /slack/events,
// POST /slack/commands and POST /slack/interactions. Each verifies Slack's
// request signature (401 otherwise, or when the timestamp is more than five
// minutes off) and answers well within Slack's three seconds: replies that
// need the Web API are made after the response.
type Handlers struct {
	Events       http.Handler // Events API: mentions and direct messages
	Commands     http.Handler // the /http slash command
	Interactions http.Handler // button presses
}

// Handlers returns the HTTP-mode endpoints.
func (a *Adapter) Handlers() Handlers {
	return Handlers{
		Events:       a.verified("events_api", maxEventBody, a.serveEvents),
		Commands:     a.verified("slash_commands", maxCommandBody, a.serveCommand),
		Interactions: a.verified("interactive", maxInteractionBody, a.serveInteraction),
	}
}

// verified passes a request on only when Slack's signature over its body
// is valid. The signature headers are checked first: a request without a
// well-formed signature, or whose timestamp is not a number within five
// minutes of now, is refused before a byte of its body is read, so that
// unsigned requests cost no memory. Then the body is read, at most limit
// bytes, and its signature checked. A panic while handling it is
// recovered, logged and counted under kind (named as Socket Mode names its
// envelopes), and the request gets an empty 200: Slack would only send the
// same poison again.
func (a *Adapter) verified(kind string, limit int64, next func(w http.ResponseWriter, r *http.Request, body []byte, received time.Time)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer relay.Recover(a.log, a.obs, "slack", kind)
		received := time.Now()
		sv, err := slack.NewSecretsVerifier(r.Header, a.signingSecret)
		if err != nil {
			a.refuse(w, r, err)
			return
		}
		body, ok := relay.ReadBody(w, r, limit)
		if !ok {
			return
		}
		_, _ = sv.Write(body)
		if err := sv.Ensure(); err != nil {
			a.refuse(w, r, err)
			return
		}
		next(w, r, body, received)
	})
}

// refuse answers a request whose signature is refused with 401, and closes
// the connection rather than read what is left of its body. Refusals are
// counted; the log line is throttled, so that a flood of them cannot fill
// the logs.
func (a *Adapter) refuse(w http.ResponseWriter, r *http.Request, err error) {
	a.obs.Refused("slack", "signature")
	if held, ok := a.refusals.Allow(); ok {
		a.log.Warn("slack: request signature refused", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err,
			"refused_since_last_line", held)
	}
	w.Header().Set("Connection", "close")
	http.Error(w, "invalid signature", http.StatusUnauthorized)
}

func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte, received time.Time) {
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		if ev.Type != "" {
			// An event of a kind the adapter does not handle: accept it, or
			// Slack keeps retrying it.
			w.WriteHeader(http.StatusOK)
			return
		}
		http.Error(w, "cannot parse event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		uv, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if !ok {
			http.Error(w, "cannot parse challenge", http.StatusBadRequest)
			return
		}
		writeJSON(w, map[string]string{"challenge": uv.Challenge})
		return
	case slackevents.CallbackEvent:
		if a.selfID() == "" {
			// Not signed in yet, so the bot cannot tell its own messages:
			// Slack retries in a moment.
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
			a.log.Debug("slack: event redelivered", "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
		}
	}
	if err := a.onEvent(r.Context(), ev, received); err != nil {
		shuttingDown(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// shuttingDown answers a request that came as the adapter stopped taking
// questions with 503: Slack sends an event again (to another replica)
// rather than lose its reply.
func shuttingDown(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	http.Error(w, "shutting down", http.StatusServiceUnavailable)
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte, received time.Time) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "cannot parse command", http.StatusBadRequest)
		return
	}
	ans, res, answered, ok := a.slashResponse(r.Context(), cmd)
	if !ok {
		// An empty 200 shows the user nothing.
		w.WriteHeader(http.StatusOK)
		return
	}
	if writeJSON(w, res) == nil && answered {
		a.obs.Answered("slack", ans.Kind, time.Since(received))
	}
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte, received time.Time) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "cannot parse form", http.StatusBadRequest)
		return
	}
	var ic slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &ic); err != nil {
		http.Error(w, "cannot parse payload", http.StatusBadRequest)
		return
	}
	if err := a.onInteraction(r.Context(), ic, received); err != nil {
		shuttingDown(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode response", http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(b)
	return err
}
