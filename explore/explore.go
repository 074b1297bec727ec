package explore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"outboxlab/sim"
)

// MaxRuns bounds --runs: a million runs take hours already.
const MaxRuns = 1_000_000

// Config says what to explore.
type Config struct {
	Runs       int      // how many random schedules
	Seed       uint64   // the explorer's seed; run i's schedule depends on it and i only
	Switches   []string // NAME=VALUE, as a scenario's set line takes them
	MaxActions int      // actions drawn per run before the finale; default 12
	Workers    int      // labs run side by side; default 2 × GOMAXPROCS
	// Progress, when set, is called after each run and each shrink with
	// where the explorer is. It is called from one goroutine at a time.
	Progress func(Progress)
}

// Progress is how far a run of the explorer has come.
type Progress struct {
	Done       int // runs finished
	Runs       int
	Violations int // runs that broke at least one invariant
	Elapsed    time.Duration
	Shrinking  string // the invariant being shrunk, once the runs are done
}

// Rate is runs per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// Tally is what one invariant suffered over all runs.
type Tally struct {
	Runs  int // runs that left it broken
	Rows  int // rows at fault, summed over runs: lost events, phantom events, keys with several orders, repeated effects
	First int // the first run (0-based) that broke it
}

// Step is one action of a counterexample and what the lab did.
type Step struct {
	Line   string // the scenario line
	Result string // what the lab said it did, as the player words it
}

// Finding is a shrunk counterexample for one invariant.
type Finding struct {
	Invariant   string
	Switches    string // the switches under test, NAME=VALUE separated by spaces; empty for the defaults
	ExploreSeed uint64
	Run         int // the run it came from (0-based)
	Runs        int
	Seed        uint64 // the lab seed of that run, the scenario's seed
	Original    int    // actions in the run before shrinking
	Steps       []Step // the shrunk schedule with what each action did
	Rows        []string
	Scenario    string // the narrated .scn text
}

// FileName is where Write puts the finding: <invariant>-seed<S>.scn.
func (f *Finding) FileName() string { return fmt.Sprintf("%s-seed%d.scn", f.Invariant, f.ExploreSeed) }

// Report is the result of exploring.
type Report struct {
	Runs      int // runs finished; fewer than asked when cancelled
	Failing   int // runs that broke at least one invariant
	Elapsed   time.Duration
	Cancelled bool
	Broken    map[string]Tally // by invariant; absent when it held in every run
	Findings  []*Finding       // one per broken invariant, in sim.InvariantNames order
}

// Violations counts the invariants broken in at least one run.
func (r *Report) Violations() int { return len(r.Broken) }

// Rate is runs per second.
func (r *Report) Rate() float64 {
	return Progress{Done: r.Runs, Elapsed: r.Elapsed}.Rate()
}

// Validate says what is wrong with c, if anything; Run checks it too.
func (c Config) Validate() error {
	_, err := c.check()
	return err
}

func (c *Config) check() (setLine string, err error) {
	if c.Runs < 1 || c.Runs > MaxRuns {
		return "", fmt.Errorf("--runs must be from 1 to %d, not %d", MaxRuns, c.Runs)
	}
	if c.MaxActions == 0 {
		c.MaxActions = 12
	}
	if c.MaxActions < 1 || c.MaxActions > 100 {
		return "", fmt.Errorf("actions per run must be from 1 to 100, not %d", c.MaxActions)
	}
	if c.Workers <= 0 {
		c.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	c.Workers = min(c.Workers, c.Runs)
	sw := sim.DefaultSwitches()
	var parts []string
	for _, s := range c.Switches {
		if err := sw.ParseSwitch(s); err != nil {
			return "", err
		}
		name, value, _ := strings.Cut(s, "=")
		parts = append(parts, strings.TrimSpace(name)+"="+strings.TrimSpace(value))
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "set " + strings.Join(parts, " "), nil
}

// labOptions are the explorer's labs: a short busy timeout, because a
// write that waits on a paused transaction can only time out (nothing moves
// while it waits), so waiting 2 seconds of real time would only be slow.
func labOptions(seed uint64) sim.Options {
	return sim.Options{Seed: seed, BusyTimeout: 20 * time.Millisecond, TraceLimit: 10_000}
}

// Run explores cfg.Runs random schedules and shrinks the first violation
// of each invariant. Cancelling ctx stops it early with what it has.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	setLine, err := cfg.check()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	labs := make([]*sim.Lab, cfg.Workers)
	defer func() {
		for _, l := range labs {
			if l != nil {
				l.Close()
			}
		}
	}()
	for i := range labs {
		if labs[i], err = sim.Open(labOptions(1)); err != nil {
			return nil, err
		}
	}

	jobs := make(chan int)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for _, lab := range labs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for run := range jobs {
				results <- explore(lab, run, runSeed(cfg.Seed, run), setLine, cfg.MaxActions)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for run := range cfg.Runs {
			select {
			case jobs <- run:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	rep := &Report{Broken: map[string]Tally{}}
	first := map[string]outcome{}
	var runErr *runError // the lowest-numbered run that failed, if any
	p := Progress{Runs: cfg.Runs}
	for o := range results {
		p.Done++
		if o.Err != nil && (runErr == nil || o.Run < runErr.run) {
			runErr = &runError{run: o.Run, seed: o.Seed, err: o.Err}
		}
		if len(o.Broken) > 0 {
			p.Violations++
		}
		for _, b := range o.Broken {
			t, seen := rep.Broken[b.Name]
			t.Runs++
			t.Rows += b.Count
			if !seen || o.Run < t.First {
				t.First = o.Run
				first[b.Name] = o
			}
			rep.Broken[b.Name] = t
		}
		p.Elapsed = time.Since(start)
		if cfg.Progress != nil {
			cfg.Progress(p)
		}
	}
	rep.Runs, rep.Failing, rep.Cancelled = p.Done, p.Violations, ctx.Err() != nil
	if runErr != nil {
		return nil, runErr
	}

	for _, name := range sim.InvariantNames {
		o, ok := first[name]
		if !ok {
			continue
		}
		p.Shrinking = name
		if cfg.Progress != nil {
			cfg.Progress(p)
		}
		f, err := minimise(ctx, labs[0], cfg, setLine, o, name)
		if errors.Is(err, context.Canceled) {
			rep.Cancelled = true
			break
		}
		if err != nil {
			return nil, err
		}
		rep.Findings = append(rep.Findings, f)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// minimise shrinks one run's schedule and replays the result to word it.
func minimise(ctx context.Context, lab *sim.Lab, cfg Config, setLine string, o outcome, invariant string) (*Finding, error) {
	full := lines(o.Steps)
	small, err := shrink(ctx, lab, o.Seed, full, invariant)
	if err != nil {
		return nil, err
	}
	steps, err := play(lab, o.Seed, small)
	if err != nil {
		return nil, fmt.Errorf("replaying the shrunk schedule of run %d: %w", o.Run+1, err)
	}
	f := &Finding{Invariant: invariant, Switches: strings.TrimPrefix(setLine, "set "), ExploreSeed: cfg.Seed,
		Run: o.Run, Runs: cfg.Runs, Seed: o.Seed, Original: len(full), Steps: steps}
	i := slices.IndexFunc(broken(lab), func(r sim.InvariantResult) bool { return r.Name == invariant })
	if i < 0 {
		return nil, fmt.Errorf("the shrunk schedule of run %d no longer breaks %s", o.Run+1, invariant)
	}
	f.Rows = broken(lab)[i].Broken
	f.Scenario = story(f)
	if err := Verify(f); err != nil {
		return nil, fmt.Errorf("run %d: %w", o.Run+1, err)
	}
	return f, nil
}

// runSeed gives run i its own seed (splitmix64 of the explorer's seed and
// i), small enough to read in a scenario's seed line.
func runSeed(seed uint64, run int) uint64 {
	z := seed + uint64(run+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return (z ^ (z >> 31)) % 1_000_000_007
}

// runError is an action that could not run in a drawn schedule: a bug in
// the explorer or the lab, never a finding.
type runError struct {
	run  int
	seed uint64
	err  error
}

func (e *runError) Error() string {
	return fmt.Sprintf("run %d (lab seed %d) could not run an action: %v", e.run+1, e.seed, e.err)
}
