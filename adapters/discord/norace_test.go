//go:build !race

package discord

// raceEnabled: the race detector slows everything about tenfold, so long
// tests do less.
const raceEnabled = false
