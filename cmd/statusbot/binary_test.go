package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/statusbot/statusbot/adapters/discord"
	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/slack/slacktest"
)

// testVersion is what the test build stamps with -X main.buildVersion.
const testVersion = "v0.0.0-test"

var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// builtBinary builds statusbot once per test run the way the Dockerfile
// does (static, trimmed, stripped) and returns its path.
func builtBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		gobin, err := exec.LookPath("go")
		if err != nil {
			binary.err = err
			return
		}
		if binary.dir, binary.err = os.MkdirTemp("", "statusbot-bin"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "statusbot")
		cmd := exec.Command(gobin, "build", "-trimpath",
			"-ldflags", "-s -w -X main.buildVersion="+testVersion,
			"-o", binary.path, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = errors.New(string(out))
		}
	})
	if binary.err != nil {
		t.Fatalf("go build: %v", binary.err)
	}
	return binary.path
}

// binaryCommand runs the built binary in an empty directory with only
// vars (and PATH) as its environment.
func binaryCommand(t *testing.T, vars map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(builtBinary(t), args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// runningBinary is `statusbot run` started by startBinary.
type runningBinary struct {
	cmd    *exec.Cmd
	addrc  chan string // the HTTP server's address, once logged
	exited chan error  // Wait's result, once stderr is read to its end

	mu      sync.Mutex
	logs    strings.Builder  // stderr
	records []map[string]any // stderr's JSON log records
}

// startBinary starts `statusbot run` with vars as its environment (see
// binaryCommand), logging JSON, with its HTTP server on a free loopback
// port; the process is killed if the test ends first.
func startBinary(t *testing.T, vars map[string]string) *runningBinary {
	t.Helper()
	env := map[string]string{"STATUSBOT_HTTP_ADDR": "127.0.0.1:0", "STATUSBOT_LOG_FORMAT": "json"}
	for k, v := range vars {
		env[k] = v
	}
	b := &runningBinary{cmd: binaryCommand(t, env, "run"), addrc: make(chan string, 1), exited: make(chan error, 1)}
	stdin, err := b.cmd.StdinPipe() // open: the terminal fallback must not end the run
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	stderr, err := b.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		b.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("statusbot stderr:\n%s", b.stderr())
		}
	})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			ok := json.Unmarshal(sc.Bytes(), &rec) == nil
			b.mu.Lock()
			b.logs.WriteString(sc.Text() + "\n")
			if ok {
				b.records = append(b.records, rec)
			}
			b.mu.Unlock()
			if addr, _ := rec["addr"].(string); ok && rec["msg"] == "http server listening" {
				b.addrc <- addr
			}
		}
		b.exited <- b.cmd.Wait() // Wait closes the pipe: read it all first
	}()
	return b
}

// addr waits for the HTTP server's address.
func (b *runningBinary) addr(t *testing.T) string {
	t.Helper()
	select {
	case addr := <-b.addrc:
		return addr
	case err := <-b.exited:
		t.Fatalf("statusbot exited before listening: %v", err)
	case <-time.After(wait):
		t.Fatal("statusbot never logged its address")
	}
	return ""
}

// stop sends SIGTERM and fails the test unless statusbot exits cleanly.
func (b *runningBinary) stop(t *testing.T) {
	t.Helper()
	b.sigterm(t)
	b.exitsCleanly(t)
}

// sigterm sends statusbot SIGTERM.
func (b *runningBinary) sigterm(t *testing.T) {
	t.Helper()
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// exitsCleanly fails the test unless statusbot exits, with status 0.
func (b *runningBinary) exitsCleanly(t *testing.T) {
	t.Helper()
	select {
	case err := <-b.exited:
		if err != nil {
			t.Errorf("statusbot after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(wait):
		t.Fatal("statusbot did not exit after SIGTERM")
	}
}

// stderr is what statusbot has logged so far.
func (b *runningBinary) stderr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.logs.String()
}

// logged lists the log records with message msg.
func (b *runningBinary) logged(msg string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var rs []map[string]any
	for _, r := range b.records {
		if r["msg"] == msg {
			rs = append(rs, r)
		}
	}
	return rs
}

// getStatus is the status of GET url, failing the test when there is none.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestBinaryIsStatic(t *testing.T) {
	t.Parallel()
	path := builtBinary(t)
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary has a %s program header: it is dynamically linked", p.Type)
		}
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
		t.Errorf("build settings CGO_ENABLED=%q -trimpath=%q, want 0 and true", settings["CGO_ENABLED"], settings["-trimpath"])
	}
}

func TestBinaryVersion(t *testing.T) {
	t.Parallel()
	out, err := binaryCommand(t, nil, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "statusbot "+testVersion+"\n"; got != want {
		t.Errorf("statusbot version = %q, want %q", got, want)
	}
}

func TestBinaryConfigErrorExitsTwo(t *testing.T) {
	t.Parallel()
	cmd := binaryCommand(t, map[string]string{"STATUSBOT_HTTP_IDLE_TIMEOUT": "soon"}, "run")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("statusbot run with a bad duration: %v, want exit status 2", err)
	}
	want := `statusbot: config: http.idle_timeout (STATUSBOT_HTTP_IDLE_TIMEOUT): invalid duration "soon"` + "\n"
	if stderr.String() != want || stdout.String() != "" {
		t.Errorf("stderr = %q, stdout = %q; want stderr %q and no stdout", stderr.String(), stdout.String(), want)
	}
}

// TestBinarySIGTERM runs the real binary in console mode with its input
// open, sends SIGTERM and expects a clean exit.
func TestBinarySIGTERM(t *testing.T) {
	t.Parallel()
	b := startBinary(t, map[string]string{"STATUSBOT_LOG_LEVEL": "debug"})
	if status := getStatus(t, "http://"+b.addr(t)+"/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz = %d", status)
	}
	b.stop(t)
	var reasons []string
	for _, rec := range b.logged("shutting down") {
		reason, _ := rec["reason"].(string)
		reasons = append(reasons, reason)
	}
	if len(reasons) != 1 || reasons[0] != "received terminated" {
		t.Errorf("shutdown reasons logged = %q, want [received terminated]", reasons)
	}
}

// TestBinaryDiscord runs the built binary against a fake Discord,
// configured through the environment alone (discord.api_url points at the
// fake): a message command over the gateway, and a PING on the HTTP
// interactions endpoint of the same process.
func TestBinaryDiscord(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	f := discordtest.NewServer(t)
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := startBinary(t, map[string]string{
		"STATUSBOT_DISCORD_TOKEN":            discordtest.Token,
		"STATUSBOT_DISCORD_API_URL":          f.APIURL,
		"STATUSBOT_DISCORD_MESSAGE_COMMANDS": "true",
		"STATUSBOT_DISCORD_PUBLIC_KEY":       hex.EncodeToString(pub),
	})
	f.WaitConn(t).WaitHeartbeat(t)
	f.Dispatch("MESSAGE_CREATE", discordtest.Message("550000000000000001", "!http 429", nil))
	var reply struct {
		Embeds []struct {
			Title string `json:"title"`
		} `json:"embeds"`
		Reference struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	if c := f.WaitWrite(t); json.Unmarshal(c.Body, &reply) != nil || c.Path != "/api/v9/channels/"+discordtest.ChannelID+"/messages" {
		t.Errorf("wrote %s %s, want the reply", c.Path, c.Body)
	}
	if len(reply.Embeds) != 1 || reply.Embeds[0].Title != "429 Too Many Requests" || reply.Reference.MessageID != "550000000000000001" {
		t.Errorf("reply %+v, want the 429 embed in reply to the question", reply)
	}

	// The same process serves the HTTP interactions endpoint and readiness.
	addr := b.addr(t)
	ping := []byte(`{"id":"1","type":1,"token":"t"}`)
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+discord.PathInteractions, bytes.NewReader(ping))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = discordtest.Sign(priv, time.Now(), ping)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("PING through the binary: %d %s", res.StatusCode, body)
	}
	if status := getStatus(t, "http://"+addr+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", status)
	}
	b.stop(t)
	if strings.Contains(b.stderr(), discordtest.Token) {
		t.Error("the token appears in statusbot's logs")
	}
}

// TestBinarySlack runs the built binary against a fake Slack configured
// through slack.api_url alone.
func TestBinarySlack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	fake := slacktest.NewServer(t, slackE2EBotToken, slackE2EAppToken)
	b := startBinary(t, map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN": slackE2EBotToken,
		"STATUSBOT_SLACK_APP_TOKEN": slackE2EAppToken,
		"STATUSBOT_SLACK_API_URL":   fake.APIURL,
	})
	fake.WaitConnected(t, 1)
	ev := slacktest.EventCallback("EvE2E", slacktest.Mention("C42", "U1", "1700000200.000001", "", "<@"+slacktest.BotUserID+"> 429"))
	fake.WaitAck(t, fake.Send(t, "events_api", ev))
	c := fake.WaitCalls(t, "chat.postMessage", 1)[0]
	if c.Form.Get("channel") != "C42" || c.Form.Get("thread_ts") != "1700000200.000001" {
		t.Errorf("posted to %q thread %q, want C42 thread 1700000200.000001", c.Form.Get("channel"), c.Form.Get("thread_ts"))
	}
	if !strings.Contains(c.Text, "429 Too Many Requests") || !strings.Contains(c.Form.Get("blocks"), `"type":"header"`) {
		t.Errorf("posted text %q blocks %s, want the 429 answer", c.Text, c.Form.Get("blocks"))
	}
	if status := getStatus(t, "http://"+b.addr(t)+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz = %d once connected, want 200", status)
	}
	b.stop(t)
	if logs := b.stderr(); strings.Contains(logs, slackE2EBotToken) || strings.Contains(logs, slackE2EAppToken) {
		t.Errorf("a token reached the log:\n%s", logs)
	}
}

// TestBinarySIGTERMRequestInFlight: a Slack request the bot let in just
// before SIGTERM, whose body is still arriving when shutdown begins, gets
// its reply (or a 503, so that Slack sends it again), never a 200 with its
// reply dropped; and the process exits 0 once the reply is out.
func TestBinarySIGTERMRequestInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	const secret = "sigterm-signing-secret"
	fake := slacktest.NewServer(t, slackE2EBotToken, slackE2EAppToken)
	b := startBinary(t, map[string]string{
		"STATUSBOT_SLACK_BOT_TOKEN":       slackE2EBotToken,
		"STATUSBOT_SLACK_SIGNING_SECRET":  secret,
		"STATUSBOT_SLACK_MODE":            "http",
		"STATUSBOT_SLACK_API_URL":         fake.APIURL,
		"STATUSBOT_HTTP_SHUTDOWN_TIMEOUT": "8s",
	})
	addr := b.addr(t)
	fake.WaitCalls(t, "auth.test", 1)
	body, err := json.Marshal(slacktest.EventCallback("EvSigterm", slacktest.DirectMessage("D42", "U1", "1700000700.000001", "429")))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(3 * wait))
	fmt.Fprintf(conn, "POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", len(body))
	for k, v := range slacktest.Sign(secret, time.Now(), body) {
		fmt.Fprintf(conn, "%s: %s\r\n", k, v[0])
	}
	io.WriteString(conn, "\r\n")
	conn.Write(body[:len(body)-1]) // all but the last byte: the bot waits for it
	// The bot is handling it: this scrape and that request are in flight.
	poll(t, "the request in flight", func() bool {
		_, m := httpGet(t, "http://"+addr+"/metrics")
		n, _ := strconv.Atoi(metricValue(m, `statusbot_http_requests_in_flight{listener="main"}`))
		return n >= 2
	})
	b.sigterm(t)
	poll(t, "shutdown to begin", func() bool {
		status, _ := httpGet(t, "http://"+addr+"/readyz")
		return status == http.StatusServiceUnavailable
	})
	conn.Write(body[len(body)-1:])
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request let in before SIGTERM got no answer: %v", err)
	}
	res.Body.Close()
	b.exitsCleanly(t)
	replies := len(fake.Calls("chat.postMessage"))
	switch {
	case res.StatusCode == http.StatusOK && replies != 1:
		t.Errorf("200 for the event, and %d replies: the reply was dropped", replies)
	case res.StatusCode != http.StatusOK && res.StatusCode != http.StatusServiceUnavailable:
		t.Errorf("the event got %d, want its reply (200) or 503", res.StatusCode)
	case res.StatusCode == http.StatusServiceUnavailable:
		t.Logf("503: the bot refused the event, and Slack would send it again")
	}
}

// poll calls done every few milliseconds until it reports true, failing
// the test after wait.
func poll(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// httpGet is the status and body of GET url.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
