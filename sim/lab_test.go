package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// newLab opens a fresh lab with its own temp files and embedded Redis.
func newLab(t testing.TB, opts ...func(*Options)) *Lab {
	t.Helper()
	o := Options{Seed: 42}
	for _, f := range opts {
		f(&o)
	}
	l, err := Open(o)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

var book = OrderRequest{Item: "book", Qty: 1}

func counts(t testing.TB, l *Lab) Counts {
	t.Helper()
	c, err := l.Counts(context.Background())
	require.NoError(t, err)
	return c
}

// broken returns the invariant's result and fails when the name is unknown.
func invariant(t testing.TB, l *Lab, name string) InvariantResult {
	t.Helper()
	r, err := l.Invariant(name)
	require.NoError(t, err)
	return r
}

func requireAllInvariantsHold(t testing.TB, l *Lab) {
	t.Helper()
	for _, r := range l.Invariants() {
		require.Truef(t, r.OK, "%s broken: %v", r.Name, r.Broken)
	}
}

func TestHappyPathThroughTheOutbox(t *testing.T) {
	l := newLab(t)
	out := l.Send("k1", book)
	require.Equal(t, ResultCreated, out.Result)
	require.Equal(t, 201, out.Status)
	require.NotEmpty(t, out.OrderID)

	c := counts(t, l)
	require.Equal(t, 1, c.Orders)
	require.Equal(t, 1, c.OutboxPending, "the event waits in the outbox until the relay runs")
	require.Equal(t, 0, c.Broker.Log)

	rep, err := l.Drain()
	require.NoError(t, err)
	require.Equal(t, 1, rep.Published)
	c = counts(t, l)
	require.Equal(t, 1, c.OutboxPublished)
	require.Equal(t, map[string]int{"warehouse": 1, "email": 1}, c.Effects)
	require.Equal(t, map[string]int{"warehouse": 1, "email": 1}, c.Inbox)
	requireAllInvariantsHold(t, l)
}
