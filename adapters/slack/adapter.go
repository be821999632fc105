// Package slack is statusbot's Slack adapter. It turns mentions, direct
// messages, the /http command and button presses into questions for the core,
// and renders the core's answers as Block Kit. It runs over Socket Mode, or
// over the Events API on the bot's own HTTP server (see Handlers).
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
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

// Config configures an Adapter. BotToken is always required; Socket Mode
// needs AppToken and HTTP mode SigningSecret.
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

// Adapter serves one Slack app. It satisfies the cmd package's service
// interface: Name, Run and Ready.
type Adapter struct {
	bot  answerer
	api  *slack.Client
	http *http.Client
	log  *slog.Logger
	obs  relay.Observer
	lim  state.Limits

	mode          string
	signingSecret string

	self      atomic.Pointer[string] // the bot's user id, from auth.test
	ready     atomic.Bool
	readyOnce sync.Once
	started   chan struct{} // closed when first ready
	seen      state.Dedup

	// Replies run in the background after the ack; Run waits for them.
	acks     sync.WaitGroup // Socket Mode acks being queued
	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	workCtx  context.Context
	stopWork context.CancelFunc

	// Tunables; tests shorten them.
	pingInterval time.Duration // Socket Mode: reconnect when Slack has not pinged for this long
	retryBase    time.Duration // first backoff on a 5xx or network error
	maxAttempts  int           // tries per Web API call
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

// New builds an adapter answering from b. It does no I/O: Run checks the
// token.
func New(b *bot.Bot, cfg Config) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, errors.New("slack: bot token is required")
	}
	switch cfg.Mode {
	case "", ModeSocket:
		cfg.Mode = ModeSocket
		if cfg.AppToken == "" {
			return nil, errors.New("slack: Socket Mode needs an app-level token (xapp-...); set it, or use HTTP mode with a signing secret")
		}
	case ModeHTTP:
		if cfg.SigningSecret == "" {
			return nil, errors.New("slack: HTTP mode needs the app's signing secret")
		}
	default:
		return nil, fmt.Errorf("slack: unknown mode %q (want %s or %s)", cfg.Mode, ModeSocket, ModeHTTP)
	}
	apiURL, err := normalizeAPIURL(cfg.APIURL)
	if err != nil {
		return nil, err
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
	if cfg.Dedup == nil {
		cfg.Dedup = state.NewMemoryDedup(10000, 15*time.Minute)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient()
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
	workCtx, stop := context.WithCancel(context.Background())
	return &Adapter{
		bot:           b,
		api:           slack.New(cfg.BotToken, opts...),
		http:          cfg.HTTPClient,
		log:           cfg.Logger,
		obs:           cfg.Observer,
		lim:           cfg.Limits,
		mode:          cfg.Mode,
		signingSecret: cfg.SigningSecret,
		seen:          cfg.Dedup,
		workCtx:       workCtx,
		started:       make(chan struct{}),
		stopWork:      stop,
		pingInterval:  30 * time.Second,
		retryBase:     250 * time.Millisecond,
		maxAttempts:   3,
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

// normalizeAPIURL checks the Web API base and gives it the trailing slash
// slack-go needs.
func normalizeAPIURL(s string) (string, error) {
	if s == "" {
		return DefaultAPIURL, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("slack: api_url %q is not an http(s) URL", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
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
		return fmt.Errorf("slack: auth.test: %s", safeErr(err))
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
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing {
		a.log.Warn("slack: shutting down; question dropped")
		return
	}
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		defer relay.Recover(a.log, a.obs, "slack", kind)
		ctx, cancel := context.WithTimeout(a.workCtx, a.replyTimeout)
		defer cancel()
		f(ctx)
	}()
}

// drain waits for replies in flight, cancelling them after drainTimeout.
func (a *Adapter) drain() {
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() {
		a.inflight.Wait()
		close(done)
	}()
	t := time.NewTimer(a.drainTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		a.log.Warn("slack: replies still in flight at shutdown; cancelling them")
		a.stopWork()
		<-done
	}
	a.stopWork()
	// Idle connections to Slack each hold goroutines until they time out.
	a.http.CloseIdleConnections()
}

// limit applies the abuse limits to a question from user in channel of team
// and says what to do with it. A question held back is counted.
func (a *Adapter) limit(ctx context.Context, team, user, channel string) state.Verdict {
	v := a.lim.Check(ctx, "slack:"+team+":"+user, "slack:"+team+":"+channel)
	if v != state.Allow {
		a.obs.RateLimited("slack")
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

// retry calls call until it succeeds, Slack refuses for good, or
// maxAttempts: a 429 waits its Retry-After, a 5xx or network error a
// jittered backoff. A final failure is counted and logged with its channel;
// errors never carry the token, which travels as a form field or header.
func (a *Adapter) retry(ctx context.Context, op, channel string, call func(context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = call(ctx); err == nil {
			return nil
		}
		wait, ok := a.retryWait(err, attempt)
		if !ok || attempt >= a.maxAttempts {
			break
		}
		a.log.Debug("slack: retrying", "op", op, "channel", channel, "attempt", attempt, "wait", wait, "err", safeErr(err))
		if !sleep(ctx, wait) {
			break
		}
	}
	a.obs.PlatformError("slack", op)
	a.log.Error("slack: call failed", "op", op, "channel", channel, "err", safeErr(err))
	return err
}

// retryWait says whether err is worth retrying and after how long.
func (a *Adapter) retryWait(err error, attempt int) (time.Duration, bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	jitter := rand.N(a.retryBase + 1)
	backoff := a.retryBase<<(attempt-1) + jitter
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		a.obs.RateLimited("slack")
		if rl.RetryAfter <= 0 {
			return backoff, true
		}
		return rl.RetryAfter + jitter, true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		if sc.Code == http.StatusTooManyRequests {
			a.obs.RateLimited("slack")
			return backoff, true
		}
		return backoff, sc.Code >= 500
	}
	var ue *url.Error
	return backoff, errors.As(err, &ue)
}

// sleep waits d, or less if ctx ends first; it reports whether it waited d.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// safeErr renders err for a log without the request URL: response URLs are
// capabilities, and proxies may put credentials in theirs.
func safeErr(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
