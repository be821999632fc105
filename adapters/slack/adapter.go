// Package slack is statusbot's Slack adapter. It turns mentions, direct
// messages, the /http command and button presses into questions for the core,
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
	"github.com/slack-go/slack/slackevents"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

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
	PathInteractions = "/slack/interactions" // button presses
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
	c.Logger, c.Observer = relay.OrQuiet(c.Logger, c.Observer)
	if c.HTTPClient == nil {
		c.HTTPClient = defaultHTTPClient()
	}
	if c.Dedup == nil {
		c.Dedup = state.NewMemoryDedup(10000, 15*time.Minute)
	}
	return c
}

// Adapter serves one Slack app. It satisfies the cmd package's service
// interface: Name, Run and Ready.
type Adapter struct {
	bot  answerer
	api  *slack.Client
	http *http.Client
	log  *slog.Logger
	obs  relay.Observer
	lim  relay.Limiter

	mode          string
	signingSecret string

	self      atomic.Pointer[string] // the bot's user id, from auth.test
	ready     atomic.Bool
	readyOnce sync.Once
	started   chan struct{} // closed when first ready
	seen      state.Dedup

	// Replies run in the background after the ack; Run waits for them.
	acks     *relay.Inflight // Socket Mode acks being queued
	inflight *relay.Inflight // replies

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

// answerer is the part of the core the adapter uses.
type answerer interface {
	Answer(query string) *bot.Answer
	AnswerCode(n int) *bot.Answer
	RateLimitedAnswer(query string) *bot.Answer
}

// New builds an adapter answering from b. Settings left zero take their
// Defaults; it returns Validate's error for any other it refuses, and
// refuses a Config without a bot token. It does no I/O: Run checks the token.
func New(b *bot.Bot, cfg Config) (*Adapter, error) {
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
	debugLog := slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelDebug)
	opts := []slack.Option{
		slack.OptionAPIURL(apiURL),
		slack.OptionHTTPClient(cfg.HTTPClient),
		slack.OptionLog(debugLog),
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return &Adapter{
		bot:           b,
		api:           slack.New(cfg.BotToken, opts...),
		http:          cfg.HTTPClient,
		log:           cfg.Logger,
		obs:           cfg.Observer,
		lim:           relay.Limiter{Platform: "slack", Limits: cfg.Limits, Observer: cfg.Observer},
		mode:          cfg.Mode,
		signingSecret: cfg.SigningSecret,
		seen:          cfg.Dedup,
		started:       make(chan struct{}),
		acks:          relay.NewInflight("slack", cfg.Logger, cfg.Observer),
		inflight:      relay.NewInflight("slack", cfg.Logger, cfg.Observer),
		pingInterval:  30 * time.Second,
		retryPolicy:   relay.Retry{Attempts: 3, Base: 250 * time.Millisecond, Max: 2 * time.Second},
		replyTimeout:  2 * time.Minute,
		drainTimeout:  10 * time.Second,
	}, nil
}

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

// Run serves until ctx is done, then waits for replies in flight (up to a
// grace period) and returns nil. It returns an error when the token is
// refused or Socket Mode cannot be kept up.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.drain()
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
	err := a.retry(ctx, "auth_test", "", func(ctx context.Context) error {
		var err error
		res, err = a.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("slack: auth.test: %s", relay.SafeErr(err))
	}
	a.self.Store(&res.UserID)
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
// shutdown. Work arriving after shutdown began is dropped. A panic in f is
// recovered, logged and counted under kind, the kind of event f handles.
func (a *Adapter) spawn(kind string, f func(ctx context.Context)) {
	ok := a.inflight.Go(kind, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, a.replyTimeout)
		defer cancel()
		f(ctx)
	})
	if !ok {
		a.log.Warn("slack: shutting down; question dropped")
	}
}

// drain waits for replies in flight, cancelling them after drainTimeout.
func (a *Adapter) drain() {
	ctx, cancel := context.WithTimeout(context.Background(), a.drainTimeout)
	defer cancel()
	if a.inflight.Drain(ctx) {
		a.log.Warn("slack: replies still in flight at shutdown; cancelled them")
	}
	// Idle connections to Slack each hold goroutines until they time out.
	a.http.CloseIdleConnections()
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

// message is a question asked in a channel or a DM.
type message struct {
	kind     string // the event type: app_mention or message
	team     string
	channel  string
	user     string
	ts       string
	threadTS string
	text     string // the question, mention stripped and unescaped
	dm       bool
	received time.Time
}

// onEvent takes one Events API event and, if it is a question not seen
// before, answers it in the background. It does no I/O itself, so the caller
// can acknowledge at once.
func (a *Adapter) onEvent(ctx context.Context, ev slackevents.EventsAPIEvent, received time.Time) {
	if ev.Type == slackevents.AppRateLimited {
		a.obs.RateLimited("slack")
		a.log.Warn("slack: Slack is rate limiting this app's events")
		return
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return
	}
	m, ok := a.question(ev.InnerEvent.Data)
	if !ok {
		return
	}
	m.team, m.received = cb.TeamID, received
	// Slack retries an event with the same event_id, and delivers a mention
	// in a DM both as app_mention and as message: answer each message once.
	// Every delivery of a message has its key, so whichever delivery sees
	// it first goes on, alone, to the event's own key.
	if !a.seen.First(ctx, "msg:"+m.channel+":"+m.ts) || cb.EventID != "" && !a.seen.First(ctx, "event:"+cb.EventID) {
		a.log.Debug("slack: duplicate event ignored", "event_id", cb.EventID, "channel", m.channel)
		return
	}
	switch a.limit(ctx, m.team, m.user, m.channel) {
	case state.Drop:
		return
	case state.Notify:
		a.spawn(m.kind, func(ctx context.Context) {
			_ = a.send(ctx, m, a.bot.RateLimitedAnswer(m.text), true)
		})
		return
	}
	a.spawn(m.kind, func(ctx context.Context) { a.reply(ctx, m) })
}

// question extracts a question from an inner event, ignoring bots, the bot
// itself, edits and other message subtypes.
func (a *Adapter) question(inner any) (message, bool) {
	self := a.selfID()
	var m message
	switch e := inner.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.Edited != nil {
			return m, false
		}
		m = message{kind: e.Type, channel: e.Channel, user: e.User, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, text: e.Text,
			dm: strings.HasPrefix(e.Channel, "D")}
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" {
			return m, false
		}
		m = message{kind: e.Type, channel: e.Channel, user: e.User, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, text: e.Text, dm: true}
	default:
		return m, false
	}
	if m.user == "" || m.user == self || m.channel == "" || m.ts == "" {
		return m, false
	}
	m.text = strings.TrimSpace(unescape(stripMention(m.text, self)))
	return m, true
}

// stripMention removes every mention of user id self (<@U123> or
// <@U123|name>) from text.
func stripMention(text, self string) string {
	if self == "" {
		return text
	}
	open := "<@" + self
	var sb strings.Builder
	for {
		i := strings.Index(text, open)
		if i < 0 {
			break
		}
		rest := text[i+len(open):]
		end := strings.IndexByte(rest, '>')
		if end < 0 || (end > 0 && rest[0] != '|') {
			// Another user whose id starts with ours: keep it.
			sb.WriteString(text[:i+len(open)])
			text = rest
			continue
		}
		sb.WriteString(text[:i])
		sb.WriteByte(' ')
		text = rest[end+1:]
	}
	sb.WriteString(text)
	return sb.String()
}

// reply answers a question in its channel: in a thread under a channel
// mention, in the DM itself for a direct message. An answer the core marks
// private (help, errors) goes only to the asker in a channel.
func (a *Adapter) reply(ctx context.Context, m message) {
	ans := a.bot.Answer(m.text)
	if a.send(ctx, m, ans, ans.Private && !m.dm) == nil {
		a.obs.Answered("slack", ans.Kind, time.Since(m.received))
	}
}

// send posts ans in reply to m: only to the asker when ephemeral, else in
// the DM, or in the thread of a channel mention.
func (a *Adapter) send(ctx context.Context, m message, ans *bot.Answer, ephemeral bool) error {
	opts := []slack.MsgOption{slack.MsgOptionText(Text(ans), false), slack.MsgOptionBlocks(Blocks(ans)...)}
	if a.beforePost != nil {
		a.beforePost(time.Since(m.received))
	}
	if ephemeral {
		// Slack shows an ephemeral message in a thread only once the thread
		// exists, so a private answer to a top-level mention goes in the channel.
		if m.threadTS != "" {
			opts = append(opts, slack.MsgOptionTS(m.threadTS))
		}
		return a.retry(ctx, "post_ephemeral", m.channel, func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, m.channel, m.user, opts...)
			return err
		})
	}
	thread := m.threadTS
	if thread == "" && !m.dm {
		thread = m.ts
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return a.post(ctx, m.channel, opts)
}

// post calls chat.postMessage with retries.
func (a *Adapter) post(ctx context.Context, channel string, opts []slack.MsgOption) error {
	return a.retry(ctx, "post_message", channel, func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
}

// retry calls call with the retry policy: a 429 waits its Retry-After, a
// 5xx or network error a jittered backoff (see retryable). A final failure
// is counted and logged with its channel; errors never carry the token,
// which travels as a form field or header.
func (a *Adapter) retry(ctx context.Context, op, channel string, call func(context.Context) error) error {
	err := a.retryPolicy.Do(ctx, a.log.With("op", op, "channel", channel), call, a.retryable)
	if err != nil {
		a.obs.PlatformError("slack", op)
		a.log.Error("slack: call failed", "op", op, "channel", channel, "err", relay.SafeErr(err))
	}
	return err
}

// retryable says whether err is worth retrying, and how long Slack asked
// to wait first; it counts Slack's 429s.
func (a *Adapter) retryable(err error) (time.Duration, bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		a.obs.RateLimited("slack")
		return max(rl.RetryAfter, 0), true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		if sc.Code == http.StatusTooManyRequests {
			a.obs.RateLimited("slack")
			return 0, true
		}
		return 0, sc.Code >= 500
	}
	var ue *url.Error
	return 0, errors.As(err, &ue)
}
