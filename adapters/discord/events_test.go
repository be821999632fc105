package discord

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/bot"
)

func TestMessageQuery(t *testing.T) {
	const self = "42"
	tests := []struct {
		content string
		want    string
		ok      bool
	}{
		{"!http 429", "429", true},
		{"  !HTTP   too many requests ", "too many requests", true},
		{"!http", "", true},
		{"!http\n404", "404", true},
		{"!https 429", "", false},
		{"!httpx", "", false},
		{"429", "", false},
		{"<@42> what is gone", "what is gone", true},
		{"<@!42> 404", "404", true},
		{"what is <@42> 404", "what is 404", true},
		{"<@43> 404", "", false},
		{"<@42> !http 404", "404", true},
	}
	for _, tt := range tests {
		got, ok := messageQuery(tt.content, "!http", self)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("messageQuery(%q) = %q, %v; want %q, %v", tt.content, got, ok, tt.want, tt.ok)
		}
	}
}

func TestChoices(t *testing.T) {
	t.Parallel()
	b := newTestBot(t, bot.ImagesNone)
	inputs := append([]string{"4", "40", "zz", "401 vs 403", "4xx", "help", strings.Repeat("x", 150)}, limitQueries...)
	for _, c := range b.Catalog().Codes() {
		inputs = append(inputs, strconv.Itoa(c.Code), c.Phrase)
	}
	for _, in := range inputs {
		checkChoices(t, in, choices(b, in))
	}
	// A code by number: that code first, named in full, valued as its number.
	cs := choices(b, "429")
	if len(cs) == 0 || cs[0].Name != "429 Too Many Requests" || cs[0].Value != "429" {
		t.Errorf("Choices(429) = %v, want 429 Too Many Requests first", choiceNames(cs))
	}
	// An empty field: the 25 most asked codes, most asked first.
	cs = choices(b, "")
	if len(cs) != min(25, len(b.Catalog().Codes())) {
		t.Fatalf("Choices(\"\"): %d choices, want 25", len(cs))
	}
	prev := 101
	for _, c := range cs {
		n, _ := strconv.Atoi(c.Value.(string))
		p := b.Catalog().Code(n).Popularity
		if p > prev {
			t.Errorf("Choices(\"\") not by popularity: %v", choiceNames(cs))
		}
		prev = p
	}
	// One or two digits: codes that start with them, not the fragment.
	for _, prefix := range []string{"4", "42", " 5"} {
		cs := choices(b, prefix)
		if len(cs) == 0 {
			t.Errorf("Choices(%q): none", prefix)
		}
		for _, c := range cs {
			if !strings.HasPrefix(c.Value.(string), strings.TrimSpace(prefix)) {
				t.Errorf("Choices(%q) offers %s=%v", prefix, c.Name, c.Value)
			}
		}
	}
	// What the core does not answer with one code keeps the typed text first.
	if cs := choices(b, "zzqxj"); len(cs) == 0 || cs[0].Value != "zzqxj" {
		t.Errorf("Choices(zzqxj) = %v, want the typed text first", choiceNames(cs))
	}
	if cs := choices(b, strings.Repeat("x", 150)); len(cs) != 0 && cs[0].Value == strings.Repeat("x", 150) {
		t.Errorf("Choices offered a 150-character value")
	}
}

func choiceNames(cs []*discordgo.ApplicationCommandOptionChoice) []string {
	var ns []string
	for _, c := range cs {
		ns = append(ns, fmt.Sprintf("%s=%v", c.Name, c.Value))
	}
	return ns
}
