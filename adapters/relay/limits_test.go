package relay

import (
	"context"
	"testing"
	"time"

	"github.com/statusbot/statusbot/state"
)

func TestLimiter(t *testing.T) {
	ctx := context.Background()
	obs := &counter{}
	l := Limiter{Platform: "slack", Observer: obs,
		Limits: state.NewMemoryLimits(state.LimitConfig{UserQueries: 1, UserWindow: time.Hour}, nil)}
	got := []state.Verdict{l.Check(ctx, "T1", "U1", "C1"), l.Check(ctx, "T1", "U1", "C1"), l.Check(ctx, "T1", "U1", "C1"),
		l.Check(ctx, "T2", "U1", "C1")} // the same id in another workspace is someone else
	want := []state.Verdict{state.Allow, state.Notify, state.Drop, state.Allow}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("verdicts %v, want %v", got, want)
			break
		}
	}
	if obs.limited != 2 {
		t.Errorf("%d questions counted as held back, want 2", obs.limited)
	}
	if v := (Limiter{Platform: "discord", Observer: obs}).Check(ctx, "", "U1", "C1"); v != state.Allow {
		t.Errorf("no limits: %v", v)
	}
}
