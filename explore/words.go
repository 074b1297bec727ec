package explore

import (
	"fmt"

	"outboxlab/sim"
)

// RowNouns names what each invariant's broken rows are, singular and
// plural: what a learner counts when a pattern is off.
var RowNouns = map[string][2]string{
	sim.OneOrderPerKey:    {"key with more than one order", "keys with more than one order"},
	sim.NoLostEvent:       {"lost event", "lost events"},
	sim.NoPhantomEvent:    {"phantom event", "phantom events"},
	sim.ExactlyOnceEffect: {"effect applied more than once", "effects applied more than once"},
	sim.NoStuckKey:        {"stuck key", "stuck keys"},
}

// Counted words n broken rows of invariant: "1 lost event", "3 lost events".
func Counted(invariant string, n int) string {
	nouns := RowNouns[invariant]
	if n == 1 {
		return "1 " + nouns[0]
	}
	return fmt.Sprintf("%d %s", n, nouns[1])
}
