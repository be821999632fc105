//go:build race

package slack

// raceEnabled says the race detector is on: the soak asks fewer questions.
const raceEnabled = true
