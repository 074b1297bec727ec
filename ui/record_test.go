package ui

import (
	"testing"

	"github.com/stretchr/testify/require"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

func TestARecordingOfWhatTheUserDidPlaysBackTheSame(t *testing.T) {
	_, c := newTestWindow(t)
	c.Run(func(l *sim.Lab) (string, error) {
		l.Send("k1", sim.OrderRequest{Item: "blue mug", Qty: 2})
		if err := l.Arm("relay.published", sim.ModeCrashOnce); err != nil {
			return "", err
		}
		_, err := l.StepRelay()
		return "", err
	})
	c.Run(func(l *sim.Lab) (string, error) { _, err := l.Drain(); return "", err })
	c.Wait()

	src := c.Recording("what I did")
	script, err := scenarios.Parse("recording.scn", []byte(src))
	require.NoError(t, err, src)
	replay, err := script.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer replay.Close()
	require.NoError(t, script.Play(replay, scenarios.Hooks{}))
	require.Equal(t, traceOf(c.Lab()), traceOf(replay))
	require.Contains(t, src, `item="blue mug"`)
}
