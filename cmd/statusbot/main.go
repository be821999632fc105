// Command statusbot answers HTTP status-code questions in Discord, Slack and
// the terminal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// exitError carries a specific exit status out of run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitNow is the status of a second signal's immediate exit (128+SIGINT, as
// shells report an interrupted program).
const exitNow = 130

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go onSignals(sigs, cancel, os.Stderr, os.Exit)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "statusbot:", err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

// onSignals cancels the run on the first signal, which starts a graceful
// shutdown, and exits at once on the second.
func onSignals(sigs <-chan os.Signal, cancel context.CancelCauseFunc, stderr io.Writer, exit func(int)) {
	sig := <-sigs
	cancel(fmt.Errorf("received %s", sig))
	sig = <-sigs
	fmt.Fprintf(stderr, "statusbot: received %s again: exiting now\n", sig)
	exit(exitNow)
}

// run is the whole program, with its dependencies passed in so that tests can
// drive it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, platforms: platforms}
	return e.execute(ctx, args)
}

// env is what the commands read from and write to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	configPath     string

	// platforms are the chat platforms `run` may serve (the package's list;
	// tests pass fakes).
	platforms []platform
	// listening, when set, is told the HTTP server's address once it listens;
	// opsListening the operations server's, when http.ops_addr is set.
	listening, opsListening func(addr string)
}

// execute runs the command line args.
func (e *env) execute(ctx context.Context, args []string) error {
	root := newRootCommand(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	return root.ExecuteContext(ctx)
}
