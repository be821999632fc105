package discord

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/discord/discordtest"
)

// TestRewriterRefusesOtherHosts: the token goes with every request, so only
// Discord's API base is ever rewritten; anything else fails unsent.
func TestRewriterRefusesOtherHosts(t *testing.T) {
	f := discordtest.NewServer(t)
	base, _ := url.Parse(f.APIURL)
	client := &http.Client{Transport: newRewriter(base, nil)}
	for _, u := range []string{"https://cdn.discordapp.com/avatars/1/2.png", "https://discord.com/api/v10/gateway", "https://example.com/api/v9/gateway"} {
		if resp, err := client.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s went through (%s)", u, resp.Status)
		}
	}
	if len(f.CallsTo("GET", "/api/v9/gateway")) != 0 || len(f.CallsTo("GET", "/api/v10/gateway")) != 0 {
		t.Error("a refused request reached the fake")
	}
	resp, err := client.Get(discordgo.EndpointGateway)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(f.CallsTo("GET", "/api/v9/gateway")) != 1 {
		t.Error("GET gateway was not sent to the configured base")
	}
}
