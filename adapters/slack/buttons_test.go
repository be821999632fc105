package slack

import (
	"testing"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

func TestSocketButtons(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket)
	send := func(payload map[string]any) { h.fake.WaitAck(t, h.fake.Send(t, "interactive", payload)) }

	// A suggestion on a public reply: the code is answered in that thread.
	send(slacktest.BlockAction("C1", "U1", actionCode+"404", "404", h.fake.ResponseURL("pub"), "1700000010.000001", "1700000009.000001", false))
	c := h.fake.WaitCalls(t, "chat.postMessage", 1)[0]
	if got := headerText(c.Blocks); got != "404 Not Found" {
		t.Errorf("suggestion: header = %q, want 404 Not Found", got)
	}
	if c.Form.Get("channel") != "C1" || c.Form.Get("thread_ts") != "1700000009.000001" {
		t.Errorf("suggestion: posted to %q thread %q, want C1 thread 1700000009.000001", c.Form.Get("channel"), c.Form.Get("thread_ts"))
	}

	// A suggestion on a private answer replaces it, privately.
	send(slacktest.BlockAction("C1", "U1", actionCode+"410", "410", h.fake.ResponseURL("eph"), "1700000011.000001", "", true))
	r := h.fake.WaitCalls(t, "response", 1)[0]
	if r.Path != "/response/eph" || r.JSON["response_type"] != "ephemeral" || r.JSON["replace_original"] != true {
		t.Errorf("private suggestion: %s %v, want /response/eph ephemeral replace_original", r.Path, r.JSON)
	}
	if got := headerText(r.Blocks); got != "410 Gone" {
		t.Errorf("private suggestion: header = %q, want 410 Gone", got)
	}
	if v := buttons(r.Blocks)[actionShare]; v != "c:410" {
		t.Errorf("private suggestion: share value = %q, want c:410", v)
	}

	// Share posts the answer in the channel, then deletes the private copy.
	send(slacktest.BlockAction("C1", "U1", actionShare, "q:429", h.fake.ResponseURL("share"), "1700000012.000001", "", true))
	rs := h.fake.WaitCalls(t, "response", 3)[1:]
	if rs[0].JSON["response_type"] != "in_channel" || rs[0].JSON["replace_original"] != false {
		t.Errorf("share: first response %v, want in_channel without replace_original", rs[0].JSON)
	}
	if got := headerText(rs[0].Blocks); got != "429 Too Many Requests" {
		t.Errorf("share: header = %q, want 429 Too Many Requests", got)
	}
	if _, ok := buttons(rs[0].Blocks)[actionShare]; ok {
		t.Error("share: the public answer has a share button")
	}
	if rs[1].JSON["delete_original"] != true {
		t.Errorf("share: second response %v, want delete_original", rs[1].JSON)
	}

	// A forged value is ignored.
	send(slacktest.BlockAction("C1", "U1", actionCode+"999", "<!channel>", h.fake.ResponseURL("bad"), "1700000013.000001", "", false))
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	if n := len(h.fake.Calls("response")); n != 3 {
		t.Errorf("%d responses, want 3", n)
	}
}
