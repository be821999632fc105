package main

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
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
	refused     *prometheus.CounterVec
	inflight    *prometheus.GaugeVec
}

// replyBuckets span the core's sub-millisecond answers up to slow platform
// round trips, in seconds.
var replyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

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
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "statusbot_refused_total",
			Help: "Requests and questions turned away, by platform and reason.",
		}, []string{"platform", "reason"}),
		inflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "statusbot_http_requests_in_flight",
			Help: "HTTP requests being handled, by listener; http.max_inflight is the most each takes.",
		}, []string{"listener"}),
	}
	m.reg.MustRegister(
		m.queries, m.reply, m.errors, m.rateLimited, m.reconnects, m.panics, m.refused, m.inflight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
	return m
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

var _ relay.Observer = (*metrics)(nil)
