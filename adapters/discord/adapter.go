// Package discord is statusbot's Discord adapter: it turns Discord events
// (slash commands, autocomplete, the message command that explains a
// message, button presses and, when enabled, prefix commands in messages)
// into questions for the core, and renders the core's answers as
// Discord embeds and buttons. It runs on the gateway, on the HTTP
// interactions endpoint, or both, and adds no content of its own.
package discord

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Where things are: adapter.go sets the adapter up (configuration, New, Run);
// events arrive over the gateway (socket.go) or the HTTP endpoint
// (http.go); events.go turns them into questions, buttons.go button presses;
// send.go posts the replies and retry.go retries them; render.go turns an
// answer into embeds and buttons, within the limits and markup of
// markup.go; install.go registers the commands and makes the invite link.

const platform = "discord"

// DefaultAPIURL is Discord's own REST base, the one discordgo speaks.
const DefaultAPIURL = "https://discord.com/api/v9/"

// PathInteractions is where the HTTP interactions endpoint is served.
const PathInteractions = "/discord/interactions"

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
	// limits. Keys are "discord:<guild>:<user>" and "discord:<guild>:<channel>".
	Limits state.Limits
	// DrainTimeout is how long Run waits at shutdown for replies in flight
	// before it cancels them; 10 seconds when zero.
	DrainTimeout time.Duration
	// Dedup remembers the interactions answered on the HTTP endpoint, so
	// that a signed request sent again is answered once; keys are
	// "discord:interaction:<id>". nil means in this process's memory
	// (10,000 ids for 15 minutes each, three times InteractionWindow).
	Dedup state.Dedup
}

// Defaults is the configuration New starts from: Discord's own API, the
// "!http" prefix, message commands off, one shard.
func Defaults() Config {
	return Config{APIURL: DefaultAPIURL, Prefix: "!http", ShardCount: 1}
}

// Enabled reports whether c asks for Discord at all: a token for the
// gateway, or a public key for the HTTP interactions endpoint.
func (c Config) Enabled() bool { return c.Token != "" || c.PublicKey != "" }

// Validate reports the first setting of c that Discord would refuse or that
// cannot work, as a *relay.FieldError. Settings left empty are fine.
func (c Config) Validate() error {
	switch {
	case c.ApplicationID != "" && strings.Trim(c.ApplicationID, "0123456789") != "":
		return relay.Refuse("ApplicationID", "must be a numeric Discord ID; got %q", c.ApplicationID)
	case c.PublicKey != "" && !isPublicKey(c.PublicKey):
		// Not quoted: the key is not secret, but a secret pasted here by
		// mistake would be.
		return relay.Refuse("PublicKey", "must be 64 hex digits (the application's public key)")
	}
	if err := relay.CheckURL("APIURL", c.APIURL); err != nil {
		return err
	}
	switch {
	case c.ShardCount < 1:
		return relay.Refuse("ShardCount", "must be at least 1; got %d", c.ShardCount)
	case c.ShardID < 0 || c.ShardID >= c.ShardCount:
		return relay.Refuse("ShardID", "must be at least 0 and below {ShardCount} (%d); got %d", c.ShardCount, c.ShardID)
	}
	return nil
}

// isPublicKey reports whether k is an Ed25519 public key in hex.
func isPublicKey(k string) bool {
	b, err := hex.DecodeString(strings.TrimSpace(k))
	return err == nil && len(b) == ed25519.PublicKeySize
}

// withDefaults is c with each setting left zero taken from Defaults.
func (c Config) withDefaults() Config {
	d := Defaults()
	c.APIURL = cmp.Or(c.APIURL, d.APIURL)
	c.Prefix = cmp.Or(c.Prefix, d.Prefix)
	c.ShardCount = cmp.Or(c.ShardCount, d.ShardCount)
	sh := relay.Shared{Logger: c.Logger, Observer: c.Observer, Dedup: c.Dedup, DrainTimeout: c.DrainTimeout}.OrDefaults(3 * InteractionWindow)
	c.Logger, c.Observer, c.Dedup, c.DrainTimeout = sh.Logger, sh.Observer, sh.Dedup, sh.DrainTimeout
	return c
}

// Adapter serves one bot on Discord. It satisfies the cmd package's service
// interface (Name, Run, Ready) and offers the HTTP interactions handler.
type Adapter struct {
	b       answerer
	cfg     Config
	log     *slog.Logger
	obs     relay.Observer
	key     ed25519.PublicKey // nil: HTTP interactions disabled
	session session           // nil: no gateway (HTTP interactions only)
	client  *http.Client      // the session's, for REST

	ready     atomic.Bool
	readyOnce atomic.Bool // a READY has been seen: a later one is a reconnect

	inflight *relay.Inflight // replies: replyWorkers at once, replyQueue waiting
	notices  *relay.Inflight // "busy" notices when inflight is full
	limiter  relay.Limiter
	seen     state.Dedup                // interactions answered on the HTTP endpoint
	refusals map[string]*relay.Throttle // log lines of refused requests, by reason
	retry    relay.Retry
	// ownShare, when set (by tests and benchmarks), is told how long the bot
	// itself took over a gateway question: from the event's arrival to the
	// reply's REST call being issued, the platform's share excluded.
	ownShare func(time.Duration)
}

// answerer is the part of the core the adapter asks.
type answerer interface {
	Answer(query string) *bot.Answer
	AnswerCode(n int) *bot.Answer
	Explain(text string) *bot.Answer
	RateLimitedAnswer(query string) *bot.Answer
	BusyAnswer(query string) *bot.Answer
	Suggest(typed string, n int) []bot.Choice
}

// session is what the adapter calls of discordgo's Session: the gateway's
// Open and Close, and the two REST calls that carry replies.
type session interface {
	Open() error
	Close() error
	RequestRaw(method, urlStr, contentType string, b []byte, bucketID string, sequence int, options ...discordgo.RequestOption) ([]byte, error)
	RequestWithLockedBucket(method, urlStr, contentType string, b []byte, bucket *discordgo.Bucket, sequence int, options ...discordgo.RequestOption) ([]byte, error)
}

// New builds an adapter for b. Settings left zero take their Defaults; it
// returns Validate's error for any other it refuses. It connects to nothing
// until Run.
func New(b answerer, cfg Config) (*Adapter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	a := &Adapter{b: b, cfg: cfg, log: cfg.Logger, obs: cfg.Observer, retry: defaultRetry,
		inflight: relay.NewWorkers(platform, cfg.Logger, cfg.Observer, replyWorkers, replyQueue),
		notices:  relay.NewWorkers(platform, cfg.Logger, cfg.Observer, noticeWorkers, 0),
		limiter:  relay.Limiter{Platform: platform, Limits: cfg.Limits, Observer: cfg.Observer},
		seen:     cfg.Dedup,
		refusals: map[string]*relay.Throttle{"signature": {Every: refusalLogEvery}, "replay": {Every: refusalLogEvery},
			"busy": {Every: refusalLogEvery}}}
	if cfg.PublicKey != "" {
		k, _ := hex.DecodeString(strings.TrimSpace(cfg.PublicKey)) // checked by Validate
		a.key = k
	}
	if cfg.Token != "" {
		s, err := newSession(cfg)
		if err != nil {
			return nil, err
		}
		a.session, a.client = s, s.Client
		a.addHandlers(s)
	}
	return a, nil
}

// Routes are the HTTP endpoints the adapter serves, by method and path: the
// interactions endpoint when a public key is configured.
func (a *Adapter) Routes() map[string]http.Handler {
	if a.key == nil {
		return nil
	}
	return map[string]http.Handler{http.MethodPost + " " + PathInteractions: a.InteractionsHandler()}
}

// The reply workers: at most replyWorkers replies at once, replyQueue more
// waiting their turn, and noticeWorkers sending "busy" notices past that,
// with no queue: under a flood, events beyond those get nothing. Discord
// takes 50 requests a second from a bot in all.
const (
	replyWorkers  = 32
	replyQueue    = 256
	noticeWorkers = 4
)

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
// connection and waits for replies in flight, up to Config.DrainTimeout:
// replies still running then are cancelled, and Run says so. Without a
// token it only waits: the HTTP interactions endpoint does the work. It
// returns nil on a clean shutdown; a token Discord rejects is an error.
func (a *Adapter) Run(ctx context.Context) error {
	if a.session == nil {
		<-ctx.Done()
		return nil
	}
	drain, cancel := relay.DrainContext(ctx, a.cfg.DrainTimeout)
	defer cancel()
	if err := a.open(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	err := a.session.Close() // takes a second or so
	a.ready.Store(false)
	cut := relay.DrainAll(drain, a.inflight, a.notices)
	a.client.CloseIdleConnections()
	switch {
	case err != nil:
		return fmt.Errorf("discord: close gateway: %w", err)
	case cut:
		return fmt.Errorf("discord: replies still running %s after shutdown began were cancelled", a.cfg.DrainTimeout)
	}
	return nil
}
