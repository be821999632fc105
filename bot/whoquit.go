package bot

// Timeout stories turn on who stopped waiting, which their words alone do
// not tell: the client gave up on nginx (499), nginx gave up on the
// upstream (504), the server gave up on a client too slow to send (408).
// Where a text says someone gave up, timed out or hung up, the side that
// did it is read as one more word, "clientquit", "proxyquit" or
// "serverquit", in the catalogue and in the question alike.

// quitters are the words naming who quit, one for each side.
var quitters = []string{"clientquit", "proxyquit", "serverquit"}

// quitWords say that someone stopped waiting, once idioms are joined:
// "gave up" is "giveup", "timed out" is "timeout", "hung up" is
// "disconnect".
var quitWords = wordSet("giveup", "timeout", "timeouts", "disconnect", "disconnects", "disconnected",
	"abandon", "abandons", "abandoned", "cancel", "cancels", "cancelled", "canceled", "cancelling")

// sides name the side each word stands for: the one that asked, the one
// in the middle, or the one that answers.
var sides = func() map[string]string {
	m := map[string]string{}
	for side, ws := range map[string][]string{
		"client": {"client", "clients", "user", "users", "browser", "browsers", "caller", "callers",
			"visitor", "visitors", "customer", "customers", "curl", "frontend", "requester"},
		"proxy": {"nginx", "proxy", "proxies", "gateway", "gateways", "loadbalancer", "balancer", "lb",
			"alb", "elb", "cloudflare", "cdn", "ingress", "envoy", "haproxy", "traefik", "varnish",
			"sidecar", "kong", "squid"},
		"server": {"server", "servers", "backend", "backends", "upstream", "upstreams", "origin",
			"target", "targets", "service", "services", "fpm"},
	} {
		for _, w := range ws {
			m[w] = side
		}
	}
	return m
}()

// actorWindow is how many words before a word of quitting are searched for
// who quit.
const actorWindow = 12

// objectMarkers put a side named just after them out of the running: in
// "nginx waited for php-fpm and gave up", php-fpm is waited for; nginx
// gave up.
var objectMarkers = wordSet("for", "on", "to", "from", "with", "within", "behind", "of", "than", "by")

// clauseBreaks end the search: what comes before them is another event.
var clauseBreaks = wordSet("but", "because", "while", "when", "after", "before", "since", "though",
	"although", "whereas")

// actorTerm returns the word naming who quit when toks[i], a text's words
// with idioms joined, says that someone quit: the nearest side named
// before it that is not the object of a preposition, as in "the client
// gave up" ("clientquit"); or "".
func actorTerm(toks []string, i int) string {
	if !quitWords[toks[i]] {
		return ""
	}
	for j := i - 1; j >= 0 && j >= i-actorWindow && !clauseBreaks[toks[j]]; j-- {
		if side := sides[toks[j]]; side != "" && !objectAt(toks, j) {
			return side + "quit" // one of quitters
		}
	}
	return ""
}

// objectAt tells whether toks[j] follows a preposition, a word or two
// before it: "for the upstream", "for php fpm".
func objectAt(toks []string, j int) bool {
	for k := j - 1; k >= 0 && k >= j-2; k-- {
		if objectMarkers[toks[k]] {
			return true
		}
	}
	return false
}
