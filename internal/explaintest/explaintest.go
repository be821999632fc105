// Package explaintest holds the texts that the core's and both adapters'
// explain tests paste: a 40-line nginx access log and `curl -i` response
// heads, one copy for every test that needs them.
package explaintest

import (
	"embed"
	"testing"
)

//go:embed testdata
var texts embed.FS

// Read returns the text in testdata named name, or fails t.
func Read(t testing.TB, name string) string {
	t.Helper()
	data, err := texts.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
