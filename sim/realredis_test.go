package sim

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"outboxlab/internal/testredis"
)

func TestAgainstARealRedisServer(t *testing.T) {
	addr := testredis.Start(t)
	real := func(o *Options) { o.RedisAddr = addr }
	// Each subtest uses its own keys: they share one server.
	t.Run("a retry with the same key is replayed", func(t *testing.T) {
		l := newLab(t, real)
		l.LoseNextResponse()
		l.Send("r1", book)
		retry, err := l.Retry("r1")
		require.NoError(t, err)
		require.Equal(t, ResultReplayed, retry.Result)
	})
	t.Run("same key with another body is a 422", func(t *testing.T) {
		l := newLab(t, real)
		l.Send("r2", book)
		require.Equal(t, 422, l.Send("r2", OrderRequest{Item: "lamp", Qty: 1}).Status)
	})
	t.Run("a stuck key frees when lab time passes its lock TTL", func(t *testing.T) {
		l := newLab(t, real)
		require.NoError(t, l.Arm("idem.reserved", ModeCrashOnce))
		l.Send("r3", book)
		retry, _ := l.Retry("r3")
		require.Equal(t, ResultInFlight, retry.Result)
		require.NoError(t, l.Advance(31*time.Second), "a real server gets its TTLs shortened")
		retry, _ = l.Retry("r3")
		require.Equal(t, ResultCreated, retry.Result)
	})
	t.Run("a restart loses the lab's keys and the unique constraint holds", func(t *testing.T) {
		l := newLab(t, real)
		first := l.Send("r4", book)
		require.NoError(t, l.RestartRedis())
		keys, _, err := l.RedisKeys(context.Background(), 0, 0)
		require.NoError(t, err)
		require.Empty(t, keys)
		retry, _ := l.Retry("r4")
		require.Equal(t, ResultReplayed, retry.Result)
		require.Equal(t, first.OrderID, retry.OrderID)
	})
	t.Run("a handled failure releases the key at once", func(t *testing.T) {
		l := newLab(t, real)
		require.NoError(t, l.Set("publish", "before-commit"))
		require.NoError(t, l.SetBrokerFault(BrokerDown))
		require.Equal(t, ResultUnavailable, l.Send("r5", book).Result)
		require.NoError(t, l.SetBrokerFault(BrokerUp))
		retry, _ := l.Retry("r5")
		require.Equal(t, ResultCreated, retry.Result, "no 409: the failed request freed its key")
	})
}

func TestAHandledFailureReleasesTheKey(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("publish", "before-commit"))
	require.NoError(t, l.SetBrokerFault(BrokerDown))
	out := l.Send("k1", book)
	require.Equal(t, 503, out.Status)
	require.Contains(t, out.Message, "broker is down")
	require.NoError(t, l.SetBrokerFault(BrokerUp))
	retry, _ := l.Retry("k1")
	require.Equal(t, ResultCreated, retry.Result)
	requireAllInvariantsHold(t, l)
}

func TestUnreachableRedisIsAClearError(t *testing.T) {
	_, err := Open(Options{RedisAddr: "127.0.0.1:1"})
	require.ErrorContains(t, err, "redis at 127.0.0.1:1 is unreachable")
}
