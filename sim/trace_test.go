package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTraceKeepsTheLatestEventsAndCountsAll(t *testing.T) {
	tr := newTrace(NewClock(), 3)
	for _, what := range []string{"a", "b", "c", "d", "e"} {
		tr.add(Event{What: what})
	}
	require.Equal(t, 5, tr.Total())
	var got []string
	for _, e := range tr.Events(0) {
		got = append(got, e.What)
	}
	require.Equal(t, []string{"c", "d", "e"}, got, "the two oldest were dropped")
	require.Len(t, tr.Events(4), 1)
	require.Equal(t, 5, tr.Events(4)[0].Seq)
	require.Empty(t, tr.Events(5))
}

func TestHeldWorkLandsInReleaseOrder(t *testing.T) {
	tr := newTrace(NewClock(), 10)
	tr.hold("email")
	tr.add(Event{Work: "email", What: "apply"})
	tr.add(Event{Work: "relay", What: "publish"})
	tr.release("email")
	ev := tr.Events(0)
	require.Equal(t, "publish", ev[0].What)
	require.Equal(t, "apply", ev[1].What)
	require.Equal(t, 2, ev[1].Seq)
}
