package relay_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/statusbot/statusbot/adapters/relay"
)

type countingObserver struct {
	relay.NopObserver
	mu        sync.Mutex
	recovered []string
}

func (o *countingObserver) Recovered(platform, event string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.recovered = append(o.recovered, platform+"/"+event)
}

func TestRecoverLogsAndCountsAndCarriesOn(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	obs := &countingObserver{}
	handle := func(secret string) (answered bool) {
		defer relay.Recover(log, obs, "slack", "app_mention")
		if secret != "" {
			panic("boom")
		}
		return true
	}
	if handle("xoxb-SECRET") {
		t.Error("panicking handler reported success")
	}
	if !handle("") {
		t.Error("the next event was not handled")
	}
	if len(obs.recovered) != 1 || obs.recovered[0] != "slack/app_mention" {
		t.Errorf("recovered = %v", obs.recovered)
	}
	out := logs.String()
	if !strings.Contains(out, "platform=slack") || !strings.Contains(out, "event=app_mention") || !strings.Contains(out, "boom") {
		t.Errorf("log = %s", out)
	}
	if strings.Contains(out, "xoxb-SECRET") {
		t.Error("the log holds the event's content")
	}
}
