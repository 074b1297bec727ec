package sim

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRetryWithTheSameKeyGetsTheReplayNotASecondOrder(t *testing.T) {
	l := newLab(t)
	l.LoseNextResponse()
	first := l.Send("k1", book)
	require.Equal(t, ResultDropped, first.Result, "the response was lost on its way back")

	retry, err := l.Retry("k1")
	require.NoError(t, err)
	require.Equal(t, ResultReplayed, retry.Result)
	require.Equal(t, 201, retry.Status, "a replay repeats the stored status")
	require.Equal(t, 1, counts(t, l).Orders)
	require.True(t, invariant(t, l, OneOrderPerKey).OK)
}

func TestReplayCarriesTheIdempotentReplayedHeader(t *testing.T) {
	l := newLab(t)
	first := postOrder(t, l, "k1", `{"item":"book","qty":1}`)
	require.Equal(t, 201, first.StatusCode)
	require.Empty(t, first.Header.Get("Idempotent-Replayed"))

	second := postOrder(t, l, "k1", `{"item":"book","qty":1}`)
	require.Equal(t, 201, second.StatusCode)
	require.Equal(t, "true", second.Header.Get("Idempotent-Replayed"))
	require.Equal(t, first.body, second.body, "the replay is the stored body, byte for byte")
	require.Equal(t, 1, counts(t, l).Orders)
}

func TestIdempotencyOffTheRetryMakesASecondOrder(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("idempotency", "off"))
	l.LoseNextResponse()
	l.Send("k1", book)
	retry, err := l.Retry("k1")
	require.NoError(t, err)
	require.Equal(t, ResultCreated, retry.Result, "nothing recognises the retry")

	require.Equal(t, 2, counts(t, l).Orders)
	r := invariant(t, l, OneOrderPerKey)
	require.False(t, r.OK)
	require.Len(t, r.Broken, 1)
	require.Contains(t, r.Broken[0], "key k1: 2 orders")
}

func TestRedisRestartTheUniqueConstraintStillKeepsOneOrder(t *testing.T) {
	l := newLab(t)
	first := l.Send("k1", book)
	require.Equal(t, ResultCreated, first.Result)
	require.NoError(t, l.RestartRedis())
	keys, _, err := l.RedisKeys(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Empty(t, keys, "the restart lost every key")

	retry, err := l.Retry("k1")
	require.NoError(t, err)
	require.Equal(t, ResultReplayed, retry.Result, "the database caught the duplicate and answered with the existing order")
	require.Equal(t, first.OrderID, retry.OrderID)
	require.Equal(t, 1, counts(t, l).Orders)
	require.True(t, invariant(t, l, OneOrderPerKey).OK)

	keys, _, err = l.RedisKeys(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Len(t, keys, 1, "the replay stored the response under the key again")
	require.Equal(t, KeyCompleted, keys[0].State)
}

func TestRedisRestartWithoutTheUniqueConstraintMakesASecondOrder(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("idempotency", "redis"))
	l.Send("k1", book)
	require.NoError(t, l.RestartRedis())
	retry, err := l.Retry("k1")
	require.NoError(t, err)
	require.Equal(t, ResultCreated, retry.Result)
	require.Equal(t, 2, counts(t, l).Orders)
	require.False(t, invariant(t, l, OneOrderPerKey).OK)
}

func TestSecondRequestWhileTheFirstIsPausedGets409(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("idem.reserved", ModePause))
	first := l.Send("k1", book)
	require.Equal(t, ResultWaiting, first.Result)
	paused := l.Paused()
	require.Len(t, paused, 1)
	require.Equal(t, "idem.reserved", paused[0].Point)
	require.Equal(t, first.Request, paused[0].Work)

	second := l.Send("k1", book)
	require.Equal(t, 409, second.Status)
	require.Equal(t, ResultInFlight, second.Result)

	require.NoError(t, l.Resume(paused[0].ID))
	done, _ := l.Client().Last("k1")
	require.Equal(t, ResultInFlight, done.Result, "Last is the 409; the first request is earlier in the history")
	require.Equal(t, ResultCreated, l.Client().History()[0].Result)
	require.Empty(t, l.Paused())
	require.Equal(t, 1, counts(t, l).Orders)
}

func TestSameKeyDifferentBody(t *testing.T) {
	for _, tc := range []struct {
		conflicts string
		status    int
	}{{"ietf", 422}, {"409", 409}} {
		t.Run("conflicts="+tc.conflicts+" answers "+itoa(tc.status), func(t *testing.T) {
			l := newLab(t)
			require.NoError(t, l.Set("conflicts", tc.conflicts))
			l.Send("k1", book)
			other := l.Send("k1", OrderRequest{Item: "lamp", Qty: 2})
			require.Equal(t, tc.status, other.Status)
			require.Equal(t, ResultKeyReused, other.Result)
			require.Contains(t, other.Message, "different body")
			require.Equal(t, 1, counts(t, l).Orders)
		})
	}
}

func TestCrashAfterReserveLeavesTheKeyStuckUntilTheLockTTL(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("idem.reserved", ModeCrashOnce))
	first := l.Send("k1", book)
	require.Equal(t, ResultDropped, first.Result)

	c := counts(t, l)
	require.Equal(t, 0, c.Orders, "no order")
	require.Equal(t, 0, c.OutboxPending, "no event")

	retry, _ := l.Retry("k1")
	require.Equal(t, ResultInFlight, retry.Result, "the dead request's reservation still blocks the key")
	keys, _, err := l.RedisKeys(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	require.Equal(t, KeyInFlight, keys[0].State)
	require.Equal(t, 30*time.Second, keys[0].TTL)

	require.NoError(t, l.Advance(29*time.Second))
	retry, _ = l.Retry("k1")
	require.Equal(t, ResultInFlight, retry.Result, "one second of lock TTL is left")

	require.NoError(t, l.Advance(2*time.Second))
	retry, _ = l.Retry("k1")
	require.Equal(t, ResultCreated, retry.Result, "the lock TTL ran out; the retry goes through")
	require.Equal(t, 1, counts(t, l).Orders)
	requireAllInvariantsHold(t, l)
}

func TestKeyRetentionExpiresThenTheSameKeyIsANewRequest(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Set("idempotency", "redis"))
	l.Send("k1", book)
	require.NoError(t, l.Advance(24*time.Hour+time.Second))
	again, _ := l.Retry("k1")
	require.Equal(t, ResultCreated, again.Result)
	require.Equal(t, 2, counts(t, l).Orders)
}

func TestStuckKeyInvariantFlagsAReservationWithoutTTL(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("idem.reserved", ModeCrashOnce))
	l.Send("k1", book)
	require.True(t, invariant(t, l, NoStuckKey).OK, "the lock TTL will free it")
	// Simulate a reservation written without a TTL, the bug the invariant
	// guards against.
	require.NoError(t, l.redis.client.Persist(context.Background(), "idem:k1").Err())
	require.NoError(t, l.Advance(time.Minute))
	r := invariant(t, l, NoStuckKey)
	require.False(t, r.OK)
	require.Contains(t, r.Broken[0], "key k1 in flight for 1m0s")
}

func TestRetryPolicyWaitsInLabTimeUntilTheStuckKeyFrees(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("idem.reserved", ModeCrashOnce))
	outs := l.SendWithRetries("k1", book, RetryPolicy{Attempts: 5, Backoff: 10 * time.Second})
	var results []Result
	for _, o := range outs {
		results = append(results, o.Result)
	}
	require.Equal(t, []Result{ResultDropped, ResultInFlight, ResultCreated}, results,
		"waits of 10s then 20s: the 30s lock TTL has run out by the second retry")
	require.Equal(t, 30*time.Second, l.Clock().Since())
	require.Equal(t, 1, counts(t, l).Orders)
}
