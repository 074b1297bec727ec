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
	title = strings.Join(strings.FieldsFunc(title, func(r rune) bool { return r <= ' ' || r == 0x7f }), " ")
	if title == "" {
		title = "Recorded session"
	}
	fmt.Fprintf(&b, "title: %s\n", title)
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
