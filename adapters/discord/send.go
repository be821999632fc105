package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// Replies out: a message reply or an interaction callback over Discord's
// REST API, through the configured API base.

// maxNonce is the longest nonce Discord takes.
const maxNonce = 25

// messageCreate is the body of POST /channels/{id}/messages: discordgo's
// MessageSend lacks the nonce fields.
type messageCreate struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// postReply posts ans as a reply to message m. A reply that fails for good
// is counted and logged.
func (a *Adapter) postReply(ctx context.Context, m *discordgo.Message, ans *bot.Answer, received time.Time) error {
	noFail := false
	msg := Message(ans)
	msg.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &noFail}
	// The question's ID is the nonce: should a reply be created but its
	// response lost (a 5xx, a dropped connection), the retry returns that
	// message instead of posting a second one.
	nonce := m.ID
	if len(nonce) > maxNonce {
		nonce = ""
	}
	body, err := discordgo.Marshal(messageCreate{MessageSend: msg, Nonce: nonce, EnforceNonce: nonce != ""})
	if err != nil {
		a.obs.PlatformError(platform, "post_message")
		a.log.Error("discord: encode reply", "err", err)
		return err
	}
	if a.ownShare != nil {
		a.ownShare(time.Since(received))
	}
	endpoint := discordgo.EndpointChannelMessages(m.ChannelID)
	err = a.withRetries(ctx, func() error {
		_, err := a.session.RequestRaw(http.MethodPost, endpoint, "application/json", body, endpoint, 0, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		a.obs.PlatformError(platform, "post_message")
		a.log.Warn("discord: post reply failed", "op", "post_message", "channel", m.ChannelID, "err", relay.SafeErr(err))
	}
	return err
}

// callback answers interaction i with resp through its callback endpoint,
// and counts the answer of kind ("" for none: a PONG, an autocomplete or an
// acknowledgement). A callback that fails for good is counted and logged.
func (a *Adapter) callback(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse, kind bot.Kind, received time.Time) {
	body, err := discordgo.Marshal(resp)
	if err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		a.log.Error("discord: encode interaction response", "err", err)
		return
	}
	if a.ownShare != nil && kind != "" {
		a.ownShare(time.Since(received))
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	retried := false
	err = a.withRetries(ctx, func() error {
		// Each callback URL is used once: a bucket of its own, not one in
		// the session's rate limiter, which keeps every bucket for ever.
		bucket := discordgo.NewRatelimiter().LockBucket(endpoint)
		_, err := a.session.RequestWithLockedBucket(http.MethodPost, endpoint, "application/json", body, bucket, 0, discordgo.WithContext(ctx))
		var rest *discordgo.RESTError
		if retried && errors.As(err, &rest) && rest.Message != nil && rest.Message.Code == discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged {
			return nil // an earlier attempt got through; its response was lost
		}
		retried = true
		return err
	})
	if err != nil {
		a.obs.PlatformError(platform, "interaction_respond")
		// Never the error as it is: a *url.Error names the callback URL,
		// whose token lets its holder post as the bot for 15 minutes.
		a.log.Warn("discord: interaction response failed", "op", "interaction_respond", "type", i.Type.String(), "err", relay.SafeErr(err))
		return
	}
	if kind != "" {
		a.obs.Answered(platform, kind, time.Since(received))
	}
}

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
