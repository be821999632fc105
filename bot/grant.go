package bot

// rejectsGrant reports whether a text tells of an OAuth 2.0 token request
// whose grant is no good ("the refresh token was revoked", "an
// authorization code used twice", "grant_type=password we don't
// support"), where RFC 6749 (5.2) answers 400 (invalid_grant,
// unsupported_grant_type), not of a client that failed to authenticate
// (invalid_client, its secret wrong: 401). The tokenizer splits
// grant_type and code_verifier in two.
func rejectsGrant(toks []string) bool {
	grant, problem := false, false
	for i, t := range toks {
		next := nextWord(toks, i)
		switch {
		case clientAuthWords[t] || t == "client" && (next == "secret" || next == "authentication" || next == "credentials" || next == "id"):
			return false
		case t == "refresh" && (next == "token" || next == "tokens"),
			(t == "authorization" || t == "auth") && (next == "code" || next == "codes"),
			t == "grant" && (next == "type" || i > 0 && grantProblems[toks[i-1]]), // grant_type, invalid_grant
			t == "code" && (next == "verifier" || next == "challenge"),
			t == "pkce":
			grant = true
		case grantProblems[t]:
			problem = true
		}
	}
	return grant && problem && atTokenEndpoint(toks)
}

// atTokenEndpoint reports whether a text places itself at an OAuth
// token endpoint: "the token endpoint", "/oauth/token", "grant_type=".
func atTokenEndpoint(toks []string) bool {
	for i, t := range toks {
		next := nextWord(toks, i)
		if t == "oauth" || t == "oauth2" || t == "grant" && next == "type" ||
			t == "token" && (next == "endpoint" || next == "request" || next == "url") {
			return true
		}
	}
	return false
}

// grantProblems tell what is wrong with a grant.
var grantProblems = wordSet("expired", "expires", "revoked", "used", "reused", "twice", "again", "invalid", "bad",
	"wrong", "unknown", "unsupported", "support", "supports", "allow", "allows", "accept", "accepts", "only", "stale",
	"old", "mismatch", "match", "hash")

// clientAuthWords tell of the client's own authentication at the token
// endpoint, which fails with 401 (invalid_client).
var clientAuthWords = wordSet("basic", "secret")
