package main

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/state"
)

// metrics is the relay.Observer behind GET /metrics. It has a registry of its
// own (not Prometheus's global one), so several bots can run in one process.
type metrics struct {
	reg         *prometheus.Registry
	queries     *prometheus.CounterVec
	reply       *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	reconnects  *prometheus.CounterVec
	panics      *prometheus.CounterVec
	stateTime   *prometheus.HistogramVec
	stateErrors *prometheus.CounterVec
	refused     *prometheus.CounterVec
	inflight    *prometheus.GaugeVec
}

// replyBuckets span the core's sub-millisecond answers up to slow platform
// round trips, in seconds.
var replyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// stateBuckets span a Redis round trip on loopback (tens of µs) up to the
// store's timeouts (100 ms read, 250 ms dial), in seconds.
var stateBuckets = []float64{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_queries_total",
			Help: "Questions answered, by platform and kind of answer.",
		}, []string{"platform", "kind"}),
		reply: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "statusbot_reply_seconds",
			Help:    "Time from receiving a question to the platform accepting the reply.",
			Buckets: replyBuckets,
		}, []string{"platform"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_platform_errors_total",
			Help: "Failed calls to a chat platform, by operation.",
		}, []string{"platform", "op"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_rate_limited_total",
			Help: "Platform 429s and users held back by statusbot's own limits.",
		}, []string{"platform"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_reconnects_total",
			Help: "Gateway or Socket Mode reconnections.",
		}, []string{"platform"}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_panics_total",
			Help: "Panics recovered while handling one event, by platform and event kind.",
		}, []string{"platform", "event"}),
		stateTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "statusbot_state_seconds",
			Help:    "Time spent in calls to the shared state store (Redis), by operation.",
			Buckets: stateBuckets,
		}, []string{"op"}),
		stateErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_state_errors_total",
			Help: "Failed calls to the shared state store, by operation; each was decided from local memory instead.",
		}, []string{"op"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_refused_total",
			Help: "Requests and questions turned away, by platform and reason.",
		}, []string{"platform", "reason"}),
		inflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "statusbot_http_requests_in_flight",
			Help: "HTTP requests being handled, by listener; http.max_inflight is the most each takes.",
		}, []string{"listener"}),
	}
	for _, op := range state.Ops {
		m.stateErrors.WithLabelValues(op) // at zero from the start, for rate()
	}
	m.reg.MustRegister(
		m.queries, m.reply, m.errors, m.rateLimited, m.reconnects, m.panics, m.stateTime, m.stateErrors,
		m.refused, m.inflight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
	return m
}

// known lists, by platform, the label values a platform's series take, so
// that they exist, at zero, from the first scrape: a query such as
// rate(statusbot_queries_total[5m]) or an alert on an increase then works
// before the first event (Prometheus's instrumentation guidelines). A
// value missing here still appears when first used.
var known = map[string]struct {
	ops, refusals, events []string
	reconnects            bool
}{
	"discord": {
		ops:        []string{"post_message", "interaction_respond", "gateway_connect"},
		refusals:   []string{"signature", "replay", "busy"},
		events:     []string{"interaction_create", "message_create", "http_interaction"},
		reconnects: true,
	},
	"slack": {
		ops:        []string{"auth_test", "post_message", "post_ephemeral", "response_url", "views_publish", "ack"},
		refusals:   []string{"signature", "replay", "response_url", "busy"},
		events:     []string{"events_api", "slash_commands", "interactive", "app_mention", "message"},
		reconnects: true,
	},
	"console": {ops: []string{"write"}},
}

// initialise creates every series of the platforms svcs serve, and of the
// HTTP server, at zero.
func (m *metrics) initialise(svcs []service) {
	m.refused.WithLabelValues("http", "inflight")
	for _, s := range svcs {
		p := s.Name()
		for _, k := range bot.Kinds() {
			m.queries.WithLabelValues(p, string(k))
		}
		m.reply.WithLabelValues(p)
		m.rateLimited.WithLabelValues(p)
		k := known[p]
		for _, op := range k.ops {
			m.errors.WithLabelValues(p, op)
		}
		for _, r := range k.refusals {
			m.refused.WithLabelValues(p, r)
		}
		for _, e := range k.events {
			m.panics.WithLabelValues(p, e)
		}
		if k.reconnects {
			m.reconnects.WithLabelValues(p)
		}
	}
}

// handler serves the registry in the Prometheus exposition format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *metrics) Answered(platform string, kind bot.Kind, elapsed time.Duration) {
	m.queries.WithLabelValues(platform, string(kind)).Inc()
	m.reply.WithLabelValues(platform).Observe(elapsed.Seconds())
}

func (m *metrics) PlatformError(platform, op string) {
	m.errors.WithLabelValues(platform, op).Inc()
}

func (m *metrics) RateLimited(platform string) {
	m.rateLimited.WithLabelValues(platform).Inc()
}

func (m *metrics) Reconnected(platform string) {
	m.reconnects.WithLabelValues(platform).Inc()
}

// Recovered is relay.Observer's hook for a panic recovered in an event handler.
func (m *metrics) Recovered(platform, event string) {
	m.panics.WithLabelValues(platform, event).Inc()
}

// Refused is relay.Observer's hook for a request or question turned away.
func (m *metrics) Refused(platform, reason string) {
	m.refused.WithLabelValues(platform, reason).Inc()
}

// StateCall is state.Observer's hook for one call to the shared store.
func (m *metrics) StateCall(op string, elapsed time.Duration, err error) {
	m.stateTime.WithLabelValues(op).Observe(elapsed.Seconds())
	if err != nil {
		m.stateErrors.WithLabelValues(op).Inc()
	}
}

var (
	_ relay.Observer = (*metrics)(nil)
	_ state.Observer = (*metrics)(nil)
)
