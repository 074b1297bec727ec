package scenarios

import (
	"fmt"
	"strings"

	"outboxlab/sim"
)

// Record writes what a lab was asked to do as a scenario file. Playing it
// on a fresh lab with the same seed gives the same trace.
func Record(title string, seed uint64, actions []sim.Action) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\n", strings.Join(strings.Fields(title), " "))
	fmt.Fprintf(&b, "# Recorded by Outbox Lab. Add say lines for narration and expect lines for the lesson's claims.\n")
	if seed != 1 {
		fmt.Fprintf(&b, "seed: %d\n", seed)
	}
	for _, a := range actions {
		b.WriteString(a.String())
		b.WriteByte('\n')
	}
	return b.String()
}
