// Package slack is statusbot's Slack adapter. It turns mentions, direct
// messages, the /http command, the message shortcut that explains a message
// and button presses into questions for the core, publishes the App Home
// tab,
// and renders the core's answers as Block Kit. It runs over Socket Mode, or
// over the Events API on the bot's own HTTP server (see Handlers).
package slack

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// Where things are: adapter.go sets the adapter up (configuration, New, Run);
// events arrive over Socket Mode (socket.go) or the HTTP endpoints
// (http.go); events.go turns them into questions, buttons.go button presses;
// send.go posts the replies and retry.go retries them; render.go turns an
// answer into Block Kit, within the limits and markup of markup.go;
// install.go writes the app's manifest.

// The ways the adapter can receive events.
const (
	ModeSocket = "socket" // Socket Mode: a websocket the bot opens; no public URL needed
	ModeHTTP   = "http"   // Events API, slash commands and interactivity as HTTP requests
)

// DefaultAPIURL is the base of Slack's Web API.
const DefaultAPIURL = "https://slack.com/api/"

// The paths of the HTTP-mode endpoints, under the bot's public base URL. The
// manifest gives Slack the same ones.
const (
	PathEvents       = "/slack/events"       // Events API: mentions and direct messages
	PathCommands     = "/slack/commands"     // the /http slash command
	PathInteractions = "/slack/interactions" // button presses and the message shortcut
)

// Config configures an Adapter. BotToken enables Slack; Socket Mode needs
// AppToken as well, and HTTP mode SigningSecret.
type Config struct {
	BotToken      string // xoxb-...
	AppToken      string // xapp-..., with connections:write (Socket Mode)
	SigningSecret string // verifies HTTP-mode requests
	Mode          string // ModeSocket (the default when empty) or ModeHTTP
	APIURL        string // Web API base; DefaultAPIURL when empty

	Logger     *slog.Logger   // nil discards
	Observer   relay.Observer // nil records nothing
	HTTPClient *http.Client   // for the Web API and response URLs; nil means a client with a timeout

	// Limits holds back users and channels that ask too fast; nil means no
	// limits. It may be shared with other platforms: keys are qualified by
	// platform and team.
	Limits state.Limits
	// DrainTimeout is how long Run waits at shutdown for replies in flight
	// before it cancels them; 10 seconds when zero.
	DrainTimeout time.Duration
	// Dedup remembers the events answered, so that one delivered twice is
	// answered once; nil means in this process's memory (10,000 keys for 15
	// minutes each).
	Dedup state.Dedup
}

// Defaults is the configuration New starts from: Socket Mode, and Slack's
// own Web API.
func Defaults() Config {
	return Config{Mode: ModeSocket, APIURL: DefaultAPIURL}
}

// Enabled reports whether c asks for Slack at all: any of its credentials.
// New needs the bot token among them.
func (c Config) Enabled() bool { return c.BotToken != "" || c.AppToken != "" || c.SigningSecret != "" }

// Validate reports the first setting of c that cannot work, as a
// *relay.FieldError: an unknown mode, a mode without its credential beside
// the bot token, or an API base that is not a URL.
func (c Config) Validate() error {
	switch {
	case c.Mode != ModeSocket && c.Mode != ModeHTTP:
		return relay.Refuse("Mode", "unknown mode %q (want %s or %s)", c.Mode, ModeSocket, ModeHTTP)
	case c.BotToken != "" && c.Mode == ModeSocket && c.AppToken == "":
		return relay.Refuse("AppToken", "Socket Mode ({Mode} socket) needs the app-level token (xapp-...) as well as {BotToken}")
	case c.BotToken != "" && c.Mode == ModeHTTP && c.SigningSecret == "":
		return relay.Refuse("SigningSecret", "HTTP mode ({Mode} http) needs the app's signing secret as well as {BotToken}")
	}
	return relay.CheckURL("APIURL", c.APIURL)
}

// withDefaults is c with each setting left zero taken from Defaults.
func (c Config) withDefaults() Config {
	d := Defaults()
	c.Mode = cmp.Or(c.Mode, d.Mode)
	c.APIURL = cmp.Or(c.APIURL, d.APIURL)
	sh := relay.Shared{Logger: c.Logger, Observer: c.Observer, Dedup: c.Dedup, DrainTimeout: c.DrainTimeout}.OrDefaults(15 * time.Minute)
	c.Logger, c.Observer, c.Dedup, c.DrainTimeout = sh.Logger, sh.Observer, sh.Dedup, sh.DrainTimeout
	if c.HTTPClient == nil {
		c.HTTPClient = defaultHTTPClient()
	}
	return c
}

// Adapter serves one Slack app. It satisfies the cmd package's service
// interface: Name, Run and Ready.
type Adapter struct {
	bot    answerer
	api    webAPI
	client *slack.Client // the api, for Socket Mode
	http   *http.Client
	log    *slog.Logger
	obs    relay.Observer
	lim    relay.Limiter

	mode          string
	signingSecret string

	self      atomic.Pointer[string] // the bot's user id, from auth.test
	botID     atomic.Pointer[string] // the bot's bot id, from auth.test
	ready     atomic.Bool
	readyOnce sync.Once
	started   chan struct{} // closed when first ready
	seen      state.Dedup

	refusals    relay.Throttle // of the log line for a refused signature
	urlRefusals relay.Throttle // of the log line for a refused response URL
	apiBase     *url.URL       // the Web API base: its host may serve response URLs

	// Replies run in the background after the ack; Run waits for them.
	acks     *relay.Inflight // Socket Mode acks being queued
	inflight *relay.Inflight // replies: replyWorkers at once, replyQueue waiting
	notices  *relay.Inflight // "busy" notices when inflight is full
	busyLog  relay.Throttle  // of the log line for a question refused as busy

	// Tunables; tests shorten them.
	pingInterval time.Duration // Socket Mode: reconnect when Slack has not pinged for this long
	retryPolicy  relay.Retry   // per Web API call
	replyTimeout time.Duration // one reply, retries included
	drainTimeout time.Duration // how long Run waits for replies at shutdown

	// beforePost, when set, is told how long the adapter took from receiving
	// a question to issuing its reply: the bot's own share of the latency.
	// Benchmarks set it.
	beforePost func(d time.Duration)
}

// answerer is the part of the core the adapter asks.
type answerer interface {
	Answer(query string) *bot.Answer
	AnswerCode(n int) *bot.Answer
	Explain(text string) *bot.Answer
	Home() *bot.Answer
	RateLimitedAnswer(query string) *bot.Answer
	BusyAnswer(query string) *bot.Answer
}

// webAPI is what the adapter calls of slack-go's Client: who the bot is,
// the two ways to post a reply, publishing the Home tab, and the two ways
// to read back a reply whose post failed in a way that leaves in doubt
// whether Slack took it.
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
	GetConversationRepliesContext(ctx context.Context, params *slack.GetConversationRepliesParameters) ([]slack.Message, bool, string, error)
}

// acker is what the adapter calls of slack-go's Socket Mode client to
// acknowledge an envelope, with a payload or none.
type acker interface {
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

// New builds an adapter answering from b. Settings left zero take their
// Defaults; it returns Validate's error for any other it refuses, and
// refuses a Config without a bot token. It does no I/O: Run checks the token.
func New(b answerer, cfg Config) (*Adapter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("slack: %w", err)
	}
	if cfg.BotToken == "" {
		if cfg.Enabled() {
			return nil, fmt.Errorf("slack: %w", relay.Refuse("BotToken", "an app token or signing secret is set but no bot token (xoxb-...)"))
		}
		return nil, fmt.Errorf("slack: %w", relay.Refuse("BotToken", "is required (xoxb-...)"))
	}
	apiURL := cfg.APIURL
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/" // as slack-go needs
	}
	apiBase, err := url.Parse(apiURL)
	if err != nil {
		return nil, fmt.Errorf("slack: APIURL: %w", err) // not reached: Validate checked it
	}
	debugLog := slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelDebug)
	opts := []slack.Option{
		slack.OptionAPIURL(apiURL),
		slack.OptionHTTPClient(cfg.HTTPClient),
		slack.OptionLog(debugLog),
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	client := slack.New(cfg.BotToken, opts...)
	return &Adapter{
		bot:           b,
		api:           client,
		client:        client,
		http:          cfg.HTTPClient,
		log:           cfg.Logger,
		obs:           cfg.Observer,
		lim:           relay.Limiter{Platform: "slack", Limits: cfg.Limits, Observer: cfg.Observer},
		mode:          cfg.Mode,
		signingSecret: cfg.SigningSecret,
		seen:          cfg.Dedup,
		refusals:      relay.Throttle{Every: refusalLogEvery},
		urlRefusals:   relay.Throttle{Every: refusalLogEvery},
		apiBase:       apiBase,
		started:       make(chan struct{}),
		acks:          relay.NewInflight("slack", cfg.Logger, cfg.Observer),
		inflight:      relay.NewWorkers("slack", cfg.Logger, cfg.Observer, replyWorkers, replyQueue),
		notices:       relay.NewWorkers("slack", cfg.Logger, cfg.Observer, noticeWorkers, 0),
		busyLog:       relay.Throttle{Every: refusalLogEvery},
		pingInterval:  30 * time.Second,
		retryPolicy:   relay.Retry{Attempts: 3, Base: 250 * time.Millisecond, Max: 2 * time.Second},
		replyTimeout:  2 * time.Minute,
		drainTimeout:  cfg.DrainTimeout,
	}, nil
}

// The reply workers: at most replyWorkers replies at once (as many as the
// connections to Slack, maxConns), replyQueue more waiting their turn, and
// noticeWorkers sending "busy" notices past that, with no queue: under a
// flood, questions beyond those get nothing.
const (
	replyWorkers  = maxConns
	replyQueue    = 256
	noticeWorkers = 4
)

// maxConns bounds the adapter's connections to Slack. Every reply is a Web
// API call made in the background: without a bound, a burst of questions
// opens a connection per reply, and closes most of them afterwards.
const maxConns = 32

// defaultHTTPClient is the client for the Web API and response URLs: with a
// timeout, and a connection pool sized for bursts of replies.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = maxConns
	t.MaxIdleConnsPerHost = maxConns
	return &http.Client{Timeout: 30 * time.Second, Transport: t}
}

// Routes are the HTTP endpoints the adapter serves, by method and path: the
// three HTTP-mode endpoints, none in Socket Mode.
func (a *Adapter) Routes() map[string]http.Handler {
	if a.mode != ModeHTTP {
		return nil
	}
	h := a.Handlers()
	return map[string]http.Handler{
		http.MethodPost + " " + PathEvents:       h.Events,
		http.MethodPost + " " + PathCommands:     h.Commands,
		http.MethodPost + " " + PathInteractions: h.Interactions,
	}
}

// Name is the platform's name.
func (a *Adapter) Name() string { return "slack" }

// Ready reports whether the adapter is answering: connected to Socket Mode,
// or in HTTP mode, started and knowing who it is.
func (a *Adapter) Ready() bool { return a.ready.Load() }

// setReady records whether the adapter is answering.
func (a *Adapter) setReady(ok bool) {
	a.ready.Store(ok)
	if ok {
		a.readyOnce.Do(func() { close(a.started) })
	}
}

// Run serves until ctx is done, then waits for replies in flight, up to
// Config.DrainTimeout: replies still running then are cancelled, and Run
// says so. It returns nil on a clean shutdown, an error when the token is
// refused or Socket Mode cannot be kept up.
func (a *Adapter) Run(ctx context.Context) (err error) {
	drain, cancel := relay.DrainContext(ctx, a.drainTimeout)
	defer cancel()
	defer func() {
		if a.drain(drain) && err == nil {
			err = fmt.Errorf("slack: replies still running %s after shutdown began were cancelled", a.drainTimeout)
		}
	}()
	if err := a.identify(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if a.mode == ModeHTTP {
		a.setReady(true)
		<-ctx.Done()
		a.setReady(false)
		return nil
	}
	return a.runSocket(ctx)
}

// identify learns the bot's own user id with auth.test, so it can ignore
// itself and strip its mention.
func (a *Adapter) identify(ctx context.Context) error {
	var res *slack.AuthTestResponse
	err := a.retry(ctx, "auth_test", "", idempotent, func(ctx context.Context) error {
		var err error
		res, err = a.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("slack: auth.test: %s", relay.SafeErr(err))
	}
	a.self.Store(&res.UserID)
	a.botID.Store(&res.BotID)
	a.log.Info("slack: signed in", "user_id", res.UserID, "team", res.Team, "mode", a.mode)
	return nil
}

// selfID is the bot's user id, or "" before auth.test answered.
func (a *Adapter) selfID() string {
	if p := a.self.Load(); p != nil {
		return *p
	}
	return ""
}

// spawn runs f in the background with a reply deadline; Run waits for it at
// shutdown. A panic in f is recovered, logged and counted under kind, the
// kind of event f handles. When every reply worker is busy and the queue is
// full, the question is refused: counted, logged (throttled) and, when busy
// is not nil, answered by busy, with a short notice, as far as the few
// notice workers allow. Work arriving after shutdown began is refused too.
// spawn returns relay.Go's error.
func (a *Adapter) spawn(kind string, f, busy func(ctx context.Context)) error {
	withDeadline := func(f func(ctx context.Context)) func(ctx context.Context) {
		return func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, a.replyTimeout)
			defer cancel()
			f(ctx)
		}
	}
	err := a.inflight.Go(kind, withDeadline(f))
	switch {
	case errors.Is(err, relay.ErrBusy):
		a.obs.Refused("slack", "busy")
		if held, ok := a.busyLog.Allow(); ok {
			a.log.Warn("slack: every reply worker busy and the queue full; question refused", "event", kind,
				"refused_since_last_line", held)
		}
		if busy != nil {
			_ = a.notices.Go(kind, withDeadline(busy))
		}
	case errors.Is(err, relay.ErrClosed):
		a.log.Warn("slack: shutting down; question refused", "event", kind)
	}
	return err
}

// drain waits for replies in flight, cancelling them when ctx ends, and
// reports whether it did.
func (a *Adapter) drain(ctx context.Context) (cut bool) {
	cut = relay.DrainAll(ctx, a.inflight, a.notices)
	if cut {
		a.log.Warn("slack: replies still in flight at shutdown; cancelled them", "after", a.drainTimeout)
	}
	// Idle connections to Slack each hold goroutines until they time out.
	a.http.CloseIdleConnections()
	return cut
}

// limit applies the abuse limits to a question from user in channel of team
// and says what to do with it. A question held back is counted.
func (a *Adapter) limit(ctx context.Context, team, user, channel string) state.Verdict {
	v := a.lim.Check(ctx, team, user, channel)
	if v != state.Allow {
		a.log.Debug("slack: question held back by the abuse limits", "user", user, "channel", channel, "notify", v == state.Notify)
	}
	return v
}
