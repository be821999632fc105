package bot

import "testing"

// TestAcceptsUpgrade: a protocol switch the server accepts is 101, though
// success words point to 2xx and talk of upgrades to 426; a server that
// refuses to go on without one is still 426.
func TestAcceptsUpgrade(t *testing.T) {
	leadsWith(t, tuningBot(t), map[string]int{
		"hi all, the trading desk streams prices over a websocket on /ws/prices. qa is writing tests with curl and asks which status the server gives back when the upgrade succeeds. can anyone confirm?": 101,
		"what status does the server answer when it accepts the client's switch to websocket on /ws?":                                                                                                      101,
		"the server refuses to go on over HTTP/1.1 and wants the client to upgrade first, which status?":                                                                                                   426,
	})
}
