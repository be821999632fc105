package bot

import "testing"

// TestLoginTerm: "logged in" or "signed in" denied reads as "anonymous",
// stated as "signedin", and otherwise as neither.
func TestLoginTerm(t *testing.T) {
	for text, want := range map[string]string{
		"a visitor who isn't logged in opens the cart": "anonymous",
		"calls /orders without being signed in at all": "anonymous",
		"the kiosk never logged in":                    "anonymous",
		"she is logged in but cannot see the payroll":  "signedin",
		"they're already signed in as viewers":         "signedin",
		"the user needs to log in again":               "",
		"a signed-in user opens the admin page":        "",
		"after logging in the dashboard loads":         "",
		"what code for login failed":                   "anonymous",
		"five failed logins from one address":          "",
	} {
		got := ""
		for _, w := range []string{"anonymous", "signedin"} {
			if readsSomewhere(text, loginTerm, w) {
				got = w
			}
		}
		if got != want {
			t.Errorf("loginTerm over %q = %q, want %q", text, got, want)
		}
	}
}
