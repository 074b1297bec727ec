package sim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OrderRow is one row of the orders table.
type OrderRow struct {
	Seq         int64  `json:"seq"`
	ID          string `json:"id"`
	Key         string `json:"idempotency_key"`
	UniqueGuard bool   `json:"unique_guard"` // the UNIQUE constraint covers this row
	Item        string `json:"item"`
	Qty         int    `json:"qty"`
	PublishMode string `json:"publish_mode"`
	CreatedAt   string `json:"created_at"`
}

// OutboxRow is one row of the outbox table.
type OutboxRow struct {
	ID            int64  `json:"id"`
	EventID       string `json:"event_id"`
	OrderID       string `json:"order_id"`
	Type          string `json:"type"`
	Status        string `json:"status"` // pending, published, dead
	Attempts      int    `json:"attempts"`
	LastError     string `json:"last_error,omitempty"`
	NextAttemptAt string `json:"next_attempt_at"`
	PublishedAt   string `json:"published_at,omitempty"`
}

// EffectRow is one visible effect of a consumer (a shipment, an email).
type EffectRow struct {
	ID        int64  `json:"id"`
	OrderID   string `json:"order_id"`
	EventID   string `json:"event_id"`
	Detail    string `json:"detail"`
	CreatedAt string `json:"created_at"`
}

// InboxRow is one processed_events row of a consumer.
type InboxRow struct {
	EventID     string `json:"event_id"`
	OrderID     string `json:"order_id"`
	ProcessedAt string `json:"processed_at"`
}

// Counts are the table sizes, cheap enough to read after every step.
type Counts struct {
	Orders          int            `json:"orders"`
	OutboxPending   int            `json:"outbox_pending"`
	OutboxPublished int            `json:"outbox_published"`
	OutboxDead      int            `json:"outbox_dead"`
	Broker          BrokerCounts   `json:"broker"`
	Effects         map[string]int `json:"effects"`
	Inbox           map[string]int `json:"inbox"`
}

// Versions tell a reader which tables changed since it last looked.
type Versions struct {
	Orders, Outbox, Broker, Consumers, Redis, Paused, Client, Switches int64
	Trace                                                              int
}

// Snapshot is everything a view needs after a step, without rows: rows are
// read page by page with Orders, Outbox, Effects... for the visible part.
type Snapshot struct {
	Elapsed    time.Duration     `json:"elapsed"`
	Switches   Switches          `json:"-"`
	Counts     Counts            `json:"counts"`
	Versions   Versions          `json:"-"`
	Paused     []Paused          `json:"paused"`
	Armed      map[string]Mode   `json:"armed"`
	Invariants []InvariantResult `json:"invariants"`
}

// Snapshot reads the lab's current summary.
func (l *Lab) Snapshot(ctx context.Context) (Snapshot, error) {
	c, err := l.Counts(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	v := &l.versions
	return Snapshot{
		Elapsed:  l.clock.Since(),
		Switches: l.Switches(),
		Counts:   c,
		Versions: Versions{Orders: v.orders.Load(), Outbox: v.outbox.Load(), Broker: v.broker.Load(), Consumers: v.consumers.Load(),
			Redis: v.redis.Load(), Paused: v.paused.Load(), Client: v.client.Load(), Switches: v.switches.Load(), Trace: l.trace.Total()},
		Paused:     l.pts.list(),
		Armed:      l.pts.modes(),
		Invariants: l.Invariants(),
	}, nil
}

// Counts reads the table sizes.
func (l *Lab) Counts(ctx context.Context) (Counts, error) {
	c := Counts{Broker: l.broker.counts(), Effects: map[string]int{}, Inbox: map[string]int{}}
	if err := l.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders`).Scan(&c.Orders); err != nil {
		return c, fmt.Errorf("count orders: %w", err)
	}
	var total int
	if err := l.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM outbox),
		(SELECT COUNT(*) FROM outbox WHERE status = 'pending'), (SELECT COUNT(*) FROM outbox WHERE status = 'dead')`).
		Scan(&total, &c.OutboxPending, &c.OutboxDead); err != nil {
		return c, fmt.Errorf("count outbox: %w", err)
	}
	c.OutboxPublished = total - c.OutboxPending - c.OutboxDead
	for _, cons := range l.consumers {
		var e, i int
		if err := cons.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM effects), (SELECT COUNT(*) FROM processed_events)`).Scan(&e, &i); err != nil {
			return c, fmt.Errorf("count %s: %w", cons.name, err)
		}
		c.Effects[cons.name], c.Inbox[cons.name] = e, i
	}
	return c, nil
}

// The columns of an order and of an outbox row as the views read them, with
// the fields they scan into, so every query of a table reads one shape.
const (
	orderColumns  = `o.seq, o.id, o.idempotency_key, o.unique_key IS NOT NULL, o.item, o.qty, o.publish_mode, o.created_at`
	outboxColumns = `x.id, x.event_id, x.order_id, x.type, x.status, x.attempts, x.last_error, x.next_attempt_at, COALESCE(x.published_at, '')`
)

func orderFields(o *OrderRow) []any {
	return []any{&o.Seq, &o.ID, &o.Key, &o.UniqueGuard, &o.Item, &o.Qty, &o.PublishMode, &o.CreatedAt}
}

func outboxFields(o *OutboxRow) []any {
	return []any{&o.ID, &o.EventID, &o.OrderID, &o.Type, &o.Status, &o.Attempts, &o.LastError, &o.NextAttemptAt, &o.PublishedAt}
}

// Orders returns one page of orders, oldest first.
func (l *Lab) Orders(ctx context.Context, offset, limit int) ([]OrderRow, error) {
	rs, err := l.db.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders o WHERE o.seq > ? ORDER BY o.seq LIMIT ?`, max(offset, 0), pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read orders: %w", err)
	}
	return scanRows(rs, orderFields)
}

// Order finds one order by id; nil when there is none.
func (l *Lab) Order(ctx context.Context, id string) (*OrderRow, error) {
	var o OrderRow
	err := l.db.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders o WHERE o.id = ?`, id).Scan(orderFields(&o)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read order: %w", err)
	}
	return &o, nil
}

// Outbox returns one page of outbox rows, oldest first.
func (l *Lab) Outbox(ctx context.Context, offset, limit int) ([]OutboxRow, error) {
	rs, err := l.db.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox x WHERE x.id > ? ORDER BY x.id LIMIT ?`, max(offset, 0), pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return scanRows(rs, outboxFields)
}

// OutboxFor returns the outbox rows of the orders placed with key, oldest
// first.
func (l *Lab) OutboxFor(ctx context.Context, key string) ([]OutboxRow, error) {
	rs, err := l.db.QueryContext(ctx, `SELECT `+outboxColumns+`
		FROM outbox x JOIN orders o ON o.id = x.order_id WHERE o.idempotency_key = ? ORDER BY x.id`, key)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return scanRows(rs, outboxFields)
}

// Effects returns one page of a consumer's effects, oldest first.
func (l *Lab) Effects(ctx context.Context, consumer string, offset, limit int) ([]EffectRow, error) {
	c, err := l.consumer(consumer)
	if err != nil {
		return nil, err
	}
	rs, err := c.db.QueryContext(ctx, `SELECT id, order_id, event_id, detail, created_at FROM effects WHERE id > ? ORDER BY id LIMIT ?`, max(offset, 0), pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read %s effects: %w", consumer, err)
	}
	return scanRows(rs, func(e *EffectRow) []any { return []any{&e.ID, &e.OrderID, &e.EventID, &e.Detail, &e.CreatedAt} })
}

// Inbox returns one page of a consumer's processed_events, in commit order.
func (l *Lab) Inbox(ctx context.Context, consumer string, offset, limit int) ([]InboxRow, error) {
	c, err := l.consumer(consumer)
	if err != nil {
		return nil, err
	}
	rs, err := c.db.QueryContext(ctx, `SELECT event_id, order_id, processed_at FROM processed_events WHERE rowid > ? ORDER BY rowid LIMIT ?`, max(offset, 0), pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read %s inbox: %w", consumer, err)
	}
	return scanRows(rs, func(r *InboxRow) []any { return []any{&r.EventID, &r.OrderID, &r.ProcessedAt} })
}

// RedisKeys returns one page of idempotency keys, sorted, and how many
// there are.
func (l *Lab) RedisKeys(ctx context.Context, offset, limit int) ([]KeyView, int, error) {
	return l.idem.keys(ctx, offset, limit)
}

// Paged reads seek by key instead of OFFSET: offset n starts after row id
// n. Row ids are dense (1, 2, 3...) because the lab never deletes a row and
// SQLite gives each new row the largest id plus one, so the two agree, and
// a page at the end of 100,000 rows costs what a page at the start does.
func pageLimit(limit int) int {
	if limit <= 0 {
		return -1 // SQLite: no limit
	}
	return limit
}

func scanRows[T any](rs *sql.Rows, fields func(*T) []any) ([]T, error) {
	defer rs.Close()
	var out []T
	for rs.Next() {
		var v T
		if err := rs.Scan(fields(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rs.Err()
}

// State is the JSON behind GET /lab/state: the summary plus the latest
// rows of every table.
type State struct {
	Now        string                 `json:"now"`
	Switches   map[string]string      `json:"switches"`
	Counts     Counts                 `json:"counts"`
	Orders     []OrderRow             `json:"orders"`
	Outbox     []OutboxRow            `json:"outbox"`
	RedisKeys  []KeyView              `json:"redis_keys"`
	BrokerLog  []Message              `json:"broker_log"`
	Deliveries map[string][]Delivery  `json:"deliveries"`
	Effects    map[string][]EffectRow `json:"effects"`
	Inbox      map[string][]InboxRow  `json:"inbox"`
	Paused     []Paused               `json:"paused"`
	Armed      map[string]Mode        `json:"armed"`
	Invariants []InvariantResult      `json:"invariants"`
}

// State reads the summary and the last limit rows of each table.
func (l *Lab) State(ctx context.Context, limit int) (State, error) {
	l.afterStep() // requests from curl are steps too; check them now
	snap, err := l.Snapshot(ctx)
	if err != nil {
		return State{}, err
	}
	c := snap.Counts
	st := State{
		Now: formatLabTime(l.clock.Now()), Switches: snap.Switches.Values(), Counts: c,
		Paused: snap.Paused, Armed: snap.Armed, Invariants: snap.Invariants,
		Deliveries: map[string][]Delivery{}, Effects: map[string][]EffectRow{}, Inbox: map[string][]InboxRow{},
	}
	tail := func(total int) int { return max(total-limit, 0) }
	if st.Orders, err = l.Orders(ctx, tail(c.Orders), limit); err != nil {
		return st, err
	}
	if st.Outbox, err = l.Outbox(ctx, tail(c.OutboxPending+c.OutboxPublished+c.OutboxDead), limit); err != nil {
		return st, err
	}
	if st.RedisKeys, _, err = l.RedisKeys(ctx, 0, limit); err != nil {
		return st, err
	}
	st.BrokerLog = l.broker.Messages(tail(c.Broker.Log), limit)
	for _, name := range ConsumerNames {
		st.Deliveries[name] = l.broker.Deliveries(name, tail(c.Broker.Deliveries[name]), limit)
		if st.Effects[name], err = l.Effects(ctx, name, tail(c.Effects[name]), limit); err != nil {
			return st, err
		}
		if st.Inbox[name], err = l.Inbox(ctx, name, tail(c.Inbox[name]), limit); err != nil {
			return st, err
		}
	}
	return st, nil
}
