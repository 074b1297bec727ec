package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"outboxlab/explore"
	"outboxlab/sim"
)

const exploreUsage = `Usage: outboxlab explore [flags] [SWITCH=VALUE...]

Runs random fault schedules against the lab: orders sent and retried,
points armed to crash or pause, paused work resumed or crashed, Redis
restarts, lab time moved past the lock and retention TTLs, broker faults,
relay and consumer steps, lost responses. After each run everything is let
finish, the relay drains, and every invariant is checked.

The first run that breaks each invariant is shrunk to the shortest schedule
that still breaks it and written as a narrated scenario,
DIR/INVARIANT-seedS.scn, that 'outboxlab play' replays and the app opens.
The same seed always gives the same runs and the same files.

Switches (default: every pattern on):
  idempotency=off|redis|redis+db  publish=after-commit|before-commit|outbox
  dedup=on|off                    conflicts=ietf|409

Exit code: 0 when every invariant held in every run, 1 when one broke (or
the explorer failed), 2 for a wrong command line, 130 when interrupted.

Examples:
  outboxlab explore --runs 10000
  outboxlab explore --runs 1000 --seed 7 publish=after-commit --out /tmp/found

Flags:
`

// exploreFlags are the explore command's settings.
type exploreFlags struct {
	cfg   explore.Config
	out   string
	quiet bool
}

func parseExplore(args []string, stdout io.Writer) (*exploreFlags, bool, error) {
	fs := flag.NewFlagSet("explore", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &exploreFlags{}
	fs.IntVar(&f.cfg.Runs, "runs", 1000, "how many random schedules to run (1 to 1000000)")
	fs.Uint64Var(&f.cfg.Seed, "seed", 1, "the explorer's seed: the same seed gives the same runs")
	fs.StringVar(&f.out, "out", "counterexamples", "write counterexamples into `DIR` (created when missing)")
	fs.IntVar(&f.cfg.Workers, "workers", 0, "labs run side by side (default: two per CPU)")
	fs.IntVar(&f.cfg.MaxActions, "actions", 12, "most random actions per run before the finale (1 to 100)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress line, only the findings and the summary")
	// Switches and flags may come in any order: explore dedup=off --runs 500.
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, exploreUsage)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return nil, true, nil
			}
			return nil, false, err
		}
		if fs.NArg() == 0 {
			break
		}
		sw := fs.Arg(0)
		if !strings.Contains(sw, "=") {
			return nil, false, fmt.Errorf("%q is not a switch; switches are NAME=VALUE, such as publish=after-commit", sw)
		}
		f.cfg.Switches = append(f.cfg.Switches, sw)
		args = fs.Args()[1:]
	}
	if f.cfg.Workers < 0 || f.cfg.Workers > 64 {
		return nil, false, fmt.Errorf("--workers must be from 1 to 64, not %d", f.cfg.Workers)
	}
	if f.cfg.MaxActions < 1 || f.cfg.MaxActions > 100 {
		return nil, false, fmt.Errorf("--actions must be from 1 to 100, not %d", f.cfg.MaxActions)
	}
	if strings.TrimSpace(f.out) == "" {
		return nil, false, errors.New("--out needs a directory")
	}
	return f, false, f.cfg.Validate()
}

// exploreCmd runs the explore command.
func exploreCmd(args []string, stdout, stderr io.Writer, signals notifier) int {
	f, help, err := parseExplore(args, stdout)
	if help {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "outboxlab explore: %s (see 'outboxlab explore -h')\n", oneLine(err))
		return 2
	}
	sw := sim.DefaultSwitches()
	for _, s := range f.cfg.Switches {
		_ = sw.ParseSwitch(s) // Validate has checked them
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop, release := signals()
	defer release()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()

	fmt.Fprintf(stdout, "Exploring %d runs with seed %d: %s\n", f.cfg.Runs, f.cfg.Seed, sw)
	var bar *progressLine
	if !f.quiet && isTerminal(stderr) {
		bar = &progressLine{w: stderr}
		f.cfg.Progress = bar.show
	}
	rep, err := exploreOffMain(ctx, f.cfg)
	bar.clear()
	if err != nil {
		fmt.Fprintf(stderr, "outboxlab explore: %s\n", oneLine(err))
		return 1
	}
	for _, fd := range rep.Findings {
		t := rep.Broken[fd.Invariant]
		fmt.Fprintf(stdout, "%s: broken in %d of %d runs (%s), first in run %d\n",
			fd.Invariant, t.Runs, rep.Runs, explore.Counted(fd.Invariant, t.Rows), t.First+1)
		path, err := explore.Write(f.out, fd)
		if err != nil {
			fmt.Fprintf(stderr, "outboxlab explore: %s\n", oneLine(err))
			return 1
		}
		fmt.Fprintf(stdout, "  shrunk from %d to %d actions: %s\n  replay it: outboxlab play %s\n", fd.Original, len(fd.Steps), path, path)
	}
	fmt.Fprintf(stdout, "%d runs in %s (%.0f runs/s): ", rep.Runs, rep.Elapsed.Round(100*time.Millisecond), rep.Rate())
	switch n := rep.Violations(); {
	case n == 0:
		fmt.Fprintln(stdout, "every invariant held in every run.")
	case n == 1:
		fmt.Fprintln(stdout, "1 invariant broken.")
	default:
		fmt.Fprintf(stdout, "%d invariants broken.\n", n)
	}
	switch {
	case rep.Violations() > 0:
		return 1
	case rep.Cancelled:
		fmt.Fprintf(stderr, "outboxlab explore: interrupted after %d of %d runs\n", rep.Runs, f.cfg.Runs)
		return 130
	}
	return 0
}

// exploreOffMain runs the explorer on a goroutine of its own. Fyne's
// driver locks the main goroutine to the main OS thread (GLFW needs it),
// and the explorer's collector wakes thousands of times a second: on the
// locked thread each wake is a thread hand-off, which cost a quarter of
// the run time.
func exploreOffMain(ctx context.Context, cfg explore.Config) (*explore.Report, error) {
	type result struct {
		rep *explore.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := explore.Run(ctx, cfg)
		done <- result{rep, err}
	}()
	r := <-done
	return r.rep, r.err
}

// progressLine redraws one status line on a terminal, at most ten times a
// second.
type progressLine struct {
	w    io.Writer
	mu   sync.Mutex
	last time.Time
}

func (b *progressLine) show(p explore.Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if p.Shrinking == "" && p.Done < p.Runs && time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last = time.Now()
	line := fmt.Sprintf("%d/%d runs · %.0f runs/s · %d broke an invariant", p.Done, p.Runs, p.Rate(), p.Violations)
	if p.Shrinking != "" {
		line += " · shrinking " + p.Shrinking
	}
	fmt.Fprintf(b.w, "\r\033[K%s", line)
}

func (b *progressLine) clear() {
	if b != nil {
		fmt.Fprint(b.w, "\r\033[K")
	}
}

// isTerminal reports whether w is a terminal, where a redrawn line reads
// well; piped into a file it would be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
