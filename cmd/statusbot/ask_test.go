package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
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

// TestAskExplain: --explain reads all of standard input (or the arguments)
// as one text and explains it in every format.
func TestAskExplain(t *testing.T) {
	log, err := os.ReadFile("testdata/nginx_access.log")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, string(log), "ask", "--explain", "--json")
	var r struct {
		Kind      string `json:"kind"`
		Codes     []int  `json:"codes"`
		Counts    []struct{ Code, Count int }
		Truncated bool `json:"truncated"`
	}
	if err != nil || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("ask --explain --json < log = %q, %v; want one JSON line", out, err)
	}
	if r.Kind != "explain" || !slices.Equal(r.Codes, []int{200, 502, 504, 404, 301}) || len(r.Counts) != 5 || r.Counts[1].Count != 8 || r.Truncated {
		t.Errorf("ask --explain --json < log = %+v, want 200, 502 (8 times), 504, 404 and 301, not cut", r)
	}

	// Longer than the core reads: cut, and said so, in every format.
	long := strings.Repeat(string(log), 3)
	for _, format := range []string{"text", "json", "discord", "slack"} {
		out, _, err := runCmd(t, long, "ask", "--explain", "--format", format)
		named := "502 Bad Gateway"
		if format == "json" {
			named = `{"code":502,`
		}
		if err != nil || !strings.Contains(out, named) {
			t.Errorf("ask --explain --format %s: %v, %q; want the 502s named", format, err, out)
		}
		if format == "json" && !strings.Contains(out, `"truncated":true`) || format == "text" && !strings.Contains(out, "I read only the first 4 KB") {
			t.Errorf("ask --explain --format %s of %d bytes does not say it was cut: %q", format, len(long), out)
		}
		if format != "text" && !json.Valid([]byte(out)) {
			t.Errorf("ask --explain --format %s: not JSON: %q", format, out)
		}
	}

	// Arguments are one text too; without --explain each line is a question.
	out, _, err = runCmd(t, "", "ask", "--explain", "--json", "curl", "said", "HTTP/2", "503")
	if err != nil || !strings.Contains(out, `"kind":"explain","codes":[503]`) {
		t.Errorf("ask --explain ARGS = %q, %v; want an explanation of 503", out, err)
	}
	out, _, _ = runCmd(t, "HTTP/1.1 404 Not Found\nHTTP/1.1 410 Gone\n", "ask", "--json")
	if strings.Count(out, `"kind":"status"`) != 2 {
		t.Errorf("ask --json < two lines = %q, want two answers", out)
	}
}

// TestReadmeExamples keeps the README's JSON examples true: each is what
// `ask --json` prints for its query today.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(string(readme)) {
		example := strings.TrimSpace(line)
		if !strings.HasPrefix(example, `{"query":`) {
			continue
		}
		n++
		var a struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal([]byte(example), &a); err != nil {
			t.Fatalf("README example %s: %v", example, err)
		}
		out, _, err := runCmd(t, "", "ask", "--json", a.Query)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out); got != example {
			t.Errorf("README says\n%s\nbut ask --json prints\n%s", example, got)
		}
	}
	if n == 0 {
		t.Error("no JSON example found in the README")
	}
}
