package state

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/internal/latency"
	"github.com/statusbot/statusbot/internal/redistest"
)

// BenchmarkQuestion is what the state costs one question: the calls a
// Slack event makes (First for its message, First for its event id, then
// Check), in memory and on Redis on loopback. The difference is the
// latency Redis adds per question. "serial" asks one question at a time,
// "paced" 1,000 a second (twenty times Discord's REST limit for a bot),
// and "concurrent-16" keeps 16 in flight, which saturates both cores.
func BenchmarkQuestion(b *testing.B) {
	limits := LimitConfig{UserQueries: 5, UserWindow: 10 * time.Second, ChannelQueries: 20, ChannelWindow: 10 * time.Second}
	stores := []struct {
		name string
		new  func(b *testing.B) (Limits, Dedup)
	}{
		{"memory", func(*testing.B) (Limits, Dedup) {
			return NewMemoryLimits(limits, nil), NewMemoryDedup(10000, DefaultDedupTTL)
		}},
		{"redis", func(b *testing.B) (Limits, Dedup) {
			srv := redistest.Start(b)
			r, err := NewRedis(RedisConfig{URL: srv.URL, Limits: limits})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { r.Close() })
			if err := r.Ping(context.Background()); err != nil {
				b.Fatal(err)
			}
			return r, r
		}},
	}
	for _, s := range stores {
		for _, load := range []struct {
			name     string
			inFlight int
			every    time.Duration // the pace; 0 for as fast as they go
		}{{"serial", 1, 0}, {"paced", 16, time.Millisecond}, {"concurrent-16", 16, 0}} {
			b.Run(s.name+"/"+load.name, func(b *testing.B) {
				lim, dedup := s.new(b)
				ctx := context.Background()
				var lat latency.Recorder
				questions := make(chan int)
				var wg sync.WaitGroup
				for range load.inFlight {
					wg.Go(func() {
						for i := range questions {
							// Every question from a user and channel of its
							// own, so that each is allowed, as most are.
							start := time.Now()
							dedup.First(ctx, fmt.Sprintf("msg:C%d:1700000000.%06d", i, i))
							dedup.First(ctx, fmt.Sprint("event:Ev", i))
							if lim.Check(ctx, fmt.Sprint("slack:T1:U", i), fmt.Sprint("slack:T1:C", i)) != Allow {
								b.Errorf("question %d held back", i)
							}
							lat.Add(time.Since(start))
						}
					})
				}
				var tick <-chan time.Time
				if load.every > 0 {
					t := time.NewTicker(load.every)
					defer t.Stop()
					tick = t.C
				}
				i := 0
				for b.Loop() {
					if tick != nil {
						<-tick
					}
					questions <- i
					i++
				}
				close(questions)
				wg.Wait()
				b.ReportMetric(float64(lat.Percentile(50))/1e3, "p50-µs")
				b.ReportMetric(float64(lat.Percentile(99))/1e3, "p99-µs")
			})
		}
	}
}
