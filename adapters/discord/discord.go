// Package discord is statusbot's Discord adapter: it turns Discord events
// (slash commands, autocomplete, button presses and, when enabled, message
// commands) into questions for the core, and renders the core's answers as
// Discord embeds and buttons. It runs on the gateway, on the HTTP
// interactions endpoint, or both, and adds no content of its own.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
)

const platform = "discord"

// DefaultAPIURL is Discord's own REST base, the one discordgo speaks.
const DefaultAPIURL = "https://discord.com/api/v9/"

// Config configures the adapter. Token enables the gateway; PublicKey enables
// the HTTP interactions endpoint. Either or both may be set.
type Config struct {
	Token         string // bot token, with or without the "Bot " prefix
	ApplicationID string // for Register; read from the API when empty
	PublicKey     string // hex Ed25519 key from the developer portal
	APIURL        string // REST base, default DefaultAPIURL (a rate-limit proxy goes here)
	Prefix        string // message command prefix, default "!http"
	// MessageCommands answers messages that start with Prefix or mention the
	// bot. It needs the privileged Message Content intent.
	MessageCommands bool
	ShardID         int
	ShardCount      int          // default 1
	HTTPClient      *http.Client // for REST; its Transport is wrapped, not replaced
	Logger          *slog.Logger
	Observer        bot.Observer
}

// Adapter serves one bot on Discord. It satisfies the cmd package's service
// interface (Name, Run, Ready) and offers the HTTP interactions handler.
type Adapter struct {
	b       *bot.Bot
	cfg     Config
	log     *slog.Logger
	obs     bot.Observer
	key     ed25519.PublicKey  // nil: HTTP interactions disabled
	session *discordgo.Session // nil: no gateway (HTTP interactions only)

	ready     atomic.Bool
	readyOnce atomic.Bool // a READY has been seen: a later one is a reconnect

	mu       sync.Mutex // guards closing and inflight.Add
	closing  bool
	inflight sync.WaitGroup
}

// New builds an adapter for b. It connects to nothing until Run.
func New(b *bot.Bot, cfg Config) (*Adapter, error) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "!http"
	}
	if cfg.ShardCount <= 0 {
		cfg.ShardCount = 1
	}
	if cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount {
		return nil, fmt.Errorf("discord: shard_id %d is outside 0..shard_count-1 (%d)", cfg.ShardID, cfg.ShardCount-1)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Observer == nil {
		cfg.Observer = bot.NopObserver{}
	}
	a := &Adapter{b: b, cfg: cfg, log: cfg.Logger, obs: cfg.Observer}
	if cfg.PublicKey != "" {
		k, err := hex.DecodeString(strings.TrimSpace(cfg.PublicKey))
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("discord: public_key must be the application's 64-hex-digit Ed25519 public key")
		}
		a.key = k
	}
	if cfg.Token != "" {
		s, err := newSession(cfg)
		if err != nil {
			return nil, err
		}
		a.session = s
		a.addHandlers()
	}
	return a, nil
}

// newSession builds a discordgo session whose REST calls go to cfg.APIURL.
func newSession(cfg Config) (*discordgo.Session, error) {
	base, err := url.Parse(cfg.APIURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("discord: api_url %q is not an http(s) URL", cfg.APIURL)
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
	client.Transport = newRewriter(base, client.Transport)
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

// Name is the platform name, "discord".
func (a *Adapter) Name() string { return platform }

// Ready reports whether the gateway is connected and answering: true after
// READY or RESUMED, false while reconnecting. Without a gateway (HTTP
// interactions only) the adapter is always ready.
func (a *Adapter) Ready() bool {
	if a.session == nil {
		return true
	}
	return a.ready.Load()
}

// Run connects to the gateway and answers until ctx is done, then closes the
// connection and waits for replies in flight. Without a token it only waits:
// the HTTP interactions endpoint does the work. It returns nil on a clean
// shutdown; a token Discord rejects is an error.
func (a *Adapter) Run(ctx context.Context) error {
	if a.session == nil {
		<-ctx.Done()
		return nil
	}
	if err := a.open(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	err := a.session.Close()
	a.ready.Store(false)
	a.inflight.Wait()
	if err != nil {
		return fmt.Errorf("discord: close gateway: %w", err)
	}
	return nil
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
		a.log.Warn("discord gateway connection failed; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

// spawn runs a reply in its own goroutine, unless shutting down. A panic
// in it is recovered, logged and counted (bot.Recover): one bad event cannot
// take the bot down.
func (a *Adapter) spawn(event string, reply func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing {
		return
	}
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		defer bot.Recover(a.log, a.obs, platform, event)
		reply()
	}()
}

func (a *Adapter) addHandlers() {
	s := a.session
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
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		a.spawn("interaction_create", func() { a.onInteraction(s, i.Interaction) })
	})
	if a.cfg.MessageCommands {
		s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
			a.spawn("message_create", func() { a.onMessage(s, m.Message) })
		})
	}
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

// onMessage answers a message command with a reply to it.
func (a *Adapter) onMessage(s *discordgo.Session, m *discordgo.Message) {
	start := time.Now()
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	self := selfID(s)
	if self == "" || m.Author.ID == self {
		return
	}
	query, ok := messageQuery(m.Content, a.cfg.Prefix, self)
	if !ok {
		return
	}
	ans := a.b.Answer(query)
	msg := Message(ans)
	noFail := false
	msg.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &noFail}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.ChannelMessageSendComplex(m.ChannelID, msg, discordgo.WithContext(ctx)); err != nil {
		a.obs.PlatformError(platform, "post_message")
		a.log.Warn("discord: post reply failed", "channel", m.ChannelID, "err", err)
		return
	}
	a.obs.Answered(platform, ans.Kind, time.Since(start))
}

// messageQuery extracts the question from a message that starts with the
// prefix or mentions the bot; ok is false for any other message.
func messageQuery(content, prefix, self string) (query string, ok bool) {
	text := content
	for _, tag := range []string{"<@" + self + ">", "<@!" + self + ">"} {
		if strings.Contains(text, tag) {
			ok = true
			text = strings.ReplaceAll(text, tag, " ")
		}
	}
	text = strings.Join(strings.Fields(text), " ") // also closes the gap a mention leaves
	if len(text) >= len(prefix) && strings.EqualFold(text[:len(prefix)], prefix) {
		if rest := text[len(prefix):]; rest == "" || rest[0] == ' ' {
			return strings.TrimSpace(rest), true
		}
	}
	return text, ok
}

// onInteraction answers an interaction received on the gateway through the
// interaction callback endpoint.
func (a *Adapter) onInteraction(s *discordgo.Session, i *discordgo.Interaction) {
	start := time.Now()
	resp, kind := a.respond(i)
	if resp == nil {
		return
	}
	// Discord allows 3 seconds from the event; the core answers in
	// microseconds, so the callback is the only wait.
	ctx, cancel := context.WithTimeout(context.Background(), discordgo.InteractionDeadline)
	defer cancel()
	if err := s.InteractionRespond(i, resp, discordgo.WithContext(ctx)); err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		a.log.Warn("discord: interaction response failed", "type", i.Type.String(), "err", err)
		return
	}
	if kind != "" {
		a.obs.Answered(platform, kind, time.Since(start))
	}
}

// respond is the response to an interaction, and the kind of answer it
// carries ("" for a PONG, an autocomplete or an acknowledgement). It returns
// nil for interactions the bot does not handle.
func (a *Adapter) respond(i *discordgo.Interaction) (*discordgo.InteractionResponse, bot.Kind) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, ""
	case discordgo.InteractionApplicationCommand:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		ans := a.b.Answer(optionValue(data.Options, "query"))
		return messageResponse(ans, ans.Private), ans.Kind
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		var typed string
		for _, o := range data.Options {
			if o.Focused {
				typed, _ = o.Value.(string)
			}
		}
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: Choices(a.b, typed)},
		}, ""
	case discordgo.InteractionMessageComponent:
		data, _ := i.Data.(discordgo.MessageComponentInteractionData)
		n, ok := parseCustomID(data.CustomID)
		if !ok {
			// Not ours: acknowledge so the user sees no error, change nothing.
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, ""
		}
		// A new message, so the answer the button sits on stays as it was
		// for everyone else; it is as private as that message was.
		ans := a.b.AnswerCode(n)
		private := ans.Private || (i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0)
		return messageResponse(ans, private), ans.Kind
	}
	return nil, ""
}

func messageResponse(ans *bot.Answer, private bool) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: InteractionData(ans, private),
	}
}

// optionValue is the string value of the named option, or "".
func optionValue(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o != nil && o.Name == name {
			s, _ := o.Value.(string)
			return s
		}
	}
	return ""
}
