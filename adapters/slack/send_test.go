package slack

import (
	"strings"
	"testing"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

// TestResponseURLFailureLogged: a response URL is a credential, so a post
// to one that fails, with a 5xx or on the network, is logged with its
// operation, channel and cause, never with the URL.
func TestResponseURLFailureLogged(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]slacktest.Fault{"500": {Status: 500}, "connection lost": {HangUp: true}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := start(t, ModeSocket)
			h.fake.Fail("response", fault, fault, fault)
			h.fake.WaitAck(t, h.fake.Send(t, "interactive",
				slacktest.BlockAction("C8", "U1", actionShare, "q:429", h.fake.ResponseURL("secret-capability"), "1700000300.000001", "", true)))
			h.stop(t)
			if n := len(h.fake.Calls("response")); n != 0 {
				t.Errorf("%d responses delivered, want 0", n)
			}
			logs := h.logs.String()
			if strings.Contains(logs, "secret-capability") || !strings.Contains(logs, "channel=C8") || !strings.Contains(logs, "op=response_url") {
				t.Errorf("log leaks the response URL or lacks channel and op:\n%s", logs)
			}
			if _, errs, _, _ := h.obs.counts(); errs != 1 {
				t.Errorf("observer: %d platform errors, want 1", errs)
			}
		})
	}
}
