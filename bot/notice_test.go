package bot_test

import (
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
)

// The notices adapters send in place of an answer are private, short, and
// keep no more of the question than an answer would.
func TestNotices(t *testing.T) {
	b := newBot(t)
	long := strings.Repeat("x", 2*bot.MaxQueryLen)
	for _, a := range []*bot.Answer{b.BusyAnswer(long), b.RateLimitedAnswer(long)} {
		if !a.Private || a.Title == "" || a.Text == "" || len(a.Text) > 200 || len(a.Query) > bot.MaxQueryLen {
			t.Errorf("%s notice: private %v, title %q, text %q (%d bytes), query %d bytes", a.Kind, a.Private, a.Title, a.Text, len(a.Text), len(a.Query))
		}
	}
	if k := b.BusyAnswer("429").Kind; k != bot.KindBusy {
		t.Errorf("BusyAnswer kind = %q, want %q", k, bot.KindBusy)
	}
}
