package bot_test

import "testing"

// TestRedirectKeepsMethod: a redirect whose request must keep its method
// or body is 308 for good and 307 for a while; a form POST followed by a
// GET is still 303, and a move of GET pages still 301 first.
func TestRedirectKeepsMethod(t *testing.T) {
	b := newBot(t)
	answersFirst(t, b, map[string]int{
		"the docs portal moved to a new domain for good, search ranking should carry over, and some integrations POST to the old endpoints and must keep posting. which redirect?": 308,
		"the promo page is somewhere else for now but the POST has to stay a POST, what do browsers get":                                                                           307,
		"for one week /sale points to /winter-sale and the basket POST must stay a POST, which status?":                                                                            307,
		"after the form POST we redirect to the thank-you page, which code makes the browser switch to GET?":                                                                       303,
		"the blog moved to a new domain for good, GET pages only, which redirect?":                                                                                                 301,
		"perm redirect and keep POST body":            308,
		"temp redirect, body of the PUT must survive": 307,
	})
}
