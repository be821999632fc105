package relay

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counter is an Observer that counts what it is told.
type counter struct {
	NopObserver
	mu        sync.Mutex
	limited   int
	recovered []string
}

func (c *counter) RateLimited(string) { c.mu.Lock(); c.limited++; c.mu.Unlock() }
func (c *counter) Recovered(p, e string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recovered = append(c.recovered, p+"/"+e)
}

var _ Observer = (*counter)(nil)

func TestInflightDrainsAndRecovers(t *testing.T) {
	obs := &counter{}
	in := NewInflight("slack", slog.New(slog.DiscardHandler), obs)
	release := make(chan struct{})
	var done atomic.Int32
	for range 3 {
		if !in.Go("message", func(context.Context) { <-release; done.Add(1) }) {
			t.Fatal("Go refused work before Drain")
		}
	}
	in.Go("app_mention", func(context.Context) { panic("boom") })
	drained := make(chan bool)
	go func() { drained <- in.Drain(context.Background()) }()
	select {
	case <-drained:
		t.Fatal("Drain returned with replies still running")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if cut := <-drained; cut || done.Load() != 3 {
		t.Errorf("Drain = cut %v with %d of 3 replies done; want all done, none cut", cut, done.Load())
	}
	if in.Go("message", func(context.Context) { t.Error("ran after Drain") }) {
		t.Error("Go took work after Drain")
	}
	if len(obs.recovered) != 1 || obs.recovered[0] != "slack/app_mention" {
		t.Errorf("recovered %v, want one panic in app_mention", obs.recovered)
	}
}

func TestInflightDrainCutsWhenTimeIsUp(t *testing.T) {
	in := NewInflight("discord", nil, NopObserver{})
	in.Go("message_create", func(ctx context.Context) { <-ctx.Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if cut := in.Drain(ctx); !cut {
		t.Error("Drain = not cut, want the waiting reply cancelled")
	}
}
