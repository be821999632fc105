package bot

// ExplainAction is the name of the action chat platforms offer on any
// message to explain it (see Explain): a Discord message command, a Slack
// message shortcut. The core names it so that the home page's words and
// the platforms' menus say the same thing.
const ExplainAction = "Explain HTTP status"

// Home is the bot's front page, for a platform's home tab: what the bot
// does, example questions, how to explain a message someone posted, and the
// most asked codes as choices. It is the help answer, for everyone to see,
// with those two additions.
func (b *Bot) Home() *Answer {
	a := b.helpAnswer("")
	a.Private = false
	a.Text = joinParas(a.Text,
		"To explain a message someone posted, such as an error, a log excerpt or curl -i output, open the message's menu and choose "+ExplainAction+": the answer names every HTTP status the message states or implies, only to you until you share it.",
		"Or pick one of the most asked codes below.")
	a.Suggestions, a.Choices = choicesOf(b.idx.popular)
	return a
}
