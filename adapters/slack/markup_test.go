package slack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/statusbot/statusbot/adapters/relay"
)

func TestFitAndSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"a&b", 7, "a&amp;b"},
		{"a&b", 6, "a…"}, // never "a&am…"
		{"<<", 8, "&lt;&lt;"},
		{"<<", 7, "&lt;…"},
		{"🙂🙂", 3, "🙂…"}, // a UTF-16 surrogate pair counts 2
		{"🙂🙂", 2, "…"},
		{"", 5, ""},
	}
	for _, tt := range tests {
		if got := fit(tt.in, tt.limit); got != tt.want || relay.Width(got) > tt.limit {
			t.Errorf("fit(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
	text := strings.Repeat("word & <more> ", 500) + "\n\n" + strings.Repeat("é🙂", 3000)
	parts := split(text, 100)
	var joined strings.Builder
	for _, p := range parts {
		if relay.Width(p) > 100 || p == "" {
			t.Fatalf("split piece of width %d: %q", relay.Width(p), p)
		}
		checkLimits(t, "split", rendered{Text: p, Blocks: []any{map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": "x"}}}})
		joined.WriteString(p)
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if got, want := squash(joined.String()), squash(escape(text)); got != want {
		t.Error("split lost or changed text")
	}
}

func TestLimitsMatchReference(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "platform_limits.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Slack struct {
			Message struct {
				BlocksPerMessage   struct{ Limit int } `json:"blocks_per_message"`
				ChatPostMessageTxt struct{ Limit int } `json:"chat_postMessage_text"`
			} `json:"message"`
			SectionBlock struct {
				Text        struct{ Limit int } `json:"text"`
				FieldsCount struct{ Limit int } `json:"fields_count"`
				FieldText   struct{ Limit int } `json:"field_text"`
			} `json:"section_block"`
			HeaderBlock struct {
				Text struct{ Limit int } `json:"text"`
			} `json:"header_block"`
			ContextBlock struct {
				Elements struct{ Limit int } `json:"elements"`
			} `json:"context_block"`
			ActionsBlock struct {
				Elements struct{ Limit int } `json:"elements"`
			} `json:"actions_block"`
			Button struct {
				Text     struct{ Limit int } `json:"text"`
				ActionID struct{ Limit int } `json:"action_id"`
				Value    struct{ Limit int } `json:"value"`
				URL      struct{ Limit int } `json:"url"`
			} `json:"button_element"`
		} `json:"slack"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	s := ref.Slack
	for name, want := range map[string]int{
		"blocks_per_message":    s.Message.BlocksPerMessage.Limit,
		"chat_postMessage_text": s.Message.ChatPostMessageTxt.Limit,
		"section_text":          s.SectionBlock.Text.Limit,
		"fields_count":          s.SectionBlock.FieldsCount.Limit,
		"field_text":            s.SectionBlock.FieldText.Limit,
		"header_text":           s.HeaderBlock.Text.Limit,
		"context_elements":      s.ContextBlock.Elements.Limit,
		"actions_elements":      s.ActionsBlock.Elements.Limit,
		"button_text":           s.Button.Text.Limit,
		"button_action_id":      s.Button.ActionID.Limit,
		"button_value":          s.Button.Value.Limit,
		"button_url":            s.Button.URL.Limit,
	} {
		if limits[name] != want {
			t.Errorf("limit %s = %d here, %d in platform_limits.json", name, limits[name], want)
		}
	}
}

// TestFitLines: text of several lines too long for its limit keeps its
// whole lines, escaped, then a line "…"; text that fits, or one long line,
// is as fit leaves it.
func TestFitLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"a: 1\nb: 2", 20, "a: 1\nb: 2"},
		{"a: <1>\nb: 2\nc: 3", 19, "a: &lt;1&gt;\nb: 2\n…"},
		{"aaaa\nbbbb\ncccc", 9, "aaaa\n…"},
		{"aaaaaaaaaa\nb", 6, "aaaaa…"}, // the first line alone is too long: cut
		{"a&b&c&d", 10, "a&amp;b…"},    // one line: fit's cut
	}
	for _, tt := range tests {
		if got := fitLines(tt.in, tt.limit); got != tt.want || relay.Width(got) > tt.limit {
			t.Errorf("fitLines(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}
