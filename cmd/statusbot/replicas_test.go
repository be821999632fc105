package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord"
	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/slack"
	"github.com/statusbot/statusbot/adapters/slack/slacktest"
	"github.com/statusbot/statusbot/internal/redistest"
)

// Several `statusbot run` in one process sharing one real redis-server:
// the replicas of a scaled-out deployment.

const replicaSecret = "replica-signing-secret"

// startReplicas starts n bots serving platforms with vars, each with its
// own HTTP server, and waits until each is ready.
func startReplicas(t *testing.T, n int, ps []platform, vars map[string]string) []*testBot {
	t.Helper()
	var bots []*testBot
	for range n {
		tb := startBot(t, ps, vars, nil)
		waitReadyz(t, tb, http.StatusOK)
		bots = append(bots, tb)
	}
	return bots
}

// startSlackReplicas starts a Redis, a fake Slack and n replicas in
// Slack's HTTP mode sharing them, configured further by vars.
func startSlackReplicas(t *testing.T, n int, vars map[string]string) (*redistest.Server, *slacktest.Server, []*testBot) {
	t.Helper()
	srv := redistest.Start(t)
	fake := slacktest.NewServer(t, slackE2EBotToken, slackE2EAppToken)
	all := map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN":      slackE2EBotToken,
		"STATUSBOT_SLACK_MODE":           "http",
		"STATUSBOT_SLACK_SIGNING_SECRET": replicaSecret,
		"STATUSBOT_SLACK_API_URL":        fake.APIURL,
		"STATUSBOT_STATE_REDIS_URL":      srv.URL,
	}
	for k, v := range vars {
		all[k] = v
	}
	return srv, fake, startReplicas(t, n, []platform{slackPlatform}, all)
}

// mention is event id: user asking the bot text in channel, at ts.
func mention(id, channel, user, ts, text string) map[string]any {
	return slacktest.EventCallback(id, slacktest.Mention(channel, user, ts, "", "<@"+slacktest.BotUserID+"> "+text))
}

// noLimits turns the abuse limits off, for tests where one user asks a lot.
var noLimits = map[string]string{"STATUSBOT_RATELIMIT_USER_QUERIES": "0", "STATUSBOT_RATELIMIT_CHANNEL_QUERIES": "0"}

// post sends body to the bot's path with headers, and returns the status
// and the response body.
func post(t *testing.T, tb *testBot, path string, body []byte, h http.Header) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, "http://"+tb.addr+path, bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// postSlackEvent delivers a signed Events API event to tb; retry > 0 marks
// it as Slack's retry number retry.
func postSlackEvent(t *testing.T, tb *testBot, ev map[string]any, retry int) {
	body := mustJSON(t, ev)
	h := slacktest.Sign(replicaSecret, time.Now(), body)
	if retry > 0 {
		h.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		h.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	if status, out := post(t, tb, slack.PathEvents, body, h); status != http.StatusOK {
		t.Errorf("event delivery: %d %s, want 200", status, out)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Error(err)
	}
	return b
}

// stopAll stops the bots, which finishes their replies in flight.
func stopAll(t *testing.T, bots []*testBot) {
	t.Helper()
	for _, tb := range bots {
		tb.cancel()
		if err := tb.wait(t); err != nil {
			t.Errorf("run: %v", err)
		}
	}
}

// countByThread counts the fake's calls of method by the thread they
// answered in.
func countByThread(fake *slacktest.Server, method string) map[string]int {
	n := map[string]int{}
	for _, c := range fake.Calls(method) {
		n[c.Form.Get("thread_ts")]++
	}
	return n
}

// TestReplicasAnswerSlackEventsOnce: three replicas in Slack's HTTP mode
// share one Redis. The same signed event is delivered to all three at
// once, 100 times over, and another is retried to replicas other than the
// one that had it: each is posted exactly once.
func TestReplicasAnswerSlackEventsOnce(t *testing.T) {
	t.Parallel()
	_, fake, bots := startSlackReplicas(t, 3, noLimits)

	const events = 100
	for i := range events {
		ts := fmt.Sprintf("1700000400.%06d", i)
		ev := mention(fmt.Sprint("EvOnce", i), "C1", "U1", ts, "429")
		var wg sync.WaitGroup
		for _, tb := range bots {
			wg.Go(func() { postSlackEvent(t, tb, ev, 0) })
		}
		wg.Wait()
	}
	retried := mention("EvRetried", "C1", "U1", "1700000500.000001", "404")
	postSlackEvent(t, bots[0], retried, 0)
	postSlackEvent(t, bots[1], retried, 1)
	postSlackEvent(t, bots[2], retried, 2)

	stopAll(t, bots)
	posted := countByThread(fake, "chat.postMessage")
	if len(posted) != events+1 {
		t.Errorf("%d events answered, want %d", len(posted), events+1)
	}
	for thread, n := range posted {
		if n != 1 {
			t.Errorf("event in thread %s answered %d times, want once", thread, n)
		}
	}
}

// TestReplicasAnswerDiscordInteractionsOnce: the same for Discord's HTTP
// interactions endpoint, where the answer is the response itself: of the
// three replicas one answers each interaction, the others refuse it.
func TestReplicasAnswerDiscordInteractionsOnce(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"STATUSBOT_DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "STATUSBOT_STATE_REDIS_URL": srv.URL}
	for k, v := range noLimits {
		vars[k] = v
	}
	bots := startReplicas(t, 3, []platform{discordPlatform}, vars)
	// deliver posts the interaction to the bots at once and returns how
	// many answered it.
	deliver := func(body []byte, to ...*testBot) int {
		h := discordtest.Sign(priv, time.Now(), body)
		var mu sync.Mutex
		answered := 0
		var wg sync.WaitGroup
		for _, tb := range to {
			wg.Go(func() {
				status, out := post(t, tb, discord.PathInteractions, body, h.Clone())
				var resp struct {
					Type int `json:"type"`
				}
				switch {
				case status == http.StatusOK && json.Unmarshal(out, &resp) == nil && resp.Type == 4:
					mu.Lock()
					answered++
					mu.Unlock()
				case status != http.StatusConflict:
					t.Errorf("delivery: %d %s, want an answer or 409", status, out)
				}
			})
		}
		wg.Wait()
		return answered
	}
	for i := range 100 {
		body := mustJSON(t, discordtest.SlashCommand(fmt.Sprint(940000000000000000+i), "429"))
		if n := deliver(body, bots...); n != 1 {
			t.Errorf("interaction %d answered by %d replicas, want 1", i, n)
		}
	}
	again := mustJSON(t, discordtest.SlashCommand("941000000000000000", "404"))
	if n := deliver(again, bots[0]); n != 1 {
		t.Errorf("first delivery answered %d times, want once", n)
	}
	if n := deliver(again, bots[1]) + deliver(again, bots[2]); n != 0 {
		t.Errorf("delivered again to the other replicas: answered %d times, want 0", n)
	}
}

// TestReplicasShareLimits: with 5 questions a minute per user, 20 from one
// user spread over three replicas at once get 5 answers and one notice.
func TestReplicasShareLimits(t *testing.T) {
	t.Parallel()
	_, fake, bots := startSlackReplicas(t, 3, map[string]string{
		"STATUSBOT_RATELIMIT_USER_QUERIES": "5", "STATUSBOT_RATELIMIT_USER_WINDOW": "1m",
	})
	var wg sync.WaitGroup
	for i := range 20 {
		ts := fmt.Sprintf("1700000600.%06d", i)
		ev := mention(fmt.Sprint("EvLimit", i), "C2", "U2", ts, "503")
		wg.Go(func() { postSlackEvent(t, bots[i%3], ev, 0) })
	}
	wg.Wait()
	stopAll(t, bots)
	if answers, notices := fake.Count("chat.postMessage"), fake.Count("chat.postEphemeral"); answers != 5 || notices != 1 {
		t.Errorf("%d answers and %d notices, want 5 and 1", answers, notices)
	}
}

// TestReplicasRideOutRedisFailure kills Redis under two replicas in the
// middle of a run: they keep answering, count the failures and say so in
// /readyz while staying ready; once Redis is back they share state again,
// without a restart.
func TestReplicasRideOutRedisFailure(t *testing.T) {
	t.Parallel()
	srv, fake, bots := startSlackReplicas(t, 2, noLimits)
	n := 0
	ask := func(to ...*testBot) {
		ts := fmt.Sprintf("1700000700.%06d", n)
		ev := mention(fmt.Sprint("EvFault", n), "C3", "U3", ts, "500")
		n++
		var wg sync.WaitGroup
		for _, tb := range to {
			wg.Go(func() { postSlackEvent(t, tb, ev, 0) })
		}
		wg.Wait()
	}
	for range 5 {
		ask(bots...)
	}
	fake.WaitCalls(t, "chat.postMessage", 5)
	if _, body := bots[0].get(t, "/readyz"); !strings.Contains(body, "state: redis") {
		t.Errorf("/readyz with Redis up = %q, want it to say state: redis", body)
	}

	srv.Kill()
	for i := range 10 {
		ask(bots[i%2]) // each event to one replica: its own memory decides
	}
	fake.WaitCalls(t, "chat.postMessage", 15)
	for i, tb := range bots {
		code, body := tb.get(t, "/readyz")
		if code != http.StatusOK || !strings.Contains(body, "state: degraded") {
			t.Errorf("replica %d /readyz with Redis down = %d %q, want 200 and state: degraded", i, code, body)
		}
		_, metrics := tb.get(t, "/metrics")
		if v := metricValue(metrics, `statusbot_state_errors_total{op="dedup"}`); v == "" || v == "0" {
			t.Errorf("replica %d: statusbot_state_errors_total{op=\"dedup\"} = %q, want it above 0", i, v)
		}
		if v := metricValue(metrics, `statusbot_state_seconds_count{op="dedup"}`); v == "" || v == "0" {
			t.Errorf("replica %d: statusbot_state_seconds_count{op=\"dedup\"} = %q, want the calls timed", i, v)
		}
	}

	srv.Restart(t)
	for i, tb := range bots {
		deadline := time.Now().Add(wait)
		for {
			_, body := tb.get(t, "/readyz")
			if strings.Contains(body, "state: redis") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %d: /readyz = %q %s after Redis came back, want state: redis", i, body, wait)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// Shared again: each event delivered to both is answered once.
	for range 5 {
		ask(bots...)
	}
	stopAll(t, bots)
	if got := fake.Count("chat.postMessage"); got != 20 {
		t.Errorf("%d answers to 20 events, want 20: each once", got)
	}
	for thread, n := range countByThread(fake, "chat.postMessage") {
		if n != 1 {
			t.Errorf("event in thread %s answered %d times, want once", thread, n)
		}
	}
}
