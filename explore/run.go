package explore

import (
	"fmt"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// outcome is one run: what it did and the invariants it left broken.
type outcome struct {
	Run    int
	Seed   uint64
	Steps  []Step
	Broken []sim.InvariantResult
	Err    error // an action that could not run: a bug in the schedule or the lab
}

// play resets lab and runs lines on it, stopping at the first line that
// cannot run (during shrinking, a line that needs one that was removed).
func play(lab *sim.Lab, seed uint64, lines []string) ([]Step, error) {
	if err := lab.Reset(seed); err != nil {
		return nil, err
	}
	steps := make([]Step, 0, len(lines))
	for _, line := range lines {
		res, err := do(lab, line)
		if err != nil {
			return steps, err
		}
		steps = append(steps, Step{line, res})
	}
	return steps, nil
}

func do(lab *sim.Lab, line string) (string, error) {
	c, err := scenarios.ParseCommand(line)
	if err != nil {
		return "", fmt.Errorf("%s: %w", line, err)
	}
	res, err := c.Run(lab)
	if err != nil {
		return "", fmt.Errorf("%s: %w", line, err)
	}
	return res, nil
}

// explore runs one random schedule: the switches, up to maxActions drawn
// actions, then the finale.
func explore(lab *sim.Lab, run int, seed uint64, setLine string, maxActions int) outcome {
	o := outcome{Run: run, Seed: seed}
	var lines []string
	if setLine != "" {
		lines = append(lines, setLine)
	}
	o.Steps, o.Err = play(lab, seed, lines)
	if o.Err != nil {
		return o
	}
	sched := newSchedule(seed)
	for range sched.length(maxActions) {
		if o.Err = o.step(lab, sched.next(lab)); o.Err != nil {
			return o
		}
	}
	for _, line := range finale(lab) {
		if o.Err = o.step(lab, line); o.Err != nil {
			return o
		}
	}
	o.Broken = broken(lab)
	return o
}

// step runs one line and keeps it with what the lab said.
func (o *outcome) step(lab *sim.Lab, line string) error {
	res, err := do(lab, line)
	if err != nil {
		return err
	}
	o.Steps = append(o.Steps, Step{line, res})
	return nil
}

// broken lists the invariants the lab's latest check found broken.
func broken(lab *sim.Lab) []sim.InvariantResult {
	var out []sim.InvariantResult
	for _, r := range lab.Invariants() {
		if !r.OK {
			out = append(out, r)
		}
	}
	return out
}

func lines(steps []Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Line
	}
	return out
}
