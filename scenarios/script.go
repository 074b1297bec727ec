package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"outboxlab/sim"
)

// Script is one parsed scenario.
type Script struct {
	Name    string // the file name without directory or .scn
	File    string // the path errors name
	Title   string
	Summary string
	Seed    uint64
	Steps   []Step
}

// Step is what one press of "step" does: show the narration, run the
// action (if any), check the expectations, take the shots.
type Step struct {
	Line    int      // the action's line, or the first line of the step
	Say     []string // narration shown with this step
	Action  *Command // nil for a narration-only step
	Expects []Expect
	Shots   []Shot
}

// Command is one action on the lab: a verb and its arguments, as written.
type Command struct {
	Line int
	Verb string
	Args []string
}

// String renders the command in scenario syntax, quoting values that need
// it, so a printed command can be pasted back into a file.
func (c Command) String() string {
	parts := []string{c.Verb}
	for _, a := range c.Args {
		if name, value, ok := strings.Cut(a, "="); ok {
			parts = append(parts, sim.Arg(name, value))
		} else if strings.ContainsAny(a, " \t\"\\") || a == "" {
			parts = append(parts, strconv.Quote(a))
		} else {
			parts = append(parts, a)
		}
	}
	return strings.Join(parts, " ")
}

// Expect is one checked claim.
type Expect struct {
	Line int
	Text string   // as written, for messages
	Kind string   // count, client, status, key, holds, broken
	What []string // what is checked: ["outbox", "pending"], ["k1"]...
	Op   string   // =, >=, <= for counts and status
	Want string
}

// Shot is a screenshot mark.
type Shot struct {
	Line int
	Name string
}

// where names a line of the script for messages.
func (s *Script) where(line int) string { return fmt.Sprintf("%s:%d", s.File, line) }
