package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
)

// The HTTP interactions endpoint: Discord signs each request with the
// application's Ed25519 key.

// MaxInteractionBody is the largest interaction request body accepted.
// Real interactions are a few KiB; anything bigger is refused unread.
const MaxInteractionBody = 64 << 10

// InteractionWindow is how far a request's X-Signature-Timestamp may be from
// now. A signed request can be replayed within it, so each interaction id
// is remembered for longer (see Config.Dedup) and answered once.
const InteractionWindow = 5 * time.Minute

// refusalLogEvery is how often a refused request is logged at most, per
// reason; the line says how many more were refused in between.
const refusalLogEvery = 10 * time.Second

// InteractionsHandler is the HTTP interactions endpoint (POST
// /discord/interactions). It checks Discord's Ed25519 signature (401 when it
// does not match, when no public key is configured, or when the signature
// headers are malformed or the timestamp is not a number within
// InteractionWindow of now: then before reading the body), answers each
// interaction id once (409 for a replay), answers PING with PONG, and
// answers slash commands, autocomplete and button presses in the HTTP
// response itself.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(a.serveInteraction)
}

// serveInteraction answers one request. A panic while answering is
// recovered, logged and counted (relay.Recover), and the request gets a 500
// unless a response had already begun.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	tw := &trackingWriter{ResponseWriter: w}
	defer func() {
		if !tw.wrote {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	defer relay.Recover(a.log, a.obs, platform, "http_interaction")
	a.handleInteraction(tw, r)
}

// trackingWriter notes whether a response has begun.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (a *Adapter) handleInteraction(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if a.key == nil {
		a.refuse(w, r, "signature", "no public key configured", http.StatusUnauthorized)
		return
	}
	if why := checkSignatureHeaders(r.Header, start); why != "" {
		a.refuse(w, r, "signature", why, http.StatusUnauthorized)
		return
	}
	body, ok := relay.ReadBody(w, r, MaxInteractionBody)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !discordgo.VerifyInteraction(r, a.key) {
		a.refuse(w, r, "signature", "signature does not match", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	// A signed request can be sent again within the timestamp window:
	// answer each interaction once. (Discord does not resend one; a PING
	// does nothing, and every real interaction has an id.)
	if i.Type != discordgo.InteractionPing && i.ID != "" && !a.seen.First(r.Context(), "discord:interaction:"+i.ID) {
		a.refuse(w, r, "replay", "interaction "+i.ID+" answered before", http.StatusConflict)
		return
	}
	resp, kind := a.respond(r.Context(), &i)
	if resp == nil {
		http.Error(w, "unsupported interaction type", http.StatusBadRequest)
		return
	}
	out, err := discordgo.Marshal(resp)
	if err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if _, err := w.Write(out); err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		return
	}
	if kind != "" {
		a.obs.Answered(platform, kind, time.Since(start))
	}
}

// checkSignatureHeaders says what is wrong with a request's signature
// headers, "" when nothing: the signature must be 64 bytes in hex, the
// timestamp a number of seconds within InteractionWindow of now. It reads
// no body, so a request it refuses costs nothing.
func checkSignatureHeaders(h http.Header, now time.Time) string {
	sig := h.Get("X-Signature-Ed25519")
	if b, err := hex.DecodeString(sig); err != nil || len(b) != ed25519.SignatureSize {
		return "malformed or missing X-Signature-Ed25519"
	}
	stamp, err := strconv.ParseInt(h.Get("X-Signature-Timestamp"), 10, 64)
	if err != nil {
		return "X-Signature-Timestamp is not a number"
	}
	if off := now.Sub(time.Unix(stamp, 0)); off.Abs() > InteractionWindow {
		return "X-Signature-Timestamp is " + off.Round(time.Second).String() + " off"
	}
	return ""
}

// refuse answers a request it will not serve with status, closing the
// connection rather than read what is left of its body. The refusal is
// counted under reason ("signature" or "replay"); its log line is throttled
// per reason, so that a flood cannot fill the logs.
func (a *Adapter) refuse(w http.ResponseWriter, r *http.Request, reason, why string, status int) {
	a.obs.Refused(platform, reason)
	if held, ok := a.refusals[reason].Allow(); ok {
		a.log.Warn("discord: interaction request refused", "reason", reason, "why", why, "remote", r.RemoteAddr,
			"refused_since_last_line", held)
	}
	w.Header().Set("Connection", "close")
	http.Error(w, http.StatusText(status), status)
}
