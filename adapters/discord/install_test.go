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

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	f := discordtest.NewServer(t)
	for _, tt := range []struct{ appID, guild, wantPath string }{
		{"", "", "/api/v9/applications/" + discordtest.AppID + "/commands"},
		{"123", "456", "/api/v9/applications/123/guilds/456/commands"},
	} {
		appID, err := Register(context.Background(), Config{Token: discordtest.Token, ApplicationID: tt.appID, APIURL: f.APIURL}, tt.guild)
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		if want := strings.Split(tt.wantPath, "/")[4]; appID != want {
			t.Errorf("application ID %q, want %q", appID, want)
		}
		c := f.WaitWrite(t)
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

func TestRegisterNeedsToken(t *testing.T) {
	_, err := Register(context.Background(), Config{PublicKey: strings.Repeat("ab", 32)}, "")
	var fe *relay.FieldError
	if !errors.As(err, &fe) || fe.Field != "Token" {
		t.Errorf("Register without a token = %v, want an error about Token", err)
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
