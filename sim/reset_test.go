package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// A reset lab must be indistinguishable from a fresh one: same trace, same
// IDs, same rows, same lights, even after a run that left work paused,
// points armed, the broker down and switches flipped.
func TestResetLabPlaysExactlyLikeAFreshOne(t *testing.T) {
	used := newLab(t)
	playLesson(t, used)
	require.NoError(t, used.Arm("db.order_inserted", ModePause))
	used.Send("k9", book)
	require.NotEmpty(t, used.Paused(), "the reset must cope with work paused inside a transaction")
	require.NoError(t, used.SetBrokerFault(BrokerDown))
	require.NoError(t, used.Set("dedup", "off"))
	used.LoseNextResponse()

	require.NoError(t, used.Reset(42)) // newLab's seed
	require.Empty(t, used.Paused())
	require.Empty(t, used.ArmedPoints())
	require.Empty(t, used.Actions())
	require.Equal(t, DefaultSwitches(), used.Switches())
	counts, err := used.Counts(context.Background())
	require.NoError(t, err)
	require.Zero(t, counts.Orders)

	fresh := newLab(t)
	playLesson(t, used)
	playLesson(t, fresh)
	require.Equal(t, traceLines(fresh), traceLines(used))
	ordersFresh, err := fresh.Orders(context.Background(), 0, 0)
	require.NoError(t, err)
	ordersUsed, err := used.Orders(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Equal(t, ordersFresh, ordersUsed)
	require.Equal(t, fresh.Invariants(), used.Invariants())
	require.Equal(t, fresh.Client().History(), used.Client().History())
}

func TestResetRefusesALabWithTheUsersDatabase(t *testing.T) {
	l, err := Open(Options{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	l.Send("k1", book)
	require.ErrorContains(t, l.Reset(1), "--db directory keeps its orders")
	counts, err := l.Counts(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, counts.Orders)
}
