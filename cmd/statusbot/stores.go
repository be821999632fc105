package main

import (
	"context"
	"log/slog"

	"github.com/statusbot/statusbot/state"
)

// dedupKeys bounds the in-memory record of events answered, shared by
// every platform: 20,000 keys are a few MiB. Each is kept
// state.DefaultDedupTTL, 15 minutes, which outlasts Slack's retries of an
// event (the last about five minutes after the first) and the five minutes
// either side of now in which a signed request is accepted.
const dedupKeys = 20000

// stores are what the adapters remember between questions: the abuse
// limits and the events answered. They live in this process's memory, or,
// with state.redis_url, on a Redis server every replica shares, with the
// memory ones deciding while Redis cannot.
type stores struct {
	limits state.Limits
	dedup  state.Dedup
	redis  *state.Redis // nil: memory only
}

// newStores builds the stores cfg asks for. With Redis it checks the
// connection, but a Redis that does not answer yet is no reason to stop:
// the store warns, and decides locally until it answers.
func newStores(ctx context.Context, cfg *Config, log *slog.Logger, obs state.Observer) (*stores, error) {
	s := &stores{
		limits: state.NewMemoryLimits(cfg.RateLimit.limits(), nil),
		dedup:  state.NewMemoryDedup(dedupKeys, state.DefaultDedupTTL),
	}
	if cfg.State.RedisURL == "" {
		return s, nil
	}
	state.SetRedisLogger(log)
	r, err := state.NewRedis(state.RedisConfig{
		URL:         cfg.State.RedisURL,
		Password:    cfg.State.RedisPassword,
		Limits:      cfg.RateLimit.limits(),
		LocalLimits: s.limits,
		LocalDedup:  s.dedup,
		Logger:      log,
		Observer:    obs,
	})
	if err != nil {
		return nil, &exitError{code: 2, err: badKey("state.redis_url", "%v", err)}
	}
	s.limits, s.dedup, s.redis = r, r, r
	if r.Ping(ctx) == nil {
		log.Info("state: shared through redis", "addr", r.Addr())
	}
	return s, nil
}

// describe is the stores' line in /readyz: empty in memory, else whether
// Redis answers. A degraded store does not make the bot unready: it
// answers all the same, from its own memory.
func (s *stores) describe(ctx context.Context) string {
	if s.redis == nil {
		return ""
	}
	if err := s.redis.Health(ctx); err != nil {
		return "state: degraded: " + err.Error() + "; each replica decides from its own memory"
	}
	return "state: redis"
}

// close closes the connections to Redis, if any.
func (s *stores) close() {
	if s.redis != nil {
		_ = s.redis.Close()
	}
}
