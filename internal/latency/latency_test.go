package latency

import (
	"sync"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var r Recorder
	if r.Percentile(50) != 0 {
		t.Error("Percentile of nothing is not 0")
	}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() { r.Add(time.Duration(100-i) * time.Millisecond) })
	}
	wg.Wait()
	if r.Len() != 100 || r.Percentile(50) != 51*time.Millisecond || r.Percentile(99) != 100*time.Millisecond || r.Percentile(0) != time.Millisecond {
		t.Errorf("%d durations: p0 %v, p50 %v, p99 %v", r.Len(), r.Percentile(0), r.Percentile(50), r.Percentile(99))
	}
	r.Reset()
	if r.Len() != 0 {
		t.Error("Reset kept durations")
	}
}
