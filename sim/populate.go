package sim

import (
	"context"
	"encoding/json"
	"fmt"
)

// MaxPopulate bounds one Populate call.
const MaxPopulate = 1_000_000

// Populate bulk-loads n committed orders, each with a pending outbox row,
// as if customers had ordered while the relay was stopped. Keys are
// bulk-000001, bulk-000002... It exists for benchmarks and for showing the
// UI under load; it writes in one transaction, bypassing the HTTP path.
func (l *Lab) Populate(ctx context.Context, n int) error {
	if n < 1 || n > MaxPopulate {
		return fmt.Errorf("populate: n must be from 1 to %d, not %d", MaxPopulate, n)
	}
	l.act.Lock()
	defer l.act.Unlock()
	var start int
	if err := l.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders WHERE idempotency_key LIKE 'bulk-%'`).Scan(&start); err != nil {
		return fmt.Errorf("populate: %w", err)
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("populate: begin: %w", err)
	}
	defer tx.Rollback()
	insOrder, err := tx.PrepareContext(ctx, `INSERT INTO orders (id, idempotency_key, unique_key, item, qty, publish_mode, created_at) VALUES (?, ?, ?, ?, ?, 'outbox', ?)`)
	if err != nil {
		return fmt.Errorf("populate: %w", err)
	}
	insOutbox, err := tx.PrepareContext(ctx, `INSERT INTO outbox (event_id, order_id, type, payload, next_attempt_at, created_at) VALUES (?, ?, 'OrderCreated', ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("populate: %w", err)
	}
	now := formatLabTime(l.clock.Now())
	items := []string{"book", "lamp", "mug", "chair", "pen"}
	for i := range n {
		key := fmt.Sprintf("bulk-%06d", start+i+1)
		item, qty := items[i%len(items)], 1+i%3
		orderID, eventID := l.ids.next(), l.ids.next()
		if _, err := insOrder.ExecContext(ctx, orderID, key, key, item, qty, now); err != nil {
			return fmt.Errorf("populate: insert order: %w", err)
		}
		payload, _ := json.Marshal(OrderCreated{EventID: eventID, OrderID: orderID, Key: key, Item: item, Qty: qty})
		if _, err := insOutbox.ExecContext(ctx, eventID, orderID, string(payload), now, now); err != nil {
			return fmt.Errorf("populate: insert outbox row: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("populate: commit: %w", err)
	}
	l.record("populate", fmt.Sprint(n))
	l.note(LaneLab, LaneSQLite, "", "bulk-load orders with pending outbox rows", "", "", "", fmt.Sprint(n))
	l.changed(&l.versions.orders)
	l.changed(&l.versions.outbox)
	l.afterStep()
	return nil
}
