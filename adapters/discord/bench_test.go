package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/internal/latency"
)

// report adds r's 50th and 99th percentiles, in microseconds, as metrics
// named prefix+"p50-us" and prefix+"p99-us".
func report(b *testing.B, r *latency.Recorder, prefix string) {
	if r.Len() == 0 {
		b.Fatalf("no %slatencies recorded", prefix)
	}
	us := func(p float64) float64 { return float64(r.Percentile(p).Nanoseconds()) / 1e3 }
	b.ReportMetric(us(50), prefix+"p50-us")
	b.ReportMetric(us(99), prefix+"p99-us")
}

// BenchmarkEndToEndGateway injects MESSAGE_CREATE message commands into the
// fake gateway and waits for each reply's POST /channels/{id}/messages:
// latency from the dispatch to the posted reply (p50, p99), questions per
// second, and the bot's own share (own-p50, own-p99: from the event reaching
// the adapter to the reply's REST call being issued). Three loads: one
// question at a time; 1,000 a second (twenty times the 50 REST calls a
// second Discord allows a bot); and as fast as 32 in flight go, which
// saturates both cores, shared with the fake Discord and the load.
//
//	go test -run XXX -bench EndToEndGateway -benchtime 5000x ./adapters/discord/
func BenchmarkEndToEndGateway(b *testing.B) {
	for _, load := range []struct {
		name     string
		inflight int
		every    time.Duration // pace: one question per every, if set
	}{
		{"serial", 1, 0},
		{"1000qps", 64, time.Millisecond},
		{"inflight=32", 32, 0},
	} {
		inflight := load.inflight
		b.Run(load.name, func(b *testing.B) {
			own := &latency.Recorder{}
			g := startGateway(b, func(c *Config) { c.Logger = slog.New(slog.DiscardHandler) },
				func(a *Adapter) { a.ownShare = own.Add })
			var (
				mu     sync.Mutex
				sent   = map[string]time.Time{}
				window = make(chan struct{}, inflight)
				all    = &latency.Recorder{}
				wg     sync.WaitGroup
			)
			g.f.Observe(func(c discordtest.Call) {
				var m discordtest.PostedMessage
				if !c.Done || json.Unmarshal(c.Body, &m) != nil || m.Reference == nil {
					return
				}
				now := time.Now()
				mu.Lock()
				t0, ok := sent[m.Reference.MessageID]
				delete(sent, m.Reference.MessageID)
				mu.Unlock()
				if ok {
					all.Add(now.Sub(t0))
					<-window
					wg.Done()
				}
			})
			codes := []string{"429", "404", "500", "503", "401 vs 403", "4xx", "too many requests", "418"}
			i := 0
			start := time.Now()
			for b.Loop() {
				if load.every > 0 {
					if wait := time.Until(start.Add(time.Duration(i) * load.every)); wait > 0 {
						time.Sleep(wait)
					}
				}
				window <- struct{}{}
				wg.Add(1)
				id := fmt.Sprintf("6%017d", i)
				ev := inChannel(discordtest.Message(id, "!http "+codes[i%len(codes)], nil), fmt.Sprintf("3%017d", i%32))
				mu.Lock()
				sent[id] = time.Now()
				mu.Unlock()
				g.f.Dispatch("MESSAGE_CREATE", ev)
				i++
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.ReportMetric(float64(i)/elapsed.Seconds(), "questions/s")
			report(b, all, "")
			report(b, own, "own-")
		})
	}
}

// BenchmarkEndToEndInteractions posts signed slash commands to the HTTP
// interactions endpoint on a loopback server, as Discord would: latency of
// each request (p50, p99), requests per second, and the handler's own time
// (own-p50, own-p99: verify the signature, decode, answer, render, encode).
// Serially, and from 32 clients at once.
//
//	go test -run XXX -bench EndToEndInteractions -benchtime 20000x ./adapters/discord/
func BenchmarkEndToEndInteractions(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	// The 256 requests signed in advance come round again: a Dedup that
	// remembers nothing lets them through as new.
	a, err := New(newTestBot(b, bot.ImagesNone), Config{PublicKey: hex.EncodeToString(pub), Dedup: forgetful{}})
	if err != nil {
		b.Fatal(err)
	}
	own := &latency.Recorder{}
	h := a.InteractionsHandler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		own.Add(time.Since(start))
	}))
	defer srv.Close()
	// Signed in advance: signing is Discord's work, not the bot's.
	type signedBody struct{ body, ts, sig string }
	codes := []string{"429", "404", "500", "503", "401 vs 403", "4xx", "too many requests", "418"}
	var bodies []signedBody
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for i := range 256 {
		body, _ := json.Marshal(discordtest.SlashCommand(strconv.Itoa(1000+i), codes[i%len(codes)]))
		bodies = append(bodies, signedBody{string(body), ts, hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...)))})
	}
	for _, clients := range []int{1, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			own.Reset()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
			defer client.CloseIdleConnections()
			all := &latency.Recorder{}
			jobs := make(chan signedBody)
			var wg sync.WaitGroup
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for sb := range jobs {
						req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader([]byte(sb.body)))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("X-Signature-Timestamp", sb.ts)
						req.Header.Set("X-Signature-Ed25519", sb.sig)
						t0 := time.Now()
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							continue
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						all.Add(time.Since(t0))
						if resp.StatusCode != http.StatusOK {
							b.Errorf("status %d", resp.StatusCode)
						}
					}
				}()
			}
			i := 0
			start := time.Now()
			for b.Loop() {
				jobs <- bodies[i%len(bodies)]
				i++
			}
			close(jobs)
			wg.Wait()
			elapsed := time.Since(start)
			b.ReportMetric(float64(i)/elapsed.Seconds(), "req/s")
			report(b, all, "")
			report(b, own, "own-")
		})
	}
}

// BenchmarkReplyWork is the adapter's own work for one message command,
// without the network or the scheduler: read the question, ask the core,
// render the answer and encode the request body.
func BenchmarkReplyWork(b *testing.B) {
	bt := newTestBot(b, bot.ImagesNone)
	for b.Loop() {
		q, _ := messageQuery("!http 429", "!http", discordtest.BotID)
		msg := Message(bt.Answer(q))
		if _, err := discordgo.Marshal(messageCreate{MessageSend: msg, Nonce: "580000000000000001", EnforceNonce: true}); err != nil {
			b.Fatal(err)
		}
	}
}
