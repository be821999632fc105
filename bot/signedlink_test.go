package bot

import "testing"

// TestExpiredSignedLink: a signed link used after its expiry is refused
// with 403, where the word "expired" alone leads to 401 or 410; the hop to
// a signed link that will expire is still 302.
func TestExpiredSignedLink(t *testing.T) {
	leadsWith(t, tuningBot(t), map[string]int{
		"a signed download URL that expired yesterday is used again by the mobile app, what status?":                       403,
		"our invoice PDFs sit behind a signed link whose signature expired last week, which status when someone opens it?": 403,
		"GET /files/9 sends the browser on to a presigned S3 URL that expires in five minutes, which status for that hop?": 302,
	})
}
