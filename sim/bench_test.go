package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkPlaceOrder is the service's whole path for one new order: SET
// NX, one transaction with the order and outbox rows, the response stored
// under the key, trace on, points disarmed. No HTTP: RawParts has none.
func BenchmarkPlaceOrder(b *testing.B) {
	l := newLab(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		resp, err := l.svc.place(ctx, "bench", fmt.Sprintf("k%d", i), book)
		if err != nil || resp.Status != http.StatusCreated {
			b.Fatalf("place: %v %d %s", err, resp.Status, resp.Body)
		}
	}
}

// BenchmarkRawParts is the same work written by hand with the same
// clients: what the pattern costs with no lab around it.
func BenchmarkRawParts(b *testing.B) {
	l := newLab(b)
	ctx := context.Background()
	rdb := l.redis.client
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprintf("idem:k%d", i)
		ok, err := rdb.SetNX(ctx, key, `{"state":"in-flight","fp":"0123456789abcdef"}`, l.opts.LockTTL).Result()
		if err != nil || !ok {
			b.Fatal("reserve", err)
		}
		orderID, eventID := l.ids.next(), l.ids.next()
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		now := formatLabTime(l.clock.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, idempotency_key, unique_key, item, qty, publish_mode, created_at) VALUES (?, ?, ?, ?, ?, 'outbox', ?)`,
			orderID, key, key, "book", 1, now); err != nil {
			b.Fatal(err)
		}
		payload, _ := json.Marshal(OrderCreated{EventID: eventID, OrderID: orderID, Key: key, Item: "book", Qty: 1})
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (event_id, order_id, type, payload, next_attempt_at, created_at) VALUES (?, ?, 'OrderCreated', ?, ?, ?)`,
			eventID, orderID, string(payload), now, now); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		body, _ := json.Marshal(orderBody{OrderID: orderID, Key: key, Item: "book", Qty: 1})
		if err := rdb.Set(ctx, key, `{"state":"completed","fp":"0123456789abcdef","status":201,"body":`+string(body)+`}`, l.opts.Retention).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRelayDrain relays 100,000 pending rows and has both consumers
// apply them with dedup on. events/s counts outbox events fully delivered.
func BenchmarkRelayDrain(b *testing.B) {
	const rows = 100_000
	for b.Loop() {
		b.StopTimer()
		l, err := Open(Options{Seed: 1})
		require.NoError(b, err)
		require.NoError(b, l.Populate(context.Background(), rows))
		b.StartTimer()
		rep, err := l.Drain()
		b.StopTimer()
		require.NoError(b, err)
		require.Equal(b, rows, rep.Published)
		require.Equal(b, rows, rep.Applied["warehouse"])
		require.Equal(b, rows, rep.Applied["email"])
		l.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "events/s")
}
