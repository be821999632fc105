package discord

import (
	"errors"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

func TestNewRejectsBadConfig(t *testing.T) {
	b := newTestBot(t, bot.ImagesNone)
	for name, tt := range map[string]struct {
		cfg   Config
		field string
	}{
		"application id not a number": {Config{ApplicationID: "app"}, "ApplicationID"},
		"public key not hex":          {Config{PublicKey: "zz"}, "PublicKey"},
		"public key too short":        {Config{PublicKey: "abcd"}, "PublicKey"},
		"api_url not http":            {Config{Token: "t", APIURL: "ftp://example.com/"}, "APIURL"},
		"api_url relative":            {Config{Token: "t", APIURL: "/api/v9/"}, "APIURL"},
		"negative shard count":        {Config{Token: "t", ShardCount: -1}, "ShardCount"},
		"shard outside count":         {Config{Token: "t", ShardID: 2, ShardCount: 2}, "ShardID"},
		"negative shard":              {Config{Token: "t", ShardID: -1}, "ShardID"},
	} {
		_, err := New(b, tt.cfg)
		var fe *relay.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || !strings.HasPrefix(err.Error(), "discord: "+tt.field+": ") {
			t.Errorf("%s: New(%+v) = %v, want an error about %s", name, tt.cfg, err, tt.field)
		}
	}
	if err := Defaults().Validate(); err != nil {
		t.Errorf("Defaults().Validate() = %v", err)
	}
	if Defaults().Enabled() || !(Config{PublicKey: "k"}).Enabled() || !(Config{Token: "t"}).Enabled() {
		t.Error("Enabled: want false with neither token nor public key, true with either")
	}
}

func TestDefaultAPIURL(t *testing.T) {
	if DefaultAPIURL != discordgo.EndpointAPI {
		t.Errorf("DefaultAPIURL = %q, discordgo speaks %q", DefaultAPIURL, discordgo.EndpointAPI)
	}
}
