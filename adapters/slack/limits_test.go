package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/state"
)

// withLimits gives the adapter abuse limits of 5 questions per user and 20
// per channel, on a clock that stands still so no bucket refills mid-test.
func withLimits(a *Adapter) {
	now := time.Unix(1700000000, 0)
	a.lim.Limits = state.NewMemoryLimits(state.LimitConfig{UserQueries: 5, UserWindow: 10 * time.Second, ChannelQueries: 20, ChannelWindow: 10 * time.Second},
		func() time.Time { return now })
}

func TestLimitsMentions(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket, withLimits)
	ask := func(team, user, ts string) {
		ev := slacktest.EventCallback("Ev"+team+user+ts, slacktest.Mention("C1", user, ts, "", "<@"+slacktest.BotUserID+"> 429"))
		ev["team_id"] = team
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
	}
	for i := range 8 {
		ask(slacktest.TeamID, "U1", "1700000500.00000"+string(rune('1'+i)))
	}
	// The same user id in another workspace is someone else; so is U2.
	ask("T2", "U1", "1700000501.000001")
	ask(slacktest.TeamID, "U2", "1700000501.000002")
	h.fake.WaitCalls(t, "chat.postMessage", 7)
	h.stop(t)

	posts := h.fake.Calls("chat.postMessage")
	if len(posts) != 7 {
		t.Errorf("%d answers, want 7: 5 to U1, then one each to U1 in T2 and to U2", len(posts))
	}
	notices := h.fake.Calls("chat.postEphemeral")
	if len(notices) != 1 {
		t.Fatalf("%d notices, want exactly 1 for 3 questions over the limit", len(notices))
	}
	n := notices[0]
	if n.Form.Get("user") != "U1" || n.Form.Get("channel") != "C1" {
		t.Errorf("notice to %q in %q, want U1 in C1", n.Form.Get("user"), n.Form.Get("channel"))
	}
	want := testBot(t).RateLimitedAnswer("429")
	if got := headerText(n.Blocks); got != want.Title || got == "" {
		t.Errorf("notice header = %q, want %q", got, want.Title)
	}
	if answered, _, limited, _ := h.obs.counts(); answered != 7 || limited != 3 {
		t.Errorf("observer: answered %d, rate limited %d; want 7, 3", answered, limited)
	}
}

func TestLimitsDirectMessagesAndChannel(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket, func(a *Adapter) {
		now := time.Unix(1700000000, 0)
		a.lim.Limits = state.NewMemoryLimits(state.LimitConfig{UserQueries: 2, UserWindow: time.Minute, ChannelQueries: 3, ChannelWindow: time.Minute},
			func() time.Time { return now })
	})
	dm := func(user, channel, ts string) {
		ev := slacktest.EventCallback("Ev"+ts, slacktest.DirectMessage(channel, user, ts, "404"))
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
	}
	// A user over the limit in a DM is told privately in the DM.
	for i := range 4 {
		dm("U1", "D1", "1700000600.00000"+string(rune('1'+i)))
	}
	c := h.fake.WaitCalls(t, "chat.postEphemeral", 1)[0]
	if c.Form.Get("channel") != "D1" || c.Form.Get("user") != "U1" {
		t.Errorf("notice to %q in %q, want U1 in D1", c.Form.Get("user"), c.Form.Get("channel"))
	}
	// A busy channel: the fourth asker is held back though they asked once.
	for i, u := range []string{"U2", "U3", "U4", "U5"} {
		ev := slacktest.EventCallback("EvC"+u, slacktest.Mention("C7", u, "1700000601.00000"+string(rune('1'+i)), "", "<@"+slacktest.BotUserID+"> 404"))
		h.fake.WaitAck(t, h.fake.Send(t, "events_api", ev))
	}
	h.fake.WaitCalls(t, "chat.postEphemeral", 2)
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 5 {
		t.Errorf("%d answers, want 5 (2 in D1, 3 in C7)", n)
	}
	notices := h.fake.Calls("chat.postEphemeral")
	if len(notices) != 2 || notices[1].Form.Get("user") != "U5" || notices[1].Form.Get("channel") != "C7" {
		t.Errorf("notices %v, want one to U1 in D1 and one to U5 in C7", notices)
	}
}

func TestLimitsSlashCommand(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{ModeSocket, ModeHTTP} {
		var responses [][]byte
		var h *harness
		if mode == ModeSocket {
			h = start(t, ModeSocket, withLimits)
			for range 7 {
				id := h.fake.Send(t, "slash_commands", slacktest.SlashCommand("C1", "U1", "429", h.fake.ResponseURL("cmd")))
				responses = append(responses, h.fake.WaitAck(t, id).Payload)
			}
		} else {
			hh := startHTTP(t, withLimits)
			h = hh.harness
			for range 7 {
				form := slacktest.SlashCommandForm("C1", "U1", "429", h.fake.ResponseURL("cmd")).Encode()
				_, body := hh.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte(form), testSecret, time.Now())
				responses = append(responses, body)
			}
		}
		h.stop(t)
		for i, p := range responses {
			var res struct {
				ResponseType string `json:"response_type"`
				Blocks       []any  `json:"blocks"`
			}
			if i == 6 {
				if len(p) != 0 && string(p) != "null" {
					t.Errorf("%s: response to the 7th command = %s, want none", mode, p)
				}
				continue
			}
			if err := json.Unmarshal(p, &res); err != nil || res.ResponseType != "ephemeral" {
				t.Errorf("%s: response %d = %s, want an ephemeral message", mode, i+1, p)
				continue
			}
			want := "429 Too Many Requests"
			if i == 5 {
				want = testBot(t).RateLimitedAnswer("429").Title
				if _, ok := buttons(res.Blocks)[actionShare]; ok {
					t.Errorf("%s: the notice has a share button", mode)
				}
			}
			if got := headerText(res.Blocks); got != want {
				t.Errorf("%s: response %d header = %q, want %q", mode, i+1, got, want)
			}
		}
		if answered, _, limited, _ := h.obs.counts(); answered != 5 || limited != 2 {
			t.Errorf("%s: observer: answered %d, rate limited %d; want 5, 2", mode, answered, limited)
		}
	}
}

func TestLimitsButtons(t *testing.T) {
	t.Parallel()
	h := start(t, ModeSocket, withLimits)
	for i := range 7 {
		ts := "1700000700.00000" + string(rune('1'+i))
		press := slacktest.BlockAction("C1", "U1", actionCode+"404", "404", h.fake.ResponseURL("b"+ts), ts, "", false)
		h.fake.WaitAck(t, h.fake.Send(t, "interactive", press))
	}
	h.fake.WaitCalls(t, "response", 1)
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != 5 {
		t.Errorf("%d answers to 7 presses, want 5", n)
	}
	rs := h.fake.Calls("response")
	if len(rs) != 1 {
		t.Fatalf("%d notices, want 1", len(rs))
	}
	if rs[0].JSON["response_type"] != "ephemeral" || rs[0].JSON["replace_original"] != false || rs[0].Path != "/response/b1700000700.000006" {
		t.Errorf("notice %s %v, want an ephemeral message beside the 6th press's message", rs[0].Path, rs[0].JSON)
	}
}

// TestBusyWorkers: the reply workers are bounded. While the platform holds
// every reply, questions past the workers queue, and past the queue are
// refused: counted, logged once, and told privately that the bot is busy.
// The queued ones are answered once the platform answers again.
func TestBusyWorkers(t *testing.T) {
	t.Parallel()
	const workers, queue, questions = 2, 1, 6
	h := start(t, ModeSocket, func(a *Adapter) {
		a.inflight = relay.NewWorkers("slack", a.log, a.obs, workers, queue)
	})
	release := h.fake.Hold("chat.postMessage")
	defer release()
	for i := range questions {
		ts := fmt.Sprintf("1700000500.%06d", i)
		h.mention(t, "EvBusy"+ts, "C6", ts, "", "<@"+slacktest.BotUserID+"> 429")
		if i < workers {
			h.fake.WaitCalls(t, "chat.postMessage:held", i+1)
		}
	}
	busy := questions - workers - queue
	notices := h.fake.WaitCalls(t, "chat.postEphemeral", busy)
	for _, c := range notices {
		if !strings.Contains(c.Text, testBot(t).BusyAnswer("").Title) || c.Form.Get("channel") != "C6" {
			t.Errorf("notice %q in %s, want the busy notice in C6", c.Text, c.Form.Get("channel"))
		}
	}
	release()
	h.fake.WaitCalls(t, "chat.postMessage", workers+queue)
	h.stop(t)
	if n := len(h.fake.Calls("chat.postMessage")); n != workers+queue {
		t.Errorf("%d answers, want %d (the workers' and the queue's)", n, workers+queue)
	}
	if n := h.obs.refusals("busy"); n != busy {
		t.Errorf("%d questions counted as refused busy, want %d", n, busy)
	}
	if n := strings.Count(h.logs.String(), "question refused"); n != 1 {
		t.Errorf("%d log lines for %d refusals, want 1", n, busy)
	}
}
