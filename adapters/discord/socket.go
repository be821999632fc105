package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
)

// The gateway: the websocket the bot opens to Discord, over which
// interactions and (when enabled) messages arrive.

// maxIdleConns is how many idle connections to the REST API are kept.
const maxIdleConns = 64

// newSession builds a discordgo session whose REST calls go to cfg.APIURL.
func newSession(cfg Config) (*discordgo.Session, error) {
	base, err := url.Parse(cfg.APIURL) // checked by Validate
	if err != nil {
		return nil, fmt.Errorf("discord: APIURL: %w", err)
	}
	token := strings.TrimSpace(cfg.Token)
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		client = &c
	}
	next := client.Transport
	if next == nil {
		// Replies go out at once, one per question: keep connections open
		// for them, not http.DefaultTransport's two, or every reply beyond
		// those pays a new TCP and TLS handshake with Discord.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdleConns
		next = t
	}
	client.Transport = newRewriter(base, next)
	s.Client = client
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	// The adapter needs no cache of guilds and members; the bot's own user
	// is kept from READY regardless.
	s.StateEnabled = false
	// Handlers run in the gateway's read loop, so READY, RESUMED and
	// DISCONNECT are seen in order; replies get goroutines of their own.
	s.SyncEvents = true
	// Interactions arrive whatever the intents; only message commands need
	// message events, and their content needs the privileged intent.
	s.Identify.Intents = discordgo.IntentsNone
	if cfg.MessageCommands {
		s.Identify.Intents = discordgo.IntentGuildMessages | discordgo.IntentDirectMessages | discordgo.IntentMessageContent
	}
	return s, nil
}

// open connects to the gateway, retrying with backoff while Discord is
// unreachable. A 4xx from the API is fatal: a bad token (401) or an api_url
// that is not a Discord API (404) will not mend by waiting. (discordgo
// waits out 429s itself.)
func (a *Adapter) open(ctx context.Context) error {
	wait := time.Second
	for {
		err := a.session.Open()
		if err == nil {
			return nil
		}
		a.obs.PlatformError(platform, "gateway_connect")
		var rest *discordgo.RESTError
		if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode/100 == 4 && rest.Response.StatusCode != http.StatusTooManyRequests {
			return fmt.Errorf("discord: connect: GET gateway: %s (check the bot token and api_url)", rest.Response.Status)
		}
		a.log.Warn("discord gateway connection failed; retrying", "err", relay.SafeErr(err), "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

// addHandlers routes the gateway's events: connection changes to the
// adapter's state, questions to replies of their own (see events.go).
func (a *Adapter) addHandlers(s *discordgo.Session) {
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		a.ready.Store(true)
		if a.readyOnce.Swap(true) {
			a.obs.Reconnected(platform) // a new session after a failed resume
		}
		a.log.Info("discord gateway ready", "shard", a.cfg.ShardID, "shards", a.cfg.ShardCount, "guilds", len(r.Guilds))
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		a.ready.Store(true)
		a.obs.Reconnected(platform)
		a.log.Info("discord gateway resumed")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.ready.Store(false)
	})
	s.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) {
		a.obs.RateLimited(platform)
		a.log.Warn("discord rate limited", "retry_after", rl.RetryAfter, "bucket", rl.Bucket)
	})
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
		received := time.Now()
		a.dispatch("interaction_create",
			func(ctx context.Context) { a.onInteraction(ctx, i.Interaction, received) },
			func(ctx context.Context) { a.busyInteraction(ctx, i.Interaction, received) })
	})
	if a.cfg.MessageCommands {
		s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
			defer relay.Recover(a.log, a.obs, platform, "message_create")
			received := time.Now()
			// Only questions take a worker, or hear that none is free.
			query, ok := a.question(selfID(s), m.Message)
			if !ok {
				return
			}
			a.dispatch("message_create",
				func(ctx context.Context) { a.onMessage(ctx, m.Message, query, received) },
				func(ctx context.Context) { _ = a.postReply(ctx, m.Message, a.b.BusyAnswer(query), received) })
		})
	}
}

// dispatch runs f on a reply worker. When every worker is busy and the
// queue is full, the event is refused: counted, logged (throttled) and
// answered by busy, with a short notice, as far as the few notice workers
// allow.
func (a *Adapter) dispatch(event string, f, busy func(ctx context.Context)) {
	if !errors.Is(a.inflight.Go(event, f), relay.ErrBusy) {
		return
	}
	a.obs.Refused(platform, "busy")
	if held, ok := a.refusals["busy"].Allow(); ok {
		a.log.Warn("discord: every reply worker busy and the queue full; event refused", "event", event,
			"refused_since_last_line", held)
	}
	_ = a.notices.Go(event, busy)
}

// selfID is the bot's own user ID, known from READY.
func selfID(s *discordgo.Session) string {
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User == nil {
		return ""
	}
	return s.State.User.ID
}
