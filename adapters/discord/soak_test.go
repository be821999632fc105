package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// soakQuestions is how many questions TestSoak asks: fewer under the race
// detector, so that `go test -race ./...` stays quick.
func soakQuestions() int {
	if raceEnabled {
		return 400
	}
	return 5000
}

// soakPlan says, for question i, which faults its reply meets: a list of
// attempts to fail, in order, then success. About one question in twelve
// meets some; none fails more often than the adapter retries.
func soakPlan(i int, interaction bool) []discordtest.Fault {
	switch {
	case interaction && i%100 == 20:
		return []discordtest.Fault{{Status: 500, Late: true}} // answered, but the response lost
	case interaction && i%100 == 40:
		return []discordtest.Fault{{Status: 502}}
	case interaction:
		return nil
	case i%1000 == 303:
		return []discordtest.Fault{{Status: http.StatusTooManyRequests}} // discordgo waits it out (0.2 s)
	case i%50 == 7:
		return []discordtest.Fault{{Status: 500}}
	case i%50 == 17:
		return []discordtest.Fault{{Status: 500, Late: true}} // created, but the response lost
	case i%100 == 27:
		return []discordtest.Fault{{HangUp: true}}
	case i%100 == 77:
		return []discordtest.Fault{{HangUp: true, Late: true}}
	case i%100 == 37:
		return []discordtest.Fault{{Status: 503}, {Status: 500}}
	}
	return nil
}

// soakID is question i's message or interaction ID.
func soakID(i int) string { return fmt.Sprintf("7%017d", i) }

// TestSoak asks 5,000 questions (400 under -race) through discordgo and the
// fake Discord, nine in ten as message commands and one in ten as slash
// commands, spread over 32 channels, with faults on the way: gateway
// reconnections (op 7) and dropped connections, after which the client
// resumes and the fake replays what it missed; 429s; 500s and lost
// connections before and after the reply is created. Every question must be
// answered exactly once, and afterwards the process's goroutines and heap
// must come back to where they were.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: thousands of questions (about 10 s)")
	}
	// Not parallel: it counts the whole process's goroutines. Parallel
	// tests wait, paused, until the sequential ones are done.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	goroutines, heap := settle()
	t.Logf("before: %d goroutines, %.1f MB heap", goroutines, mb(heap))

	soak(ctx, t, soakQuestions())

	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		g, h := settle()
		// Slack: the runtime's and the test framework's own goroutines,
		// and about a megabyte of one-off caches (JSON codecs, the HTTP
		// transport's); a leak of 400 bytes a question exceeds it.
		if g <= goroutines+2 && h <= heap+heap/2+2<<20 {
			t.Logf("after: %d goroutines, %.1f MB heap", g, mb(h))
			return
		}
		select {
		case <-deadline.C:
			buf := make([]byte, 1<<20)
			t.Fatalf("after: %d goroutines (from %d), %.1f MB heap (from %.1f); goroutines:\n%s",
				g, goroutines, mb(h), mb(heap), buf[:runtime.Stack(buf, true)])
		case <-tick.C:
		}
	}
}

// settle collects garbage and reports the goroutine count and live heap.
func settle() (goroutines int, heap uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// soak runs the adapter against a fake and asks n questions, at most 64 at
// a time, then shuts both down.
func soak(ctx context.Context, t *testing.T, n int) {
	start := time.Now()
	f := discordtest.NewServer(t)
	var (
		mu       sync.Mutex
		answered = map[string]int{}
		attempts = map[string]int{}
		done     = make(chan struct{})
		window   = make(chan struct{}, 64)
		replies  int
	)
	// A question is answered when its reply is created or its
	// interaction acknowledged.
	answer := func(id string) {
		mu.Lock()
		defer mu.Unlock()
		answered[id]++
		if answered[id] > 1 {
			t.Errorf("question %s answered %d times", id, answered[id])
			return
		}
		replies++
		<-window
		if replies == n {
			close(done)
		}
	}
	questionOf := func(c discordtest.Call) (id string, interaction bool) {
		if strings.HasPrefix(c.Path, "/api/v9/interactions/") {
			return strings.Split(c.Path, "/")[4], true
		}
		var m discordtest.PostedMessage
		json.Unmarshal(c.Body, &m)
		if m.Reference == nil {
			return "", false
		}
		return m.Reference.MessageID, false
	}
	f.SetFault(func(method, path string, body []byte) discordtest.Fault {
		id, interaction := questionOf(discordtest.Call{Path: path, Body: body})
		if method != http.MethodPost || id == "" {
			return discordtest.Fault{}
		}
		var i int
		fmt.Sscanf(id[1:], "%d", &i)
		mu.Lock()
		k := attempts[id]
		attempts[id]++
		mu.Unlock()
		if plan := soakPlan(i, interaction); k < len(plan) {
			return plan[k]
		}
		return discordtest.Fault{}
	})
	f.Observe(func(c discordtest.Call) {
		if id, _ := questionOf(c); c.Done && id != "" {
			answer(id)
		}
	})

	obs := &countingObserver{}
	a, err := New(newTestBot(t, bot.ImagesNone), Config{
		Token: discordtest.Token, APIURL: f.APIURL, MessageCommands: true, Observer: obs,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError})),
	})
	if err != nil {
		t.Fatal(err)
	}
	a.retry = relay.Retry{Attempts: 4, Base: 2 * time.Millisecond, Max: 20 * time.Millisecond}
	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- a.Run(runCtx) }()
	f.WaitConn(t).WaitHeartbeat(t)

	// Gateway faults a quarter, half and three quarters of the way; each
	// costs a second (discordgo's Close waits that long), so under the race
	// detector only two.
	faults := map[int]func(){n / 4: f.Reconnect, n / 2: f.Drop, 3 * n / 4: f.Reconnect}
	if raceEnabled {
		faults = map[int]func(){n / 3: f.Reconnect, 2 * n / 3: f.Drop}
	}
	codes := []string{"429", "404", "500", "401 vs 403", "4xx", "help", "zzqxj", "418"}
	for i := range n {
		select {
		case window <- struct{}{}:
		case <-ctx.Done():
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("stuck after %d questions asked, %d answered", i, len(answered))
		}
		if fault := faults[i]; fault != nil {
			fault()
		}
		id := soakID(i)
		user := map[string]any{"id": fmt.Sprintf("2%017d", i%97), "username": "user"}
		channel := fmt.Sprintf("3%017d", i%32)
		if i%10 == 0 {
			ev := discordtest.SlashCommand(id, codes[i%len(codes)])
			ev["channel_id"] = channel
			f.Dispatch("INTERACTION_CREATE", ev)
		} else {
			f.Dispatch("MESSAGE_CREATE", inChannel(discordtest.Message(id, fmt.Sprintf("!http %s #%d", codes[i%len(codes)], i), user), channel))
		}
	}
	select {
	case <-done:
	case <-ctx.Done():
		mu.Lock()
		defer mu.Unlock()
		var missing []string
		for i := range n {
			if answered[soakID(i)] == 0 && len(missing) < 10 {
				missing = append(missing, soakID(i))
			}
		}
		t.Fatalf("%d of %d questions answered in time; first unanswered: %v", len(answered), n, missing)
	}
	elapsed := time.Since(start)
	stop()
	if err := <-stopped; err != nil {
		t.Errorf("Run: %v", err)
	}
	// Exactly once, as the fake saw it too.
	for i := range n {
		id := soakID(i)
		if i%10 != 0 && f.RepliesTo(id) != 1 {
			t.Errorf("question %s: %d replies created", id, f.RepliesTo(id))
		}
	}
	f.Close()
	got := obs.totalAnswered()
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if got != n || len(obs.errors) != 0 || len(obs.recovered) != 0 {
		t.Errorf("observer: %d answered (want %d), errors %v, panics %v", got, n, obs.errors, obs.recovered)
	}
	if obs.reconnected != len(faults) {
		t.Errorf("observer: %d reconnections, want %d", obs.reconnected, len(faults))
	}
	posts := 0
	for _, k := range attempts {
		posts += k
	}
	t.Logf("%d questions in %v (%.0f/s): %d replies posted in %d attempts, %d platform 429s, %d reconnections",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), len(attempts), posts, obs.rateLimited, obs.reconnected)
}
