package sim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGetOrderHealthzAndLabState(t *testing.T) {
	l := newLab(t)
	out := l.Send("k1", book)
	_, err := l.StepRelay()
	require.NoError(t, err)

	a := do(t, l, http.MethodGet, "/orders/"+out.OrderID, "", nil)
	require.Equal(t, 200, a.StatusCode)
	var o OrderRow
	require.NoError(t, json.Unmarshal([]byte(a.body), &o))
	require.Equal(t, "k1", o.Key)
	require.Equal(t, "book", o.Item)

	require.Equal(t, 404, do(t, l, http.MethodGet, "/orders/nope", "", nil).StatusCode)
	require.Equal(t, 200, do(t, l, http.MethodGet, "/healthz", "", nil).StatusCode)

	a = do(t, l, http.MethodGet, "/lab/state", "", nil)
	require.Equal(t, 200, a.StatusCode)
	// What a person with curl reads: durations as words, not nanoseconds.
	var st struct {
		Switches  map[string]string `json:"switches"`
		Orders    []OrderRow        `json:"orders"`
		Outbox    []OutboxRow       `json:"outbox"`
		RedisKeys []struct {
			State string `json:"state"`
			TTL   string `json:"ttl"`
		} `json:"redis_keys"`
		BrokerLog []struct {
			At string `json:"at"`
		} `json:"broker_log"`
		Deliveries map[string][]Delivery `json:"deliveries"`
		Invariants []InvariantResult     `json:"invariants"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &st))
	require.Equal(t, "outbox", st.Switches["publish"])
	require.Len(t, st.Orders, 1)
	require.Len(t, st.Outbox, 1)
	require.Equal(t, "published", st.Outbox[0].Status)
	require.Len(t, st.RedisKeys, 1)
	require.Equal(t, KeyCompleted, st.RedisKeys[0].State)
	require.Equal(t, "24h0m0s", st.RedisKeys[0].TTL)
	require.Equal(t, "+0s", st.BrokerLog[0].At)
	require.Len(t, st.BrokerLog, 1)
	require.Len(t, st.Deliveries["warehouse"], 1)
	require.Len(t, st.Invariants, 5)

	require.Equal(t, 400, do(t, l, http.MethodGet, "/lab/state?limit=zero", "", nil).StatusCode)
}

func TestPausedWorkShowsInTheStateAndCurlCanBeResumed(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("db.order_inserted", ModePause))
	done := make(chan httpAnswer, 1)
	go func() { done <- postOrder(t, l, "curl-1", `{"item":"book","qty":1}`) }()
	require.Eventually(t, func() bool { return len(l.Paused()) == 1 }, 5e9, 1e6)
	p := l.Paused()[0]
	require.Equal(t, "db.order_inserted", p.Point)
	require.Equal(t, "curl-1", p.Subject)
	require.NoError(t, l.Resume(p.ID))
	require.Equal(t, 201, (<-done).StatusCode)
}

func TestPagedReadsReturnTheRequestedWindow(t *testing.T) {
	l := newLab(t)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		l.Send(k, book)
	}
	page, err := l.Orders(t.Context(), 1, 2)
	require.NoError(t, err)
	require.Len(t, page, 2)
	require.Equal(t, "b", page[0].Key)
	require.Equal(t, "c", page[1].Key)
	keys, total, err := l.RedisKeys(t.Context(), 3, 10)
	require.NoError(t, err)
	require.Equal(t, 5, total)
	require.Len(t, keys, 2)
	require.Equal(t, "d", keys[0].Key)
}

func TestPagesStayDenseAfterARolledBackInsert(t *testing.T) {
	l := newLab(t)
	require.NoError(t, l.Arm("db.order_inserted", ModeCrashOnce))
	l.Send("lost", book) // its insert rolls back
	for _, k := range []string{"a", "b", "c"} {
		l.Send(k, book)
	}
	page, err := l.Orders(t.Context(), 1, 5)
	require.NoError(t, err)
	require.Len(t, page, 2)
	require.Equal(t, "b", page[0].Key)
	require.Equal(t, "c", page[1].Key)
}

// A request paused on a point for longer than the server's write timeout
// still gets its answer once resumed: its deadline starts when the answer
// is ready. The wait is wall-clock time, which the server's deadline runs
// on; the lab's clock does not move.
func TestAPausedOrderOutlivesTheServersWriteTimeout(t *testing.T) {
	l := newLab(t, func(o *Options) { o.WriteTimeout = 100 * time.Millisecond })
	require.NoError(t, l.Arm("idem.reserved", ModePause))
	o := l.Send("k1", book)
	require.Equal(t, ResultWaiting, o.Result)
	time.Sleep(250 * time.Millisecond)
	require.NoError(t, l.Resume(l.Paused()[0].ID))
	got, ok := l.Client().Last("k1")
	require.True(t, ok)
	require.Equal(t, ResultCreated, got.Result, "the answer got a deadline of its own")
}
