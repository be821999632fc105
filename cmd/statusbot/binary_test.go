package main

import (
	"bufio"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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
	cmd := binaryCommand(t, map[string]string{
		"STATUSBOT_HTTP_ADDR":  "127.0.0.1:0",
		"STATUSBOT_LOG_LEVEL":  "debug",
		"STATUSBOT_LOG_FORMAT": "json",
	}, "run")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan map[string]any, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil {
				lines <- rec
			}
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })

	addr := ""
	timeout := time.After(wait)
	for addr == "" {
		select {
		case rec, ok := <-lines:
			if !ok {
				t.Fatal("statusbot exited before listening")
			}
			if rec["msg"] == "http server listening" {
				addr, _ = rec["addr"].(string)
			}
		case <-timeout:
			t.Fatal("statusbot never logged its address")
		}
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /healthz = %d", resp.StatusCode)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for rec := range lines {
		if rec["msg"] == "shutting down" {
			reason, _ := rec["reason"].(string)
			reasons = append(reasons, reason)
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("statusbot after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(wait):
		t.Fatal("statusbot did not exit after SIGTERM")
	}
	if len(reasons) != 1 || reasons[0] != "received terminated" {
		t.Errorf("shutdown reasons logged = %q, want [received terminated]", reasons)
	}
}
