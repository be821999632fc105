package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// rewriter sends discordgo's REST calls, which always name
// https://discord.com/api/v9/, to the configured API base instead (a
// rate-limit proxy, or a test's fake), keeping the rest of the path.
// Reassigning discordgo's Endpoint variables does not work: many endpoint
// strings are computed from them when the package initialises.
type rewriter struct {
	base string // ends in "/"
	next http.RoundTripper
}

func newRewriter(base *url.URL, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	b := base.String()
	if !strings.HasSuffix(b, "/") {
		b += "/"
	}
	return &rewriter{base: b, next: next}
}

func (t *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(req.URL.String(), discordgo.EndpointAPI)
	if !ok {
		// Refuse anything else (a CDN, another API version): the bot token
		// goes with every request and must not travel anywhere unplanned.
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("discord: refusing request outside the API base: %s %s", req.Method, req.URL.Redacted())
	}
	if t.base == discordgo.EndpointAPI {
		return t.next.RoundTrip(req)
	}
	u, err := url.Parse(t.base + rest)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("discord: rewrite %s: %w", req.URL.Path, err)
	}
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = u.Host
	return t.next.RoundTrip(r)
}

// CloseIdleConnections closes the idle connections of the transport it
// wraps, so that http.Client.CloseIdleConnections reaches them.
func (t *rewriter) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
