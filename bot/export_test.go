package bot

// Satisfies reports whether a satisfies a corpus label, with the rules of
// the shared scorer (../shared/eval/score.py); see answers.
var Satisfies = answers
