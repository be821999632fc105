package bot

// acceptsUpgrade reports whether a text tells of a protocol upgrade that
// the server accepts ("when the websocket upgrade succeeds", "a successful
// upgrade", "when it accepts the switch"): the server answers 101
// Switching Protocols (RFC 9110, 15.2.2), whatever success words or talk
// of upgrades otherwise point to (2xx, 426).
func acceptsUpgrade(toks []string) bool {
	for i, t := range toks {
		if !upgradeWords[t] {
			continue
		}
		for _, u := range toks[max(0, i-3):min(len(toks), i+4)] {
			if acceptWords[u] {
				return true
			}
		}
	}
	return false
}

// upgradeWords name a switch of protocols.
var upgradeWords = wordSet("upgrade", "upgrades", "upgraded", "upgrading", "switch", "switches", "switched", "switching")

// acceptWords tell that a server went along with it.
var acceptWords = wordSet("succeeds", "succeeded", "successful", "successfully", "accepts", "accepted", "accepting",
	"agrees", "agreed")
