package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/bot"
)

// TestHome: the home page is the help, for everyone, telling how to explain
// a message and offering the most asked codes.
func TestHome(t *testing.T) {
	b := newBot(t)
	a, help := b.Home(), b.Answer("help")
	if a.Kind != bot.KindHelp || a.Private || a.Title != help.Title {
		t.Errorf("Home() = %s %q (private %v), want the help's title, for everyone", a.Kind, a.Title, a.Private)
	}
	if !slices.Equal(a.Items, help.Items) {
		t.Errorf("Home() examples %v, want the help's %v", a.Items, help.Items)
	}
	if !strings.HasPrefix(a.Text, help.Text) || !strings.Contains(a.Text, bot.ExplainAction) {
		t.Errorf("Home() text %q: want the help's, then how to use %q", a.Text, bot.ExplainAction)
	}
	var popular []int
	for _, c := range b.Suggest("", bot.MaxChoices) {
		popular = append(popular, c.Code)
	}
	if len(a.Choices) != bot.MaxChoices || !slices.Equal(a.Suggestions, popular) {
		t.Errorf("Home() offers %v, want the %d most asked codes %v", a.Suggestions, bot.MaxChoices, popular)
	}
	for i, c := range a.Choices {
		if c.Code != a.Suggestions[i] || c.Label != b.Catalog().Code(c.Code).Title() {
			t.Errorf("choice %d = %+v, want code %d with its title", i, c, a.Suggestions[i])
		}
	}
}
