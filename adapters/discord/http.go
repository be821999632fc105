package discord

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
)

// The HTTP interactions endpoint: Discord signs each request with the
// application's Ed25519 key.

// MaxInteractionBody is the largest interaction request body accepted.
// Real interactions are a few KiB; anything bigger is refused unread.
const MaxInteractionBody = 64 << 10

// InteractionsHandler is the HTTP interactions endpoint (POST
// /discord/interactions). It checks Discord's Ed25519 signature (401 when it
// does not match, or when no public key is configured), answers PING with
// PONG, and answers slash commands, autocomplete and button presses in the
// HTTP response itself.
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
	body, ok := relay.ReadBody(w, r, MaxInteractionBody)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if a.key == nil || !discordgo.VerifyInteraction(r, a.key) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if a.cfg.Dedup != nil && i.Type != discordgo.InteractionPing && i.ID != "" && !a.cfg.Dedup.First(r.Context(), "discord:interaction:"+i.ID) {
		// Discord sends an interaction once: this is a replay, or a
		// delivery another replica has answered.
		a.log.Debug("discord: interaction already answered", "id", i.ID)
		http.Error(w, "interaction already answered", http.StatusConflict)
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
