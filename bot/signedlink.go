package bot

import "slices"

// expiredSignedLink reports whether a text tells of a signed link used
// after its expiry ("the signed URL expired an hour ago", "a presigned
// link past its expiry"): object stores refuse it with 403 (S3's
// AccessDenied "Request has expired"), though "expired" alone points to
// an expired session (401) or to something gone (410). The leaders it
// may overtake are those; and 302, the hop to a signed link, where the
// link has already "expired" (not one that "expires in 5 minutes").
func expiredSignedLink(toks []string) (leaders []int) {
	signed, link, expired := false, false, false
	for _, t := range toks {
		switch {
		case t == "signed" || t == "presigned" || t == "signature" || t == "sas":
			signed = true
		case t == "url" || t == "urls" || t == "link" || t == "links":
			link = true
		case expiryWords[t]:
			expired = true
		}
	}
	switch {
	case !signed || !link || !expired:
		return nil
	case slices.Contains(toks, "expired"):
		return []int{401, 410, 302}
	}
	return []int{401, 410}
}

// expiryWords tell that a time limit passed.
var expiryWords = wordSet("expired", "expires", "expiry", "expiration", "outdated", "stale", "lapsed")
