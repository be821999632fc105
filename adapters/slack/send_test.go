package slack

import (
	"strings"
	"testing"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

func TestResponseURLFailureLogged(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	h.fake.Fail("response", slacktest.Fault{Status: 500}, slacktest.Fault{Status: 500}, slacktest.Fault{Status: 500})
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
}
