package relay

import (
	"context"
	"errors"
	"log/slog"
	"slices"
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
		if err := in.Go("message", func(context.Context) { <-release; done.Add(1) }); err != nil {
			t.Fatalf("Go refused work before Drain: %v", err)
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
	if err := in.Go("message", func(context.Context) { t.Error("ran after Drain") }); !errors.Is(err, ErrClosed) {
		t.Errorf("Go after Drain = %v, want ErrClosed", err)
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

// TestInflightBoundedLoad is the load test of the reply workers: a thousand
// questions at once, while every reply waits on the platform. At most
// Workers run, Queue wait in order, the rest are refused at once with
// ErrBusy (the adapter sends a "busy" notice); the queued ones run once
// workers are free. Measured in counts, not time.
func TestInflightBoundedLoad(t *testing.T) {
	const workers, queue, load = 4, 16, 1000
	in := NewWorkers("slack", nil, NopObserver{}, workers, queue)
	release := make(chan struct{})
	started := make(chan int, load)
	var running, peak atomic.Int32
	var mu sync.Mutex
	var order []int
	accepted, busy := 0, 0
	for i := range load {
		err := in.Go("message", func(context.Context) {
			n := running.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			started <- i
			<-release
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			running.Add(-1)
		})
		switch {
		case err == nil:
			accepted++
		case errors.Is(err, ErrBusy):
			busy++
		default:
			t.Fatalf("Go: %v", err)
		}
	}
	for range workers {
		<-started
	}
	select {
	case i := <-started:
		t.Fatalf("question %d started while %d workers were busy", i, workers)
	default:
	}
	if accepted != workers+queue || busy != load-workers-queue {
		t.Errorf("%d accepted, %d busy; want %d and %d", accepted, busy, workers+queue, load-workers-queue)
	}
	close(release)
	if cut := in.Drain(context.Background()); cut {
		t.Error("Drain cut replies short")
	}
	if p := peak.Load(); p != workers {
		t.Errorf("%d replies ran at once, want at most (and, under this load, exactly) %d", p, workers)
	}
	if len(order) != workers+queue {
		t.Fatalf("%d replies ran, want %d", len(order), workers+queue)
	}
	slices.Sort(order)
	for i, q := range order {
		if q != i {
			t.Errorf("replies %v ran, want the first %d questions", order, workers+queue)
			break
		}
	}
}

func TestInflightDropsQueuedWorkWhenCut(t *testing.T) {
	in := NewWorkers("discord", nil, NopObserver{}, 1, 5)
	in.Go("message_create", func(ctx context.Context) { <-ctx.Done() })
	ran := atomic.Int32{}
	for range 5 {
		in.Go("message_create", func(context.Context) { ran.Add(1) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if cut := in.Drain(ctx); !cut || ran.Load() != 0 {
		t.Errorf("Drain = cut %v, %d queued replies ran; want cut and none run once time was up", cut, ran.Load())
	}
}

func TestDrainContext(t *testing.T) {
	parent, stop := context.WithCancel(context.Background())
	ctx, cancel := DrainContext(parent, 20*time.Millisecond)
	defer cancel()
	select {
	case <-ctx.Done():
		t.Fatal("the drain's context ended before shutdown began")
	case <-time.After(50 * time.Millisecond):
	}
	stop() // shutdown begins: the drain has its timeout from now
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the drain's context did not end after its timeout")
	}
	ctx2, cancel2 := DrainContext(context.Background(), time.Hour)
	cancel2()
	if ctx2.Err() == nil {
		t.Error("cancel did not end the drain's context")
	}
}
