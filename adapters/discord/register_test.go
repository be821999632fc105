package discord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	for _, tt := range []struct{ appID, guild, wantPath string }{
		{"", "", "/api/v9/applications/" + fakeAppID + "/commands"},
		{"123", "456", "/api/v9/applications/123/guilds/456/commands"},
	} {
		appID, err := Register(context.Background(), Config{Token: fakeToken, ApplicationID: tt.appID, APIURL: f.apiURL()}, tt.guild)
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		if want := strings.Split(tt.wantPath, "/")[4]; appID != want {
			t.Errorf("application ID %q, want %q", appID, want)
		}
		c := f.waitWrite(t)
		if c.Method != http.MethodPut || c.Path != tt.wantPath {
			t.Fatalf("got %s %s, want PUT %s", c.Method, c.Path, tt.wantPath)
		}
		var cmds []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Options     []struct {
				Name         string `json:"name"`
				Type         int    `json:"type"`
				Required     bool   `json:"required"`
				Autocomplete bool   `json:"autocomplete"`
				Description  string `json:"description"`
			} `json:"options"`
		}
		if err := json.Unmarshal(c.Body, &cmds); err != nil {
			t.Fatal(err)
		}
		if len(cmds) != 1 || cmds[0].Name != "http" || len(cmds[0].Options) != 1 {
			t.Fatalf("registered %s, want /http with one option", c.Body)
		}
		o := cmds[0].Options[0]
		if o.Name != "query" || o.Type != 3 || !o.Required || !o.Autocomplete {
			t.Errorf("option %+v, want a required autocompleted string named query", o)
		}
		limit(t, "command description", cmds[0].Description, 1, 100)
		limit(t, "option description", o.Description, 1, 100)
	}
}

func TestInviteURL(t *testing.T) {
	u, err := url.Parse(InviteURL("42", true))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("client_id") != "42" || q.Get("scope") != "bot applications.commands" {
		t.Errorf("invite %s: want client_id 42 and scopes bot applications.commands", u)
	}
	want := int64(discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionSendMessagesInThreads |
		discordgo.PermissionEmbedLinks | discordgo.PermissionReadMessageHistory)
	if q.Get("permissions") != "274877991936" || Permissions(true) != want {
		t.Errorf("permissions %s, want %d", q.Get("permissions"), want)
	}
	if Permissions(false) != 0 {
		t.Errorf("slash commands alone ask for permissions %d, want none", Permissions(false))
	}
}

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

func TestRegisterNeedsToken(t *testing.T) {
	_, err := Register(context.Background(), Config{PublicKey: strings.Repeat("ab", 32)}, "")
	var fe *relay.FieldError
	if !errors.As(err, &fe) || fe.Field != "Token" {
		t.Errorf("Register without a token = %v, want an error about Token", err)
	}
}

// TestRewriterRefusesOtherHosts: the token goes with every request, so only
// Discord's API base is ever rewritten; anything else fails unsent.
func TestRewriterRefusesOtherHosts(t *testing.T) {
	f := newFake(t)
	base, _ := url.Parse(f.apiURL())
	client := &http.Client{Transport: newRewriter(base, nil)}
	for _, u := range []string{"https://cdn.discordapp.com/avatars/1/2.png", "https://discord.com/api/v10/gateway", "https://example.com/api/v9/gateway"} {
		if resp, err := client.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s went through (%s)", u, resp.Status)
		}
	}
	if len(f.callsTo("GET", "/api/v9/gateway")) != 0 || len(f.callsTo("GET", "/api/v10/gateway")) != 0 {
		t.Error("a refused request reached the fake")
	}
	resp, err := client.Get(discordgo.EndpointGateway)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(f.callsTo("GET", "/api/v9/gateway")) != 1 {
		t.Error("GET gateway was not sent to the configured base")
	}
}
