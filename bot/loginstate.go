package bot

// Whether the user is signed in decides between 401 and 403, and "logged
// in" is in both kinds of story: "opens the gradebook without logging in"
// is 401, "she is logged in but volunteers can't see donors" is 403. The
// words around "login" (the idiom for "logged in", "signed in") tell which:
// a negation before it reads as "anonymous", a verb that states it as
// "signedin", in the catalogue and in the question alike.

// loginNegations before "login" say the user is not signed in: "not logged
// in", "without being signed in", "isn't logged in".
var loginNegations = wordSet("not", "without", "isnt", "arent", "wasnt", "werent", "never", "no", "dont",
	"doesnt", "didnt", "cant", "cannot")

// loginStates before "login" state that the user is signed in: "she is
// logged in", "they're already signed in".
var loginStates = wordSet("is", "are", "was", "were", "im", "hes", "shes", "theyre", "youre", "already",
	"properly", "successfully")

// loginFillers may stand between those words and "login": "without being
// logged in", "not even signed in", "is still logged in".
var loginFillers = wordSet("being", "even", "yet", "still", "fully", "at", "all", "properly", "already")

// loginFailures, right after "login", say it did not sign the user in:
// "login failed". ("failed logins" before it count attempts, which a rate
// limit may answer.)
var loginFailures = wordSet("failed", "fails", "failing", "failure", "unsuccessful")

// loginTerm returns "anonymous" when toks[i] is a "login" the words before
// it deny, "signedin" when they state it, and otherwise "".
func loginTerm(toks []string, i int) string {
	if toks[i] != "login" {
		return ""
	}
	if i+1 < len(toks) && loginFailures[toks[i+1]] {
		return "anonymous" // "login failed": the credentials did not sign the user in
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		switch t := toks[j]; {
		case loginNegations[t]:
			return "anonymous"
		case loginStates[t]:
			if j > 0 && loginNegations[toks[j-1]] {
				return "anonymous" // "isn't already logged in"
			}
			return "signedin"
		case !loginFillers[t]:
			return ""
		}
	}
	return ""
}
