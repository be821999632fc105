package bot

import "testing"

// TestRejectsGrant: at the token endpoint, a grant the server refuses is
// 400 (RFC 6749, 5.2), though 401 matches the words of a bad token best;
// a client whose own authentication fails stays 401.
func TestRejectsGrant(t *testing.T) {
	leadsWith(t, tuningBot(t), map[string]int{
		"the kiosk app sends a refresh token we revoked yesterday to our token endpoint, which status?":           400,
		"an authorization code that was already exchanged once comes back to /oauth/token, what do we reply?":     400,
		"the smart TV posts grant_type=password to our token endpoint but we only allow the device flow, status?": 400,
		"the partner's client secret is wrong when it calls our token endpoint with basic auth, which status?":    401,
	})
}
