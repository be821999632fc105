// Package state is what the chat adapters remember between questions: how
// often each user and channel asked (the abuse limits), and which events
// were already answered (de-duplication). The adapters use it through two
// small interfaces, Limits and Dedup. This package implements them in
// memory, which is all one process needs, and on Redis (Redis), which
// several replicas share so that they behave as one bot.
//
// Methods take a context and return no error: a store that fails decides
// from local state instead, because answering twice in a rare outage is
// better than not answering.
package state

import "context"

// Verdict is the abuse limits' decision on one question.
type Verdict int

// The verdicts.
const (
	Allow  Verdict = iota // answer it
	Notify                // limited: tell the user once, privately
	Drop                  // limited and already told: stay silent
)

func (v Verdict) String() string {
	switch v {
	case Allow:
		return "allow"
	case Notify:
		return "notify"
	case Drop:
		return "drop"
	}
	return "verdict(?)"
}

// Limits holds back users and channels that ask too fast.
type Limits interface {
	// Check decides whether user may ask a question in channel now. The
	// caller qualifies both keys by platform and workspace (e.g.
	// "slack:T1:U2"), so that one store can serve every platform.
	Check(ctx context.Context, user, channel string) Verdict
}

// Dedup remembers keys for a while, so that an event delivered more than
// once is answered once.
type Dedup interface {
	// First reports whether key is new: true the first time it is seen
	// within the store's time to live, false after that. Either way the
	// key is remembered.
	First(ctx context.Context, key string) bool
}
