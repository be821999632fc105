package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// runCmd runs the program in-process with no environment.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(string) string { return "" })
	return out.String(), errOut.String(), err
}

func TestAskJSONContract(t *testing.T) {
	out, _, err := runCmd(t, "", "ask", "--format", "json", "what", "is", "gone")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"query":"what is gone","kind":"status","codes":[410],"phrase":"Gone","official":true}` + "\n"
	if out != want {
		t.Errorf("ask --format json = %s want %s", out, want)
	}
}

func TestAskStreamsJSONLinesFromStdin(t *testing.T) {
	in := "429\n4xx\n401 vs 403\nnginx 444\n!http 250\n!http 600\nbanana\nhelp\n\n"
	out, _, err := runCmd(t, in, "ask", "--json")
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Query    string `json:"query"`
		Kind     string `json:"kind"`
		Codes    []int  `json:"codes"`
		Class    int    `json:"class"`
		Official *bool  `json:"official"`
	}
	var got []answer
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var a answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, a)
	}
	wantKinds := []string{"status", "class", "compare", "status", "nonstandard", "invalid", "not_found", "help", "help"}
	if len(got) != len(wantKinds) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(wantKinds), out)
	}
	for i, k := range wantKinds {
		if got[i].Kind != k {
			t.Errorf("line %d (%q): kind %q, want %q", i, got[i].Query, got[i].Kind, k)
		}
	}
	if got[1].Class != 4 || got[4].Class != 2 {
		t.Errorf("class fields: 4xx -> %d, 250 -> %d", got[1].Class, got[4].Class)
	}
	if got[3].Official == nil || *got[3].Official {
		t.Errorf("nginx 444 official = %v, want false", got[3].Official)
	}
}

func TestAskTextAndBadFormat(t *testing.T) {
	out, _, err := runCmd(t, "", "ask", "429")
	if err != nil || !strings.Contains(out, "429 Too Many Requests") {
		t.Errorf("ask 429 = %q, %v", out, err)
	}
	_, _, err = runCmd(t, "", "ask", "--format", "xml", "429")
	var ee *exitError
	if err == nil || !asExit(err, &ee) || ee.code != 2 {
		t.Errorf("ask --format xml: err = %v, want exit status 2", err)
	}
}

func TestRunWithoutCredentialsAnswersInTheTerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "STATUSBOT_HTTP_ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	}
	err := run(context.Background(), nil, strings.NewReader("429\n"), &out, &errOut, getenv)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "429 Too Many Requests") {
		t.Errorf("stdout = %q", out.String())
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runCmd(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "statusbot ") || len(strings.TrimSpace(out)) <= len("statusbot") {
		t.Errorf("version = %q, %v", out, err)
	}
}
