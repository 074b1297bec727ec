package scenarios

import (
	"context"
	"strings"

	"outboxlab/sim"
)

// ParseCommand reads one action line ("send key=k1", "arm db.committed
// crash-once") with the checks Parse applies to a file's lines. The
// explorer builds its schedules from such lines, so every action it runs is
// one a scenario file could hold.
func ParseCommand(line string) (*Command, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	args, err := fields(strings.TrimSpace(rest))
	if err != nil {
		return nil, err
	}
	c := &Command{Verb: verb, Args: args}
	if err := checkCommand(c); err != nil {
		return nil, err
	}
	return c, nil
}

// Run performs a checked command on lab and words what happened, exactly as
// a step of a played script does.
func (c *Command) Run(lab *sim.Lab) (string, error) {
	return run(context.Background(), lab, c)
}
