package slack

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

// soakQuestions is how many questions each soak asks: fewer under the race
// detector, which makes everything several times slower.
func soakQuestions() int {
	if raceEnabled {
		return 1000
	}
	return 5000
}

// soakQueries are answered in public, so every answer is a chat.postMessage
// whatever the resolver ranks first.
var soakQueries = []string{"429", "404", "too many requests", "5xx", "401 vs 403", "418", "2xx", "503"}

// soakQuestion is question i: a mention in one of 16 channels (answered in
// its thread) or a DM in a channel of its own. Its key is where the answer
// must land: channel/thread_ts, unique to the question.
func soakQuestion(i int) (key string, event map[string]any) {
	q := soakQueries[i%len(soakQueries)]
	ts := fmt.Sprintf("1700002000.%06d", i)
	user := fmt.Sprintf("U%03d", i%251)
	id := fmt.Sprintf("EvSoak%d", i)
	if i%2 == 0 {
		ch := fmt.Sprintf("C%02d", i%16)
		return ch + "/" + ts, slacktest.EventCallback(id, slacktest.Mention(ch, user, ts, "", "<@"+slacktest.BotUserID+"> "+q))
	}
	ch := fmt.Sprintf("D%05d", i)
	return ch + "/", slacktest.EventCallback(id, slacktest.DirectMessage(ch, user, ts, q))
}

// resources is a reading of the process's goroutines and live heap.
type resources struct {
	goroutines int
	heap       uint64
}

func measure() resources {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return resources{goroutines: runtime.NumGoroutine(), heap: m.HeapAlloc}
}

// settle waits, up to 10 s, for the process to come back within slack of
// base; goroutines of closed connections take a moment to end.
func settle(t *testing.T, what string, base resources, goroutines int, heap uint64) resources {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		now := measure()
		if now.goroutines <= base.goroutines+goroutines && now.heap <= base.heap+heap {
			return now
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%s: %d goroutines and %d KiB of heap, started at %d and %d KiB (allowed +%d, +%d KiB); goroutines:\n%s",
				what, now.goroutines, now.heap>>10, base.goroutines, base.heap>>10, goroutines, heap>>10, buf)
			return now
		}
	}
}

// checkExactlyOnce checks that every key in want got exactly one
// chat.postMessage and nothing else was posted.
func checkExactlyOnce(t *testing.T, fake *slacktest.Server, want map[string]bool) {
	t.Helper()
	got := map[string]int{}
	for _, c := range fake.Calls("chat.postMessage") {
		got[c.Form.Get("channel")+"/"+c.Form.Get("thread_ts")]++
	}
	lost, dup, stray := 0, 0, 0
	for k := range want {
		switch got[k] {
		case 0:
			lost++
		case 1:
		default:
			dup++
		}
	}
	for k := range got {
		if !want[k] {
			stray++
		}
	}
	if lost+dup+stray > 0 {
		t.Errorf("of %d questions: %d unanswered, %d answered more than once, %d stray answers", len(want), lost, dup, stray)
	}
	if n := fake.Count("chat.postEphemeral"); n != 0 {
		t.Errorf("%d ephemeral replies, want none", n)
	}
}

// checkFaults checks that the scripted 429s and 500s all happened.
func checkFaults(t *testing.T, fake *slacktest.Server, f soakFaults) {
	t.Helper()
	if failed := fake.Count("chat.postMessage:failed"); failed != f.limits+f.errors {
		t.Errorf("%d failed posts, want the %d scripted", failed, f.limits+f.errors)
	}
}

// soakFaults scripts the faults of a soak of n questions: at question i,
// the fake drops the websocket (Socket Mode only), or the next
// chat.postMessage fails with a 429 or a 500.
type soakFaults struct{ disconnects, limits, errors int }

func (f *soakFaults) inject(fake *slacktest.Server, i, n int, socket bool) {
	switch {
	case socket && i%(n/5) == n/10:
		fake.Disconnect()
		f.disconnects++
	case i%(n/4) == n/8:
		// slack-go reads Retry-After in whole seconds: 1 s is the least.
		fake.Fail("chat.postMessage", slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"})
		f.limits++
	case i%(n/20) == n/40:
		fake.Fail("chat.postMessage", slacktest.Fault{Status: http.StatusInternalServerError})
		f.errors++
	}
}

// TestSoak asks thousands of questions through slack-go and the fake, with
// dropped connections, 429s and 500s, and checks that each is answered
// exactly once and that nothing is left behind.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: thousands of questions")
	}
	// Not parallel: it counts the process's goroutines and heap.
	t.Run("socket", soakSocket)
	t.Run("http", soakHTTP)
}

func soakSocket(t *testing.T) {
	n := soakQuestions()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	testBot(t)
	fake := slacktest.NewServer(t, testBotToken, testAppToken)
	before := measure()
	// Retries as in production, but more of them: scripted faults may hit
	// one reply twice, and the point here is that none is lost.
	h := startOn(t, fake, ModeSocket, func(a *Adapter) { a.retryPolicy.Attempts = 5 })
	running := measure()

	start := time.Now()
	want := make(map[string]bool, n)
	var faults soakFaults
	const window = 200 // questions awaiting their answer, at most
	for i := range n {
		if i >= window && !fake.WaitCount("chat.postMessage", i-window, time.Until(deadline(ctx))) {
			t.Fatalf("stalled: %d answers to %d questions; %d pending, %d connections; log:\n%s", fake.Count("chat.postMessage"), i, fake.Pending(), fake.Connections(), tail(h.logs.String(), 3000))
		}
		if i < n-window {
			faults.inject(fake, i, n, true)
		}
		key, ev := soakQuestion(i)
		want[key] = true
		if _, err := fake.Deliver("events_api", ev); err != nil {
			t.Fatal(err)
		}
	}
	if !fake.WaitCount("chat.postMessage", n, time.Until(deadline(ctx))) {
		t.Fatalf("%d answers to %d questions after %v", fake.Count("chat.postMessage"), n, time.Since(start))
	}
	elapsed := time.Since(start)
	checkExactlyOnce(t, fake, want)
	checkFaults(t, fake, faults)
	// Still running, and idle: nothing per question was left behind but the
	// de-duplication keys (the connection pool to Slack may have grown).
	fake.Reset()
	settle(t, "after the questions", running, 3*maxConns+10, 8<<20)
	h.stop(t)
	answered, errs, limited, reconns := h.obs.counts()
	t.Logf("%d questions in %v (%.0f/s); faults: %d disconnects, %d 429s, %d 500s; %d envelopes redelivered; observer: %d answered, %d platform errors, %d rate limited, %d reconnections",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), faults.disconnects, faults.limits, faults.errors, fake.Redelivered(), answered, errs, limited, reconns)
	if answered != n {
		t.Errorf("observer: %d answered, want %d", answered, n)
	}
	if reconns != faults.disconnects {
		t.Errorf("observer: %d reconnections, want %d", reconns, faults.disconnects)
	}
	h.obs.mu.Lock()
	for _, op := range h.obs.errors {
		if op != "ack" { // an ack on a dropping connection may fail; Slack resends
			t.Errorf("platform error in %s", op)
		}
	}
	h.obs.mu.Unlock()

	// Stopped: back to where it started, once the test's own records go.
	fake.Reset()
	h.logs.Reset()
	h.a = nil
	after := settle(t, "after stopping", before, 2, 2<<20)
	t.Logf("goroutines %d -> %d running -> %d stopped; heap %d KiB -> %d KiB stopped",
		before.goroutines, running.goroutines, after.goroutines, before.heap>>10, after.heap>>10)
}

func soakHTTP(t *testing.T) {
	n := soakQuestions()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	testBot(t)
	fake := slacktest.NewServer(t, testBotToken, testAppToken)
	before := measure()
	h := startOn(t, fake, ModeHTTP, func(a *Adapter) { a.retryPolicy.Attempts = 5 })
	// A server of the soak's own, so that nothing holds the adapter once
	// it is closed.
	hs := h.a.Handlers()
	mux := http.NewServeMux()
	mux.Handle("POST /slack/events", hs.Events)
	srv := httptest.NewServer(mux)
	hs, mux = Handlers{}, nil
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 10 * time.Second}

	// Eight clients, as Slack delivers events concurrently; every 25th event
	// is delivered twice, the second time as Slack's retry.
	start := time.Now()
	var faults soakFaults
	want := make(map[string]bool, n)
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for range 8 {
		wg.Go(func() {
			for i := range work {
				_, ev := soakQuestion(i)
				body := jsonBody(t, ev)
				for try := range 1 + boolInt(i%25 == 0) {
					if err := postSigned(ctx, client, srv.URL+"/slack/events", body, try); err != nil {
						mu.Lock()
						failures = append(failures, err.Error())
						mu.Unlock()
					}
				}
			}
		})
	}
	const window = 200
	for i := range n {
		if i >= window && !fake.WaitCount("chat.postMessage", i-window, time.Until(deadline(ctx))) {
			t.Fatalf("stalled: %d answers to %d questions; %d pending, %d connections; log:\n%s", fake.Count("chat.postMessage"), i, fake.Pending(), fake.Connections(), tail(h.logs.String(), 3000))
		}
		if i < n-window {
			faults.inject(fake, i, n, false)
		}
		key, _ := soakQuestion(i)
		want[key] = true
		work <- i
	}
	close(work)
	wg.Wait()
	if len(failures) > 0 {
		t.Errorf("%d deliveries refused, e.g. %s", len(failures), failures[0])
	}
	if !fake.WaitCount("chat.postMessage", n, time.Until(deadline(ctx))) {
		t.Fatalf("%d answers to %d questions after %v", fake.Count("chat.postMessage"), n, time.Since(start))
	}
	elapsed := time.Since(start)
	h.stop(t)
	srv.Close()
	srv.Config.Handler = nil
	client.CloseIdleConnections()
	checkExactlyOnce(t, fake, want)
	answered, errs, _, _ := h.obs.counts()
	checkFaults(t, fake, faults)
	t.Logf("%d questions in %v (%.0f/s); faults: %d 429s, %d 500s; observer: %d answered, %d platform errors",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), faults.limits, faults.errors, answered, errs)
	if answered != n || errs != 0 {
		t.Errorf("observer: %d answered, %d platform errors; want %d, 0", answered, errs, n)
	}
	fake.Reset()
	h.logs.Reset()
	h.a = nil
	after := settle(t, "after stopping", before, 2, 2<<20)
	t.Logf("goroutines %d -> %d stopped; heap %d KiB -> %d KiB stopped", before.goroutines, after.goroutines, before.heap>>10, after.heap>>10)
}

// postSigned delivers an Events API body as Slack does, signed now; retry
// is Slack's retry number (0 for the first delivery).
func postSigned(ctx context.Context, client *http.Client, url string, body []byte, retry int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	for k, v := range slacktest.Sign(testSecret, time.Now(), body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", fmt.Sprint(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s", url, res.Status)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// deadline is ctx's deadline.
func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// tail is the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
