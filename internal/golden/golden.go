// Package golden compares what a test made with a file in testdata, and
// with -update rewrites the file instead, as gofmt's tests do. Tests that
// render answers read hand-made ones from testdata too, so that the golden
// files change when the rendering does, not when the catalogue does.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from what the tests make")

// Check compares got with the file at path; with -update it writes got
// there first.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the test made (run it with -update if the change is intended, and review the diff): %s", path, firstDiff(got, want))
	}
}

// firstDiff says where got and want first differ, by line.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d is\n\t%s\nwant\n\t%s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// Renders renders every hand-made answer in testdata/answers/NAME.json
// with render, in a subtest NAME, and checks the result against
// testdata/NAME.golden.
func Renders(t *testing.T, render func(t *testing.T, a *bot.Answer) []byte) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "answers", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no hand-made answers in testdata/answers (%v)", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var a bot.Answer
			if err := json.Unmarshal(data, &a); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			Check(t, filepath.Join("testdata", name+".golden"), render(t, &a))
		})
	}
}
