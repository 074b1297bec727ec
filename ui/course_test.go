package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

func traceOf(l *sim.Lab) []string {
	var out []string
	for _, e := range l.Trace().Events(0) {
		out = append(out, e.String())
	}
	return out
}

func TestBackAfterThreeStepsShowsTheStateOfStepTwo(t *testing.T) {
	_, c := newTestWindow(t)
	script, err := scenarios.Builtin("12")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(script.Steps), 3)

	c.LoadScript(script)
	for range 3 {
		c.StepForward()
	}
	c.StepBack()
	c.Wait()

	// The same lesson played to step two on a lab of its own.
	want, err := script.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer want.Close()
	require.NoError(t, script.PlaySteps(want, 0, 2, scenarios.Hooks{}))

	got := c.Lab()
	require.Equal(t, traceOf(want), traceOf(got), "the rewound lab replayed exactly the first two steps")
	wantCounts, err := want.Counts(context.Background())
	require.NoError(t, err)
	gotCounts, err := got.Counts(context.Background())
	require.NoError(t, err)
	require.Equal(t, wantCounts, gotCounts)
	require.Equal(t, want.Invariants(), got.Invariants())
}

func TestTheCoursePanelShowsTheStepAndItsNarration(t *testing.T) {
	a := test.NewTempApp(t)
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	require.NoError(t, err)
	defer c.Close()
	w := a.NewWindow("course")
	defer w.Close()
	panel := newCoursePanel(c, w)
	w.SetContent(panel)
	script, err := scenarios.Builtin("01")
	require.NoError(t, err)

	c.LoadScript(script)
	c.StepForward()
	c.Wait()
	text := allText(panel)
	require.Contains(t, text, "step 1 of")
	require.Contains(t, text, script.Steps[0].Say[0])
}
