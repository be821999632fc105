// Package console is the terminal adapter: it reads one question a line and
// writes each answer as plain text.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/statusbot/statusbot/adapters/relay"
	"github.com/statusbot/statusbot/bot"
)

// Text renders an answer as plain text for a terminal.
func Text(a *bot.Answer) string {
	var sb strings.Builder
	sb.WriteString(a.Title + "\n")
	if a.TitleURL != "" && !slices.ContainsFunc(a.Links, func(l bot.Link) bool { return l.URL == a.TitleURL }) {
		sb.WriteString(a.TitleURL + "\n")
	}
	if a.Text != "" {
		sb.WriteString("\n" + wrap(a.Text, width, "") + "\n")
	}
	if len(a.Items) > 0 {
		sb.WriteString("\n")
		for _, it := range a.Items {
			line := it.Label
			if it.Detail != "" {
				line += " - " + it.Detail
			}
			sb.WriteString("  " + wrap(line, width-2, "      ") + "\n")
		}
	}
	if len(a.Fields) > 0 {
		sb.WriteString("\n")
		for _, f := range a.Fields {
			v := f.Value
			if f.URL != "" {
				v += " <" + f.URL + ">"
			}
			fmt.Fprintf(&sb, "%s\n", wrap(f.Name+": "+v, width, "  "))
		}
	}
	if a.Note != "" {
		sb.WriteString("\n" + wrap(a.Note, width, "") + "\n")
	}
	for _, l := range a.Links {
		fmt.Fprintf(&sb, "%s: %s\n", l.Label, l.URL)
	}
	if a.Image != nil {
		fmt.Fprintf(&sb, "Picture (%s): %s\n", a.Image.Alt, a.Image.URL)
	}
	if len(a.Choices) > 0 {
		labels := make([]string, len(a.Choices))
		for i, c := range a.Choices {
			labels[i] = c.Label
		}
		sb.WriteString("Did you mean: " + strings.Join(labels, "; ") + "\n")
	}
	return sb.String()
}

// Options tune RunWith.
type Options struct {
	// Prompt writes a prompt before each line, for people at a terminal.
	Prompt bool
	// Observer, when set, is told of each answer (platform "console").
	Observer relay.Observer
}

// width is the column at which prose is wrapped for a terminal.
const width = 80

// wrap breaks each line of s at spaces so that no line is longer than n
// columns (a longer word stays whole); continuation lines start with indent.
func wrap(s string, n int, indent string) string {
	var sb strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			sb.WriteString("\n" + indent)
		}
		col := 0
		if i > 0 {
			col = len(indent)
		}
		for j, word := range strings.Fields(line) {
			w := utf8.RuneCountInString(word)
			if j > 0 && col+1+w > n {
				sb.WriteString("\n" + indent)
				col = len(indent)
			} else if j > 0 {
				sb.WriteByte(' ')
				col++
			}
			sb.WriteString(word)
			col += w
		}
	}
	return sb.String()
}

// answerer is the part of the core the console asks.
type answerer interface {
	Answer(query string) *bot.Answer
}

// Run answers each line read from in until end of input or until ctx is
// done. With prompt set it writes a prompt before each line, for people.
func Run(ctx context.Context, b answerer, in io.Reader, out io.Writer, prompt bool) error {
	return RunWith(ctx, b, in, out, Options{Prompt: prompt})
}

// RunWith is Run with options. A line being answered when ctx is done is
// answered before it returns.
func RunWith(ctx context.Context, b answerer, in io.Reader, out io.Writer, opts Options) error {
	obs := opts.Observer
	if obs == nil {
		obs = relay.NopObserver{}
	}
	prompt := opts.Prompt
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
	}()
	for {
		if prompt {
			fmt.Fprint(out, "statusbot> ")
		}
		select {
		case <-ctx.Done():
			if prompt {
				fmt.Fprintln(out) // end the prompt's line after ^C
			}
			return nil
		case line, ok := <-lines:
			if !ok {
				if prompt {
					fmt.Fprintln(out)
				}
				select {
				case err := <-errc:
					return err
				default:
					return nil
				}
			}
			if strings.TrimSpace(line) == "" && prompt {
				continue
			}
			start := time.Now()
			a := b.Answer(line)
			if _, err := fmt.Fprintln(out, Text(a)); err != nil {
				obs.PlatformError("console", "write")
				return err
			}
			obs.Answered("console", a.Kind, time.Since(start))
		}
	}
}
