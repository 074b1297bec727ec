package sim

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A lab restarted on its kept database delivers every published event a
// consumer had not applied when it stopped: the outbox and the inboxes are
// on disk even though the in-process broker's memory is gone.
func TestARestartDeliversWhatWasPublishedButNotYetApplied(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(Options{Dir: dir, Seed: 1})
	require.NoError(t, err)
	first.Send("k1", book)
	first.Send("k2", book)
	_, err = first.StepRelay()
	require.NoError(t, err)
	_, err = first.StepConsumer("warehouse") // email never gets to run
	require.NoError(t, err)
	c := counts(t, first)
	require.Equal(t, 2, c.OutboxPublished)
	require.Equal(t, 2, c.Effects["warehouse"])
	require.Zero(t, c.Effects["email"])
	require.NoError(t, first.Close())

	again, err := Open(Options{Dir: dir, Seed: 1})
	require.NoError(t, err)
	defer again.Close()
	c = counts(t, again)
	require.Equal(t, 2, c.Broker.Queued["email"], "email's deliveries come back")
	require.Zero(t, c.Broker.Queued["warehouse"], "warehouse applied both already")
	_, err = again.Drain()
	require.NoError(t, err)
	c = counts(t, again)
	require.Equal(t, 2, c.Effects["email"])
	require.Equal(t, 2, c.Effects["warehouse"], "nothing applied twice")
	for _, r := range again.Invariants() {
		require.True(t, r.OK, "%s: %v", r.Name, r.Broken)
	}
	require.NoError(t, again.Close())

	third, err := Open(Options{Dir: dir, Seed: 1})
	require.NoError(t, err)
	defer third.Close()
	require.Zero(t, counts(t, third).Broker.Log, "everything was applied: nothing to deliver again")
}
