package bot

import (
	"testing"

	"github.com/statusbot/statusbot/catalog"
)

// loadedBot is a Bot over the embedded catalogue, for the tests inside the
// package that read its index.
func loadedBot(t testing.TB) *Bot {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return New(cat, Options{})
}
