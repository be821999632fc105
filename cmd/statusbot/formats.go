package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/statusbot/statusbot/adapters/console"
	"github.com/statusbot/statusbot/adapters/discord"
	slackadapter "github.com/statusbot/statusbot/adapters/slack"
	"github.com/statusbot/statusbot/bot"
)

// answerFormat writes one answer; line-oriented formats end it with a newline.
type answerFormat func(w io.Writer, a *bot.Answer) error

// answerFormats lists the formats of `statusbot ask --format`.
func answerFormats() map[string]answerFormat {
	return map[string]answerFormat{
		"text": func(w io.Writer, a *bot.Answer) error {
			_, err := fmt.Fprintln(w, strings.TrimRight(console.Text(a), "\n")+"\n")
			return err
		},
		"json": func(w io.Writer, a *bot.Answer) error { return writeJSONLine(w, a.Result) },
		"slack": func(w io.Writer, a *bot.Answer) error {
			// The arguments of chat.postMessage.
			return writeJSONLine(w, struct {
				Text   string `json:"text"`
				Blocks any    `json:"blocks"`
			}{slackadapter.Text(a), slackadapter.Blocks(a)})
		},
		"discord": func(w io.Writer, a *bot.Answer) error {
			body, err := discord.MessageJSON(a)
			if err == nil {
				_, err = fmt.Fprintf(w, "%s\n", body)
			}
			return err
		},
	}
}

func formatNames() []string {
	var ns []string
	for n := range answerFormats() {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// writeJSONLine writes v as one line of JSON, without HTML escaping.
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
