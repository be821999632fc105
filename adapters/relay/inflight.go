package relay

import (
	"context"
	"log/slog"
	"sync"
)

// Inflight runs an adapter's replies in goroutines of their own, recovers
// a panic in any of them, and at shutdown waits for those still running.
type Inflight struct {
	platform string
	log      *slog.Logger
	obs      Observer

	ctx    context.Context // the replies' own: cancelled when Drain gives up
	cancel context.CancelFunc

	mu      sync.Mutex // guards closing and wg.Add
	closing bool
	wg      sync.WaitGroup
}

// NewInflight returns an Inflight whose panics are logged to log and
// counted by obs under platform.
func NewInflight(platform string, log *slog.Logger, obs Observer) *Inflight {
	ctx, cancel := context.WithCancel(context.Background())
	return &Inflight{platform: platform, log: log, obs: obs, ctx: ctx, cancel: cancel}
}

// Go runs f in a goroutine of its own, unless Drain has begun, and reports
// whether it did. f's context ends when Drain gives up waiting for it. A
// panic in f is recovered, logged and counted (see Recover) under event,
// the kind of event f handles.
func (t *Inflight) Go(event string, f func(ctx context.Context)) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing {
		return false
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		defer Recover(t.log, t.obs, t.platform, event)
		f(t.ctx)
	}()
	return true
}

// Drain stops Go from starting more and waits for what runs. When ctx
// ends first, it cancels the context of what is left, waits for it to
// return, and reports true: replies were cut short.
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
