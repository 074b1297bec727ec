package sim

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPublishAfterCommitCrashInBetweenLosesTheEvent(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("publish", "after-commit"))
	require.NoError(t, l.Arm("db.committed", ModeCrashOnce))
	out := l.Send("k1", book)
	require.Equal(t, ResultDropped, out.Result)
	require.Equal(t, 1, counts(t, l).Orders, "the order is committed")

	_, err := l.Drain()
	require.NoError(t, err)
	c := counts(t, l)
	require.Equal(t, 0, c.Broker.Log, "nobody ever published OrderCreated")
	require.Equal(t, 0, c.Broker.Deliveries["warehouse"])
	r := invariant(t, l, NoLostEvent)
	require.False(t, r.OK)
	require.Contains(t, r.Broken[0], "is committed but its event was never published")
}

func TestPublishAfterCommitWithoutACrashDelivers(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("publish", "after-commit"))
	l.Send("k1", book)
	_, err := l.Drain()
	require.NoError(t, err)
	c := counts(t, l)
	require.Equal(t, 1, c.Broker.Log)
	require.Equal(t, 0, c.OutboxPending+c.OutboxPublished, "no outbox in this mode")
	require.Equal(t, 1, c.Effects["warehouse"])
	requireAllInvariantsHold(t, l)
}

func TestPausedBetweenCommitAndPublishIsNotLostYet(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("publish", "after-commit"))
	require.NoError(t, l.Arm("db.committed", ModePause))
	l.Send("k1", book)
	require.True(t, invariant(t, l, NoLostEvent).OK, "the request can still publish")
	p := l.Paused()
	require.Len(t, p, 1)
	require.NoError(t, l.Crash(p[0].ID))
	require.False(t, invariant(t, l, NoLostEvent).OK, "now it never will")
}

func TestPublishBeforeCommitThenTheCommitFailsLeavesAPhantomEvent(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("publish", "before-commit"))
	require.NoError(t, l.Arm("publish.after", ModeCrashOnce))
	out := l.Send("k1", book)
	require.Equal(t, ResultDropped, out.Result)

	_, err := l.Drain()
	require.NoError(t, err)
	c := counts(t, l)
	require.Equal(t, 0, c.Orders, "the transaction rolled back")
	require.Equal(t, 1, c.Broker.Log, "but the event is out")
	require.Equal(t, 1, c.Effects["warehouse"], "and the warehouse shipped an order that does not exist")
	r := invariant(t, l, NoPhantomEvent)
	require.False(t, r.OK)
	require.Contains(t, r.Broken[0], "which was never committed")
}

func TestOutboxCrashAfterCommitTheRelayStillDelivers(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("db.committed", ModeCrashOnce))
	out := l.Send("k1", book)
	require.Equal(t, ResultDropped, out.Result)
	c := counts(t, l)
	require.Equal(t, 1, c.Orders)
	require.Equal(t, 1, c.OutboxPending, "the event survived the crash in the outbox")

	rep, err := l.StepRelay()
	require.NoError(t, err)
	require.Equal(t, 1, rep.Published)
	for _, name := range ConsumerNames {
		_, err := l.StepConsumer(name)
		require.NoError(t, err)
	}
	c = counts(t, l)
	require.Equal(t, 1, c.Effects["warehouse"])
	require.Equal(t, 1, c.Effects["email"])
	requireAllInvariantsHold(t, l)
}

func TestOutboxCrashBeforeCommitLeavesNeitherOrderNorEvent(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("db.outbox_inserted", ModeCrashOnce))
	l.Send("k1", book)
	_, err := l.Drain()
	require.NoError(t, err)
	c := counts(t, l)
	require.Equal(t, 0, c.Orders)
	require.Equal(t, 0, c.OutboxPending+c.OutboxPublished)
	require.Equal(t, 0, c.Broker.Log)
	requireAllInvariantsHold(t, l)
}

func TestRelayCrashAfterPublishingDeliversTwice(t *testing.T) {
	for _, tc := range []struct {
		dedup   string
		effects int
		holds   bool
	}{{"on", 1, true}, {"off", 2, false}} {
		t.Run("dedup="+tc.dedup, func(t *testing.T) {
			l := newLab(t)
			require.NoError(t, l.Set("dedup", tc.dedup))
			require.NoError(t, l.Arm("relay.published", ModeCrashOnce))
			l.Send("k1", book)
			first, err := l.StepRelay()
			require.NoError(t, err)
			require.Equal(t, "relay.published", first.Crashed)
			require.Equal(t, 1, counts(t, l).OutboxPending, "published but never marked")

			_, err = l.Drain()
			require.NoError(t, err)
			c := counts(t, l)
			require.Equal(t, 2, c.Broker.Log, "the relay published the row again")
			require.Equal(t, 2, c.Broker.Deliveries["warehouse"])
			require.Equal(t, tc.effects, c.Effects["warehouse"])
			require.Equal(t, tc.effects, c.Effects["email"])
			require.Equal(t, tc.holds, invariant(t, l, ExactlyOnceEffect).OK)
			require.True(t, invariant(t, l, NoLostEvent).OK)
		})
	}
}

func TestConsumerCrashBeforeAckIsRedelivered(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("consumer.applied", ModeCrashOnce))
	l.Send("k1", book)
	_, err := l.StepRelay()
	require.NoError(t, err)
	rep, err := l.StepConsumer("warehouse")
	require.NoError(t, err)
	require.Equal(t, "consumer.applied", rep.Crashed)
	require.Equal(t, 1, rep.Requeued)

	rep, err = l.StepConsumer("warehouse")
	require.NoError(t, err)
	require.Equal(t, 1, rep.Duplicates, "the inbox absorbed the redelivery")
	require.Equal(t, 1, counts(t, l).Effects["warehouse"])
	d := l.Broker().Deliveries("warehouse", 0, 0)
	require.Len(t, d, 2)
	require.Equal(t, 2, d[1].Attempt)
}

func TestBrokerDownRetriesWithBackoffThenDeadLetters(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.SetBrokerFault(BrokerDown))
	l.Send("k1", book)

	rep, err := l.StepRelay()
	require.NoError(t, err)
	require.Equal(t, 1, rep.Failed)
	require.Equal(t, 1, rep.Waiting)
	require.Equal(t, time.Second, rep.NextDue, "first retry after the base backoff")
	rows, err := l.Outbox(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Equal(t, 1, rows[0].Attempts)
	require.Equal(t, "broker is down", rows[0].LastError)

	rep, err = l.StepRelay()
	require.NoError(t, err)
	require.Equal(t, 0, rep.Fetched, "not due yet")

	drain, err := l.Drain()
	require.NoError(t, err)
	require.Equal(t, 1, drain.Dead)
	require.Equal(t, (1+2+4+8)*time.Second, drain.Waited, "the waits double: 1s, 2s, 4s, 8s")
	rows, err = l.Outbox(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Equal(t, "dead", rows[0].Status)
	require.Equal(t, 5, rows[0].Attempts)
	c := counts(t, l)
	require.Equal(t, 1, c.OutboxDead)
	require.Equal(t, 0, c.Broker.Log)
}

func TestBrokerDuplicateIsAbsorbedByTheInbox(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.SetBrokerFault(BrokerDuplicate))
	l.Send("k1", book)
	drain, err := l.Drain()
	require.NoError(t, err)
	require.Equal(t, map[string]int{"warehouse": 1, "email": 1}, drain.Duplicates)
	require.Equal(t, 1, counts(t, l).Effects["warehouse"])
	requireAllInvariantsHold(t, l)
}

func TestDrainStopsWhenAPointCrashesEveryTime(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("relay.fetched", ModeCrashAlways))
	l.Send("k1", book)
	rep, err := l.Drain()
	require.NoError(t, err)
	require.Equal(t, "relay.fetched is armed crash-always", rep.Stopped)
	require.Equal(t, 1, counts(t, l).OutboxPending)
}

// A request paused inside its transaction holds SQLite's write lock. The
// relay can still read and publish, but not mark: the row stays pending
// and goes out again once the lock is free. At-least-once, not an error.
func TestRelayThatCannotMarkPublishesAgainLater(t *testing.T) {
	l := newLab(t, func(o *Options) { o.BusyTimeout = 20 * time.Millisecond })
	l.Send("k1", book)
	require.NoError(t, l.Arm("db.order_inserted", ModePause))
	l.Send("k2", book)
	require.Len(t, l.Paused(), 1)

	r, err := l.StepRelay()
	require.NoError(t, err, "a locked database is something the relay lives through")
	require.True(t, r.Unmarked)
	require.Equal(t, 1, r.Published)
	require.Equal(t, 1, counts(t, l).OutboxPending, "the mark did not land")

	d, err := l.Drain()
	require.NoError(t, err)
	require.Contains(t, d.Stopped, "write lock", "drain stops instead of publishing the same row forever")

	require.NoError(t, l.Arm("db.order_inserted", ModeRun))
	require.NoError(t, l.Resume(l.Paused()[0].ID))
	_, err = l.Drain()
	require.NoError(t, err)
	c := counts(t, l)
	require.Zero(t, c.OutboxPending)
	require.Equal(t, 4, c.Broker.Log, "k1's event went out three times (twice unmarked), k2's once")
	require.Equal(t, 2, c.Effects["warehouse"], "the inbox absorbed the copies")
	for _, r := range l.Invariants() {
		require.True(t, r.OK, r.Name)
	}
}
