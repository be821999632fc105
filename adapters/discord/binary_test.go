package discord

import (
	"bufio"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestBinaryAgainstFake builds the real statusbot binary and runs
// `statusbot run` against the fake Discord, configured through the
// environment alone: STATUSBOT_DISCORD_API_URL points it at the fake.
func TestBinaryAgainstFake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	goTool, err := exec.LookPath("go") // go test puts its own first on PATH
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "statusbot")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/statusbot/statusbot/cmd/statusbot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	f := newFake(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	cmd := exec.Command(bin, "run")
	cmd.Dir = dir // no config.yaml here: defaults and the environment only
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STATUSBOT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"STATUSBOT_DISCORD_TOKEN="+fakeToken,
		"STATUSBOT_DISCORD_API_URL="+f.apiURL(),
		"STATUSBOT_DISCORD_MESSAGE_COMMANDS=true",
		"STATUSBOT_DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub),
		"STATUSBOT_HTTP_ADDR=127.0.0.1:0",
	)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logs strings.Builder
	addrc := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		// The listening address, as text or JSON logs put it.
		addrRE := regexp.MustCompile(`addr"?[=:]"?(127\.0\.0\.1:\d+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			logs.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addrc <- m[1]:
				default:
				}
			}
		}
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		<-scanned // Wait closes the pipe: read it all first
		exited <- cmd.Wait()
	}()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		mu.Lock()
		defer mu.Unlock()
		if t.Failed() {
			t.Logf("statusbot stderr:\n%s", logs.String())
		}
	}()

	conn := f.waitConn(t)
	conn.waitHeartbeat(t)
	conn.dispatch("MESSAGE_CREATE", message("550000000000000001", "!http 429", nil))
	m := replyTo(t, f.waitWrite(t), "550000000000000001")
	if len(m.Embeds) != 1 || m.Embeds[0].Title != "429 Too Many Requests" {
		t.Errorf("reply %+v, want the 429 embed", m.Embeds)
	}

	// The same process serves the HTTP interactions endpoint and readiness.
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(waitTimeout):
		t.Fatal("no log line with the HTTP server's address")
	}
	status, body := do(t, signed(t, "http://"+addr+"/discord/interactions", priv, []byte(`{"id":"1","type":1,"token":"t"}`)))
	if status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("PING through the binary: %d %s", status, body)
	}
	if resp, err := http.Get("http://" + addr + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("readyz: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("statusbot exited with %v, want a clean shutdown", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("statusbot did not exit after SIGTERM")
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), fakeToken) {
		t.Error("the token appears in statusbot's logs")
	}
}
