package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/statusbot/statusbot/bot"
	"github.com/statusbot/statusbot/catalog"
)

func newRootCommand(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "statusbot",
		Short:         "Answers HTTP status-code questions in Discord, Slack and the terminal",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBot(cmd, e)
		},
	}
	root.PersistentFlags().StringVar(&e.configPath, "config", "", "config file (default ./config.yaml when present)")
	root.AddCommand(
		&cobra.Command{
			Use:   "run",
			Short: "Run the bot on every platform configured (the terminal when none is)",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return runBot(cmd, e) },
		},
		newAskCommand(e),
		newSlackCommand(e),
		newDiscordCommand(e),
		&cobra.Command{
			Use:   "version",
			Short: "Print the version",
			Args:  cobra.NoArgs,
			Run: func(cmd *cobra.Command, args []string) {
				fmt.Fprintln(e.stdout, "statusbot", version())
			},
		},
	)
	return root
}

// buildVersion is set by the build, e.g.
// go build -ldflags "-X main.buildVersion=$(git describe --tags --always --dirty)".
var buildVersion string

// version is the version the build stamped: buildVersion when set, else the
// module version or the VCS revision (go build -buildvcs=true) from the
// binary's build info.
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-dirty"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		return rev + modified
	}
	if v == "" {
		return "(devel)"
	}
	return v
}

// newBot loads the catalogue and builds the core from cfg.
func newBot(cfg *Config) (*bot.Bot, error) {
	cat, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	return bot.New(cat, bot.Options{Images: bot.Images(cfg.Images)}), nil
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newAskCommand(e *env) *cobra.Command {
	var format string
	var jsonFlag, explain bool
	cmd := &cobra.Command{
		Use:   "ask [--explain] [QUERY...]",
		Short: "Answer one query, or every line of standard input, and exit",
		Long: `Answer one query, or every line of standard input, and exit.

With --explain, explain every HTTP status in QUERY, or in all of standard
input, as one text: a log excerpt, an error, curl -i output. Only the first
` + strconv.Itoa(bot.MaxExplainLen/1024) + ` KB are read; the answer says when the text was cut.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if jsonFlag {
				format = "json"
			}
			cfg, err := loadConfig(e.configPath, e.getenv)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			render, ok := answerFormats()[format]
			if !ok {
				return &exitError{code: 2, err: fmt.Errorf("unknown --format %q (want %s)", format, strings.Join(formatNames(), ", "))}
			}
			b, err := newBot(cfg)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(e.stdout)
			defer w.Flush()
			if explain {
				text := strings.Join(args, " ")
				if len(args) == 0 {
					// A byte more than the core reads, so that it can say
					// it cut the text; the rest is never read.
					in, err := io.ReadAll(io.LimitReader(e.stdin, bot.MaxExplainLen+1))
					if err != nil {
						return fmt.Errorf("ask --explain: read standard input: %w", err)
					}
					text = string(in)
				}
				return render(w, b.Explain(text))
			}
			if len(args) > 0 {
				return render(w, b.Answer(strings.Join(args, " ")))
			}
			sc := bufio.NewScanner(e.stdin)
			sc.Buffer(make([]byte, 64*1024), 1024*1024)
			for sc.Scan() {
				if err := render(w, b.Answer(sc.Text())); err != nil {
					return err
				}
				if err := w.Flush(); err != nil {
					return err
				}
			}
			return sc.Err()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: "+strings.Join(formatNames(), ", "))
	cmd.Flags().BoolVar(&jsonFlag, "json", false, "same as --format json")
	cmd.Flags().BoolVar(&explain, "explain", false, "explain every HTTP status in QUERY, or in all of standard input, as one text")
	return cmd
}
