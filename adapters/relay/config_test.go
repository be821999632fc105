package relay

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFieldError(t *testing.T) {
	e := &FieldError{Field: "ShardID", Problem: "must be below {ShardCount} (2); got {x} 3 {unclosed"}
	key := func(f string) string { return "discord." + strings.ToLower(f) }
	if got, want := e.Describe(key), "must be below discord.shardcount (2); got discord.x 3 {unclosed"; got != want {
		t.Errorf("Describe(key) = %q, want %q", got, want)
	}
	if got, want := e.Error(), "ShardID: must be below ShardCount (2); got x 3 {unclosed"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var fe *FieldError
	if err := fmt.Errorf("discord: %w", Refuse("Token", "is needed; got %d", 0)); !errors.As(err, &fe) || fe.Field != "Token" || fe.Problem != "is needed; got 0" {
		t.Errorf("a wrapped refusal is not a FieldError: %v", err)
	}
}

func TestCheckURL(t *testing.T) {
	for _, u := range []string{"https://discord.com/api/v9/", "http://127.0.0.1:9/api"} {
		if err := CheckURL("APIURL", u); err != nil {
			t.Errorf("CheckURL(%q) = %v", u, err)
		}
	}
	for _, u := range []string{"", "slack.com/api", "/api/v9/", "ftp://example.com/", "https://", "%zz"} {
		if err := CheckURL("APIURL", u); err == nil {
			t.Errorf("CheckURL(%q) accepted it", u)
		}
	}
}
