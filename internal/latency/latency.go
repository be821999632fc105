// Package latency collects durations from many goroutines, for benchmarks
// that report percentiles.
package latency

import (
	"slices"
	"sync"
	"time"
)

// Recorder collects durations; it is safe for concurrent use.
type Recorder struct {
	mu sync.Mutex
	d  []time.Duration
}

// Add records one duration.
func (r *Recorder) Add(d time.Duration) {
	r.mu.Lock()
	r.d = append(r.d, d)
	r.mu.Unlock()
}

// Len is the number of durations recorded.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.d)
}

// Reset forgets what was recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.d = nil
	r.mu.Unlock()
}

// Percentile is the p-th percentile (0..100) of the durations recorded,
// or 0 if there are none.
func (r *Recorder) Percentile(p float64) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.d) == 0 {
		return 0
	}
	slices.Sort(r.d)
	return r.d[min(len(r.d)-1, int(float64(len(r.d))*p/100))]
}
