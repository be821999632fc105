package relay

import (
	"context"

	"github.com/statusbot/statusbot/state"
)

// Limiter applies the abuse limits to one platform's questions.
type Limiter struct {
	Platform string
	Limits   state.Limits // nil: no limits
	Observer Observer
}

// Check decides on a question from user in channel of workspace (a Slack
// team, a Discord guild; empty in a direct message), and counts the
// questions held back. Keys are "platform:workspace:user" and
// "platform:workspace:channel", so one store serves every platform.
func (l Limiter) Check(ctx context.Context, workspace, user, channel string) state.Verdict {
	if l.Limits == nil {
		return state.Allow
	}
	prefix := l.Platform + ":" + workspace + ":"
	v := l.Limits.Check(ctx, prefix+user, prefix+channel)
	if v != state.Allow {
		l.Observer.RateLimited(l.Platform)
	}
	return v
}
