package slack

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/internal/latency"
	"github.com/statusbot/statusbot/internal/redistest"
	"github.com/statusbot/statusbot/state"
)

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// e2e runs b.N questions through an adapter against the fake, at most
// window awaiting their answer at once, and reports latency (from the
// question leaving the fake, or the client in HTTP mode, to the fake
// receiving chat.postMessage), questions per second, and the bot's own
// share of each reply.
func e2e(b *testing.B, window int, h *harness, own *latency.Recorder, ask func(i int, ev map[string]any) error) {
	sent := make(map[string]time.Time, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if i >= window && !h.fake.WaitCount("chat.postMessage", i-window+1, slacktest.Wait) {
			b.Fatalf("stalled at question %d", i)
		}
		key, ev := soakQuestion(i)
		sent[key] = time.Now()
		if err := ask(i, ev); err != nil {
			b.Fatal(err)
		}
	}
	if !h.fake.WaitCount("chat.postMessage", b.N, slacktest.Wait) {
		b.Fatalf("%d answers to %d questions", h.fake.Count("chat.postMessage"), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	var lat latency.Recorder
	for _, c := range h.fake.Calls("chat.postMessage") {
		if t0, ok := sent[c.Form.Get("channel")+"/"+c.Form.Get("thread_ts")]; ok {
			lat.Add(c.At.Sub(t0))
		}
	}
	if lat.Len() != b.N {
		b.Fatalf("%d answers matched to %d questions", lat.Len(), b.N)
	}
	b.ReportMetric(ms(lat.Percentile(50)), "p50-ms")
	b.ReportMetric(ms(lat.Percentile(99)), "p99-ms")
	b.ReportMetric(ms(own.Percentile(50)), "bot-p50-ms")
	b.ReportMetric(ms(own.Percentile(99)), "bot-p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "questions/s")
}

// benchAdapter times the bot's share of each reply into own.
func benchAdapter(own *latency.Recorder) func(*Adapter) {
	return func(a *Adapter) { a.beforePost = own.Add }
}

// BenchmarkEndToEndSocketMode: a question sent by the fake as a Socket Mode
// envelope -> its answer received by the fake's chat.postMessage, through
// slack-go. "serial" asks one question at a time; "window-16" keeps 16 in
// flight.
func BenchmarkEndToEndSocketMode(b *testing.B) {
	for _, window := range []int{1, 16} {
		b.Run(windowName(window), func(b *testing.B) {
			own := &latency.Recorder{}
			h := start(b, ModeSocket, benchAdapter(own))
			e2e(b, window, h, own, func(_ int, ev map[string]any) error {
				_, err := h.fake.Deliver("events_api", ev)
				return err
			})
			h.stop(b)
		})
	}
}

// BenchmarkEndToEndHTTPMode: a question POSTed, signed, to the adapter's
// events endpoint -> its answer received by the fake's chat.postMessage.
func BenchmarkEndToEndHTTPMode(b *testing.B) {
	for _, window := range []int{1, 16} {
		b.Run(windowName(window), func(b *testing.B) { httpModeE2E(b, window) })
	}
}

// BenchmarkEndToEndHTTPModeState is BenchmarkEndToEndHTTPMode with the
// abuse limits on (high enough to let every question through) and the
// state in memory or on a real Redis on loopback: the difference between
// the two is what sharing the state through Redis adds to each reply (two
// SET NX and the limits script, in the request, before the ack).
func BenchmarkEndToEndHTTPModeState(b *testing.B) {
	limits := state.LimitConfig{UserQueries: 1 << 20, UserWindow: time.Second, ChannelQueries: 1 << 20, ChannelWindow: time.Second}
	stores := map[string]func(b *testing.B) (state.Limits, state.Dedup){
		"memory": func(*testing.B) (state.Limits, state.Dedup) {
			return state.NewMemoryLimits(limits, nil), state.NewMemoryDedup(10000, state.DefaultDedupTTL)
		},
		"redis": func(b *testing.B) (state.Limits, state.Dedup) {
			r, err := state.NewRedis(state.RedisConfig{URL: redistest.Start(b).URL, Limits: limits})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { r.Close() })
			return r, r
		},
	}
	for _, name := range []string{"memory", "redis"} {
		for _, window := range []int{1, 16} {
			b.Run(name+"/"+windowName(window), func(b *testing.B) {
				lim, seen := stores[name](b)
				httpModeE2E(b, window, func(a *Adapter) { a.lim.Limits, a.seen = lim, seen })
			})
		}
	}
}

// httpModeE2E runs e2e in HTTP mode, window questions in flight, against an
// adapter set up by tune.
func httpModeE2E(b *testing.B, window int, tune ...func(*Adapter)) {
	own := &latency.Recorder{}
	h := startHTTP(b, append(tune, benchAdapter(own))...)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: window}}
	defer client.CloseIdleConnections()
	// Posting is asynchronous, so that window questions can be on their
	// way at once, as Slack sends them.
	work := make(chan []byte, window)
	errs := make(chan error, window)
	var wg sync.WaitGroup
	for range window {
		wg.Go(func() {
			for body := range work {
				if err := postSigned(context.Background(), client, h.srv.URL+"/slack/events", body, 0); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	e2e(b, window, h.harness, own, func(_ int, ev map[string]any) error {
		select {
		case err := <-errs:
			return err
		default:
		}
		work <- jsonBody(b, ev)
		return nil
	})
	close(work)
	wg.Wait()
	h.stop(b)
}

func windowName(n int) string {
	if n == 1 {
		return "serial"
	}
	return fmt.Sprintf("window-%d", n)
}

// BenchmarkHTTPModeSignedEvents: HTTP mode's sustained rate on loopback.
// Eight clients POST Slack-signed mentions to the adapter's events endpoint
// on a real server on 127.0.0.1; each is verified, parsed, acknowledged and
// answered through the fake's chat.postMessage. req/s counts until every
// answer was delivered; acked-req/s until every request was acknowledged.
func BenchmarkHTTPModeSignedEvents(b *testing.B) {
	h := startHTTP(b)
	const clients = 8
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	bodies := make([][]byte, b.N)
	for i := range b.N {
		_, ev := soakQuestion(2 * i) // mentions: each answered in its own thread
		bodies[i] = jsonBody(b, ev)
	}
	next := make(chan int, clients)
	var wg sync.WaitGroup
	var failed sync.Once
	var failure error
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for i := range next {
				if err := postSigned(context.Background(), client, h.srv.URL+"/slack/events", bodies[i], 0); err != nil {
					failed.Do(func() { failure = err })
				}
			}
		})
	}
	for i := range b.N {
		next <- i
	}
	close(next)
	wg.Wait()
	acked := time.Since(start)
	if !h.fake.WaitCount("chat.postMessage", b.N, slacktest.Wait) {
		b.Fatalf("%d answers to %d events", h.fake.Count("chat.postMessage"), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if failure != nil {
		b.Fatal(failure)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(b.N)/acked.Seconds(), "acked-req/s")
	h.stop(b)
}
