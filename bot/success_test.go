package bot

import "testing"

// TestSuccessStory: a request that went well is told apart from one where
// something went wrong, from a question about what to send, and from a
// success that is not an exchange at all; and its words say whether a body
// comes back.
func TestSuccessStory(t *testing.T) {
	type story struct {
		ok   bool
		code int
	}
	for s, want := range map[string]story{
		"our weather API returns the rainfall totals for the station":       {true, 200},
		"I send back the seat map when the flight exists":                   {true, 200},
		"the quiz endpoint works and we send them back their score":         {true, 200},
		"search on the recipe site with no results":                         {true, 200},
		"the api's list of open tickets is empty today":                     {true, 200},
		"the booking PUT is ok, we don't return a body":                     {true, 204},
		"the archive delete went fine and the server has nothing to say":    {true, 204},
		"sensor readings stored, empty response":                            {true, 204},
		"the upload endpoint worked and the new photo was created":          {true, 0},
		"the request to the server went ok but the response body is broken": {false, 0},
		"our API returns the cached page although the token expired":        {false, 0},
		"what should the server send back when the flight doesn't exist":    {false, 0},
		"which status should the endpoint return, the client keeps asking":  {false, 0},
		"the API returns the right status but the body is wrong":            {false, 0},
		"the proxy gave up after 30 seconds, ok what now":                   {false, 0},
		"is that fine for the api to return 200 here":                       {false, 0},
		"the caption is too long for the api, the json itself is fine":      {false, 0},
		"log in before the api sync even works":                             {false, 0},
		"a client sends a POST with an empty body to our endpoint":          {false, 0},
		"git push worked": {false, 0},
		"wishlist sync after login, nothing to return":                 {true, 204},
		"the API works; the client may now send the big body":          {true, 0},
		"the API works, we send the updated record back":               {true, 200},
		"the client sends the token we revoked, the API works":         {true, 0},
		"after the POST works we send the browser to the receipt page": {true, 0},
		"the server sends them to the login page, that worked":         {true, 0},
		"etag matches, nothing changed on the server":                  {false, 0},
		"my python function returns the list reversed":                 {false, 0},
		"no content-length header on the upload":                       {false, 0},
	} {
		ok, code := successStory(tokenize(s, nil))
		if got := (story{ok, code}); got != want {
			t.Errorf("successStory(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSuccessWithoutExamples checks two stories of success on a core that
// never saw the corpus's questions, where retrieval alone doubts them: a
// result sent "with" a reply verb is a body (200), a story of making
// something keeps the 201 that retrieval ranks first, and an empty list
// is not a 404.
func TestSuccessWithoutExamples(t *testing.T) {
	b := tuningBot(t)
	for q, want := range map[string]int{
		"the garden planner saves the bed layout and replies with the updated plot as JSON, which status":     200,
		"what do we return when a volunteer shift booking is created and we send back its reference and URL?": 201,
		// An empty result is a lookup that worked, though retrieval ranks 404 first.
		"GET /teams/7/members for a team nobody has joined, 404 or an empty list?": 200,
		// So is a search that matches none, or a list of zero items.
		"the flight search finds no matching connections for those dates, what should it return?":           200,
		"a new seller has zero payouts so far, which status for GET /payouts?":                              200,
		"no reviews exist for this product, should the reviews endpoint say 404?":                           200,
		"what should GET /students/{id}/absences return when the student simply has no absences this term?": 200,
	} {
		if a := b.Answer(q); a.Kind != KindSearch || a.Codes[0] != want {
			t.Errorf("Answer(%q) = %s %v, want %d first", q, a.Kind, a.Codes, want)
		}
	}
}

// TestValidTokenOfAKind: "a valid access token" holds as "a valid token"
// does, so a caller it names is known, and what it may not do is 403.
func TestValidTokenOfAKind(t *testing.T) {
	leadsWith(t, tuningBot(t), map[string]int{
		"A third-party app calls GET /ledgers with a valid access token, but the business owner never authorised consent for that ledger. Which status is correct?": 403,
		"a valid access token arrives but the account holder never authorised consent for the savings account, what is correct?":                                    403,
	})
}
