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
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
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
	Observer        relay.Observer
	// Limits holds back users and channels that ask too fast; nil means no
	// limits. Keys are "discord:<guild>:<user>" and "discord:<channel>".
	Limits state.Limits
}

// Adapter serves one bot on Discord. It satisfies the cmd package's service
// interface (Name, Run, Ready) and offers the HTTP interactions handler.
type Adapter struct {
	b       *bot.Bot
	cfg     Config
	log     *slog.Logger
	obs     relay.Observer
	key     ed25519.PublicKey  // nil: HTTP interactions disabled
	session *discordgo.Session // nil: no gateway (HTTP interactions only)

	ready     atomic.Bool
	readyOnce atomic.Bool // a READY has been seen: a later one is a reconnect

	mu       sync.Mutex // guards closing and inflight.Add
	closing  bool
	inflight sync.WaitGroup

	retry retryPolicy
	// ownShare, when set (by tests and benchmarks), is told how long the bot
	// itself took over a gateway question: from the event's arrival to the
	// reply's REST call being issued, the platform's share excluded.
	ownShare func(time.Duration)
}

// retryPolicy bounds the retries of a reply after a 5xx or a network error.
type retryPolicy struct {
	attempts  int           // in all, the first included
	base, max time.Duration // the first pause, and the longest
}

// defaultRetry gives up within about four seconds, well inside Discord's
// patience for a reply and under the minute a reply may take.
var defaultRetry = retryPolicy{attempts: 4, base: 250 * time.Millisecond, max: 2 * time.Second}

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
		cfg.Observer = relay.NopObserver{}
	}
	if cfg.Limits == nil {
		cfg.Limits = (*state.MemoryLimits)(nil) // no limits
	}
	a := &Adapter{b: b, cfg: cfg, log: cfg.Logger, obs: cfg.Observer, retry: defaultRetry}
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

// maxIdleConns is how many idle connections to the REST API are kept.
const maxIdleConns = 64

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
	a.session.Client.CloseIdleConnections()
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
// in it is recovered, logged and counted (relay.Recover): one bad event cannot
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
		defer relay.Recover(a.log, a.obs, platform, event)
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
		received := time.Now()
		a.spawn("interaction_create", func() { a.onInteraction(s, i.Interaction, received) })
	})
	if a.cfg.MessageCommands {
		s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
			received := time.Now()
			a.spawn("message_create", func() { a.onMessage(s, m.Message, received) })
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

// onMessage answers a message command with a reply to it. A user asking
// too fast gets one reply saying so, then silence: plain messages cannot be
// ephemeral, and a direct message may be refused (closed DMs) and costs
// another call, so the notice goes where the questions are.
func (a *Adapter) onMessage(s *discordgo.Session, m *discordgo.Message, received time.Time) {
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
	var ans *bot.Answer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	switch a.check(ctx, m.GuildID, m.Author.ID, m.ChannelID) {
	case state.Allow:
		ans = a.b.Answer(query)
	case state.Notify:
		ans = a.b.RateLimitedAnswer(query)
	default:
		return
	}
	noFail := false
	msg := Message(ans)
	msg.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &noFail}
	// The question's ID is the nonce: should a reply be created but its
	// response lost (a 5xx, a dropped connection), the retry returns that
	// message instead of posting a second one.
	nonce := m.ID
	if len(nonce) > maxNonce {
		nonce = ""
	}
	body, err := discordgo.Marshal(messageCreate{MessageSend: msg, Nonce: nonce, EnforceNonce: nonce != ""})
	if err != nil {
		a.obs.PlatformError(platform, "post_message")
		a.log.Error("discord: encode reply", "err", err)
		return
	}
	if a.ownShare != nil {
		a.ownShare(time.Since(received))
	}
	endpoint := discordgo.EndpointChannelMessages(m.ChannelID)
	err = a.withRetries(ctx, func() error {
		_, err := s.RequestRaw(http.MethodPost, endpoint, "application/json", body, endpoint, 0, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		a.obs.PlatformError(platform, "post_message")
		a.log.Warn("discord: post reply failed", "channel", m.ChannelID, "err", err)
		return
	}
	a.obs.Answered(platform, ans.Kind, time.Since(received))
}

// maxNonce is the longest nonce Discord takes.
const maxNonce = 25

// messageCreate is the body of POST /channels/{id}/messages: discordgo's
// MessageSend lacks the nonce fields.
type messageCreate struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// check applies the abuse limits to a question from user in channel, and
// counts the questions held back.
func (a *Adapter) check(ctx context.Context, guild, user, channel string) state.Verdict {
	v := a.cfg.Limits.Check(ctx, platform+":"+guild+":"+user, platform+":"+channel)
	if v != state.Allow {
		a.obs.RateLimited(platform)
	}
	return v
}

// withRetries runs call until it succeeds, fails for good, or runs out of
// attempts, pausing a jittered, doubling while after a 5xx or a network
// error. Discordgo itself waits out 429s and retries 502s.
func (a *Adapter) withRetries(ctx context.Context, call func() error) error {
	wait := a.retry.base
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil || attempt >= a.retry.attempts || !retryable(err) {
			return err
		}
		a.log.Debug("discord: REST call failed; retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait/2 + rand.N(wait+1)):
		}
		wait = min(2*wait, a.retry.max)
	}
}

// retryable reports whether a failed REST call may succeed if repeated: a
// server error, or a network error other than running out of time.
func retryable(err error) bool {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) {
		return rest.Response != nil && rest.Response.StatusCode >= 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr)
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
func (a *Adapter) onInteraction(s *discordgo.Session, i *discordgo.Interaction, received time.Time) {
	// Discord allows 3 seconds from the event; the core answers in
	// microseconds, so the callback (and any retry) is the only wait.
	ctx, cancel := context.WithDeadline(context.Background(), received.Add(discordgo.InteractionDeadline))
	defer cancel()
	resp, kind := a.respond(ctx, i)
	if resp == nil {
		return
	}
	body, err := discordgo.Marshal(resp)
	if err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		a.log.Error("discord: encode interaction response", "err", err)
		return
	}
	if a.ownShare != nil && kind != "" {
		a.ownShare(time.Since(received))
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	retried := false
	err = a.withRetries(ctx, func() error {
		// Each callback URL is used once: a bucket of its own, not one in
		// the session's rate limiter, which keeps every bucket for ever.
		bucket := discordgo.NewRatelimiter().LockBucket(endpoint)
		_, err := s.RequestWithLockedBucket(http.MethodPost, endpoint, "application/json", body, bucket, 0, discordgo.WithContext(ctx))
		var rest *discordgo.RESTError
		if retried && errors.As(err, &rest) && rest.Message != nil && rest.Message.Code == discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
			return nil // an earlier attempt got through; its response was lost
		}
		retried = true
		return err
	})
	if err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		a.log.Warn("discord: interaction response failed", "type", i.Type.String(), "err", err)
		return
	}
	if kind != "" {
		a.obs.Answered(platform, kind, time.Since(received))
	}
}

// respond is the response to an interaction, and the kind of answer it
// carries ("" for a PONG, an autocomplete or an acknowledgement). It returns
// nil for interactions the bot does not handle.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction) (*discordgo.InteractionResponse, bot.Kind) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, ""
	case discordgo.InteractionApplicationCommand:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		query := optionValue(data.Options, "query")
		if a.check(ctx, i.GuildID, interactionUser(i), i.ChannelID) != state.Allow {
			// Told before or not, the interaction needs an answer within 3
			// seconds or Discord shows the user an error; the notice again,
			// seen by the asker alone, is the quietest answer there is.
			ans := a.b.RateLimitedAnswer(query)
			return messageResponse(ans, true), ans.Kind
		}
		ans := a.b.Answer(query)
		return messageResponse(ans, ans.Private), ans.Kind
	case discordgo.InteractionApplicationCommandAutocomplete:
		// Not limited: these come with each keystroke, and ask nothing yet.
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
		switch a.check(ctx, i.GuildID, interactionUser(i), i.ChannelID) {
		case state.Notify:
			ans := a.b.RateLimitedAnswer(strconv.Itoa(n))
			return messageResponse(ans, true), ans.Kind
		case state.Drop:
			// Acknowledged, and nothing changes: silence, with no error shown.
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

// interactionUser is the ID of the user who caused an interaction: the
// member in a server, the user in a DM.
func interactionUser(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
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
