// Command outboxlab opens the Outbox Lab window. With the serve command it
// runs the same lab headless, for curl, redis-cli and sqlite3.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, interrupts))
}

// notifier starts delivering the signals that end a long-running command and
// returns the channel and a function that stops the delivery.
type notifier func() (<-chan os.Signal, func())

// interrupts is the real notifier: SIGINT (Ctrl-C) and SIGTERM.
func interrupts() (<-chan os.Signal, func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c, func() { signal.Stop(c) }
}

const usage = `Usage: outboxlab [command] [flags]

With no command, outboxlab opens the lab's window:
  outboxlab [--scale 1|1.5|2] [--dark] [--lesson NAME]

Commands:
  serve   run the lab headless until Ctrl-C: the order API, Redis and SQLite
          on loopback, with the relay and consumers running by themselves
  play    play scenarios headless: narration, actions and checked expectations,
          with --shots DIR pictures of the window at each shot mark
          ('outboxlab play --list' for the built-in course)
  explore run random fault schedules, check every invariant, and write the
          shortest counterexample of each broken one as a scenario
  help    show this help ('outboxlab help serve' for a command's flags)
`

// run is the whole command line. It returns the exit code: 0 done, 1 the
// command failed, 2 the command line was wrong.
func run(args []string, stdout, stderr io.Writer, signals notifier) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "outboxlab: internal error: %v\n", r)
			code = 1
		}
	}()
	// go-redis logs its own dial failures to stderr; the lab reports what
	// went wrong itself, on one line.
	redis.SetLogger(quietRedis{})
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !slices.Contains([]string{"-h", "-help", "--help"}, args[0])) {
		return gui(args, stdout, stderr)
	}
	switch cmd := args[0]; cmd {
	case "serve":
		return serve(args[1:], stdout, stderr, signals)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] == "serve" {
			return serve([]string{"-h"}, stdout, stderr, signals)
		}
		if len(args) > 1 && args[1] == "play" {
			return play([]string{"-h"}, stdout, stderr)
		}
		if len(args) > 1 && args[1] == "explore" {
			return exploreCmd([]string{"-h"}, stdout, stderr, signals)
		}
		fmt.Fprint(stdout, usage)
		return 0
	case "play":
		return play(args[1:], stdout, stderr)
	case "explore":
		return exploreCmd(args[1:], stdout, stderr, signals)
	default:
		fmt.Fprintf(stderr, "outboxlab: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

// quietRedis drops go-redis's internal log lines.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}
