package relay

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Errors of Inflight.Go.
var (
	// ErrBusy: the workers are all busy and the queue is full.
	ErrBusy = errors.New("relay: busy")
	// ErrClosed: Drain has begun; nothing new is taken.
	ErrClosed = errors.New("relay: shutting down")
)

// Inflight runs an adapter's replies in goroutines of their own, recovers
// a panic in any of them, and at shutdown waits for those still running.
// It may bound them: at most Workers at once, up to Queue more waiting
// their turn, in order; past that, Go refuses work, and the adapter
// answers with a short "busy" notice instead.
type Inflight struct {
	platform string
	log      *slog.Logger
	obs      Observer
	workers  int // at most this many at once; 0 for no bound
	queue    int // waiting, at most

	ctx    context.Context // the replies' own: cancelled when Drain gives up
	cancel context.CancelFunc

	mu      sync.Mutex // guards what follows, and wg.Add
	closing bool
	running int   // workers running
	pending []job // waiting for a worker, oldest first
	wg      sync.WaitGroup
}

// job is one piece of work taken by Go.
type job struct {
	event string
	f     func(ctx context.Context)
}

// NewInflight returns an Inflight without bounds whose panics are logged to
// log and counted by obs under platform.
func NewInflight(platform string, log *slog.Logger, obs Observer) *Inflight {
	return NewWorkers(platform, log, obs, 0, 0)
}

// NewWorkers returns an Inflight that runs at most workers pieces of work at
// once (0 for no bound), and queues up to queue more.
func NewWorkers(platform string, log *slog.Logger, obs Observer, workers, queue int) *Inflight {
	ctx, cancel := context.WithCancel(context.Background())
	return &Inflight{platform: platform, log: log, obs: obs, workers: workers, queue: queue, ctx: ctx, cancel: cancel}
}

// Go runs f in a goroutine of its own when a worker is free, or queues it
// when the queue has room; it returns ErrBusy when neither, and ErrClosed
// once Drain has begun. f's context ends when Drain gives up waiting for
// it. A panic in f is recovered, logged and counted (see Recover) under
// event, the kind of event f handles.
func (t *Inflight) Go(event string, f func(ctx context.Context)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	j := job{event: event, f: f}
	switch {
	case t.closing:
		return ErrClosed
	case t.workers <= 0 || t.running < t.workers:
		t.running++
		t.wg.Add(1)
		go t.work(j)
	case len(t.pending) < t.queue:
		t.wg.Add(1)
		t.pending = append(t.pending, j)
	default:
		return ErrBusy
	}
	return nil
}

// Accepting reports whether Go may still take work (Drain has not begun).
// Work may be refused all the same if the workers are busy.
func (t *Inflight) Accepting() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return !t.closing
}

// work runs j, then what is queued, until the queue is empty. Work still
// queued when Drain gives up is dropped unrun: its context has ended.
func (t *Inflight) work(j job) {
	for {
		if t.ctx.Err() == nil {
			t.run(j)
		}
		t.wg.Done()
		t.mu.Lock()
		if len(t.pending) == 0 {
			t.running--
			t.mu.Unlock()
			return
		}
		j = t.pending[0]
		t.pending[0] = job{}
		t.pending = t.pending[1:]
		t.mu.Unlock()
	}
}

func (t *Inflight) run(j job) {
	defer Recover(t.log, t.obs, t.platform, j.event)
	j.f(t.ctx)
}

// Drain stops Go from starting more and waits for what runs and what is
// queued. When ctx ends first, it cancels the context of what is left,
// waits for it to return (dropping what has not started), and reports
// true: replies were cut short.
func (t *Inflight) Drain(ctx context.Context) (cut bool) {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
	done := make(chan struct{})
	go func() {
		t.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		cut = true
		t.cancel()
		<-done
	}
	t.cancel()
	return cut
}

// DrainAll drains each of pools (see Drain) until ctx ends, and reports
// whether any replies were cut short.
func DrainAll(ctx context.Context, pools ...*Inflight) (cut bool) {
	for _, p := range pools {
		cut = p.Drain(ctx) || cut
	}
	return cut
}

// DrainContext returns the context of an adapter's drain at shutdown: it
// ends timeout after parent does (shutdown began), so that the time spent
// closing connections counts against it, or when cancel is called.
func DrainContext(parent context.Context, timeout time.Duration) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancelCtx := context.WithCancel(context.Background())
	stop := context.AfterFunc(parent, func() {
		t := time.AfterFunc(timeout, cancelCtx)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	return ctx, func() {
		stop()
		cancelCtx()
	}
}
