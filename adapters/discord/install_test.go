package discord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// registered is what the tests read of a registered command.
type registered struct {
	Name             string `json:"name"`
	Type             int    `json:"type"`
	Description      string `json:"description"`
	Contexts         []int  `json:"contexts"`
	IntegrationTypes []int  `json:"integration_types"`
	Options          []struct {
		Name         string `json:"name"`
		Type         int    `json:"type"`
		Required     bool   `json:"required"`
		Autocomplete bool   `json:"autocomplete"`
		Description  string `json:"description"`
	} `json:"options"`
}

// TestRegister registers globally, turning user installs on for an
// application that has them off (as new ones do), then in a guild; both
// times /http and the message command, with installation types and
// contexts only for the global ones.
func TestRegister(t *testing.T) {
	t.Parallel()
	f := discordtest.NewServer(t)
	for _, tt := range []struct {
		appID, guild, wantPath string
		enables                bool
	}{
		{"", "", "/api/v9/applications/" + discordtest.AppID + "/commands", true},
		{"", "", "/api/v9/applications/" + discordtest.AppID + "/commands", false}, // already on
		{"123", "456", "/api/v9/applications/123/guilds/456/commands", false},
	} {
		reg, err := Register(context.Background(), Config{Token: discordtest.Token, ApplicationID: tt.appID, APIURL: f.APIURL}, tt.guild)
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		if want := strings.Split(tt.wantPath, "/")[4]; reg.AppID != want || reg.UserInstallEnabled != tt.enables {
			t.Errorf("Register = %+v, want application %q, user installs enabled now: %v", reg, want, tt.enables)
		}
		c := f.WaitWrite(t)
		if tt.enables {
			if c.Method != http.MethodPatch || c.Path != "/api/v9/applications/@me" {
				t.Fatalf("got %s %s, want PATCH /api/v9/applications/@me", c.Method, c.Path)
			}
			c = f.WaitWrite(t)
		}
		if c.Method != http.MethodPut || c.Path != tt.wantPath {
			t.Fatalf("got %s %s, want PUT %s", c.Method, c.Path, tt.wantPath)
		}
		var cmds []registered
		if err := json.Unmarshal(c.Body, &cmds); err != nil {
			t.Fatal(err)
		}
		if len(cmds) != 2 || cmds[0].Name != "http" || cmds[0].Type != 1 || len(cmds[0].Options) != 1 {
			t.Fatalf("registered %s, want /http with one option, then the message command", c.Body)
		}
		o := cmds[0].Options[0]
		if o.Name != "query" || o.Type != 3 || !o.Required || !o.Autocomplete {
			t.Errorf("option %+v, want a required autocompleted string named query", o)
		}
		limit(t, "command description", cmds[0].Description, 1, 100)
		limit(t, "option description", o.Description, 1, 100)
		if m := cmds[1]; m.Name != bot.ExplainAction || m.Type != 3 || m.Description != "" || len(m.Options) != 0 {
			t.Errorf("second command %+v, want the message command %q, without description or options", m, bot.ExplainAction)
		}
		limit(t, "message command name", cmds[1].Name, 1, 32)
		for _, cmd := range cmds {
			wantContexts, wantTypes := []int{0, 1, 2}, []int{0, 1}
			if tt.guild != "" {
				wantContexts, wantTypes = nil, nil // global commands only
			}
			if !slices.Equal(cmd.Contexts, wantContexts) || !slices.Equal(cmd.IntegrationTypes, wantTypes) {
				t.Errorf("%s: contexts %v, integration types %v; want %v and %v", cmd.Name, cmd.Contexts, cmd.IntegrationTypes, wantContexts, wantTypes)
			}
		}
	}
	// The server install's settings survive the change.
	installs := f.Installs()
	if len(installs) != 2 || !strings.Contains(string(installs["0"]), `"bot"`) || !strings.Contains(string(installs["1"]), "applications.commands") {
		t.Errorf("install settings now %s, want the server's kept and the user's added", mustJSON(t, installs))
	}
}

// TestRegisterRefused: a PATCH Discord refuses stops Register before it
// registers commands Discord would refuse too.
func TestRegisterRefused(t *testing.T) {
	t.Parallel()
	f := discordtest.NewServer(t)
	f.SetFault(func(method, path string, _ []byte) discordtest.Fault {
		if method == http.MethodPatch {
			return discordtest.Fault{Status: http.StatusForbidden}
		}
		return discordtest.Fault{}
	})
	_, err := Register(context.Background(), Config{Token: discordtest.Token, APIURL: f.APIURL}, "")
	if err == nil || !strings.Contains(err.Error(), "User Install") {
		t.Errorf("Register = %v, want an error saying how to allow user installs", err)
	}
	if puts := f.CallsTo(http.MethodPut, "/api/v9/applications/"+discordtest.AppID+"/commands"); len(puts) != 0 {
		t.Errorf("%d command registrations after a refused PATCH, want none", len(puts))
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
	if q.Get("integration_type") != "0" {
		t.Errorf("invite %s: want integration_type 0 (a server install)", u)
	}
	if Permissions(false) != 0 {
		t.Errorf("slash commands alone ask for permissions %d, want none", Permissions(false))
	}
}

func TestUserInstallURL(t *testing.T) {
	u, err := url.Parse(UserInstallURL("42"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "discord.com" || q.Get("client_id") != "42" || q.Get("scope") != "applications.commands" || q.Get("integration_type") != "1" || q.Has("permissions") {
		t.Errorf("user install link %s: want client_id 42, scope applications.commands, integration_type 1, no permissions", u)
	}
}
