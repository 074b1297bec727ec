package sim

import (
	"context"
	"fmt"
)

// recoverBroker rebuilds what a durable broker would still hold after the
// lab restarts on a kept database. The in-process broker keeps its log in
// memory, so a killed `serve` forgets every delivery in flight; a real
// broker (Kafka, RabbitMQ with durable queues) would not. What survives is
// on disk: the outbox says which events were published, and each
// consumer's inbox and effects say which it has applied. Every published
// event a consumer has not applied is delivered to it again; with dedup on
// the inbox absorbs any copy, exactly as for a redelivery after a crash.
func (l *Lab) recoverBroker(ctx context.Context) (int, error) {
	applied := make(map[string]map[string]bool, len(l.consumers))
	for _, c := range l.consumers {
		set, err := appliedEvents(ctx, c)
		if err != nil {
			return 0, err
		}
		applied[c.name] = set
	}
	rs, err := l.db.QueryContext(ctx, `SELECT event_id, order_id, payload FROM outbox WHERE status = 'published' ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("recover the broker: %w", friendlySQLiteError(err))
	}
	defer rs.Close()
	n := 0
	for rs.Next() {
		var m Message
		if err := rs.Scan(&m.EventID, &m.OrderID, &m.Payload); err != nil {
			return 0, fmt.Errorf("recover the broker: %w", err)
		}
		var missing []string
		for _, c := range l.consumers {
			if !applied[c.name][m.EventID] {
				missing = append(missing, c.name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		m.Type, m.Source = "OrderCreated", "relay (recovered)"
		l.broker.restore(m, missing)
		n++
	}
	if err := rs.Err(); err != nil {
		return 0, fmt.Errorf("recover the broker: %w", err)
	}
	if n > 0 {
		l.note(LaneBroker, LaneBroker, "", "broker recovered", "", "", "",
			plural(n, "published event")+" not yet applied by every consumer, delivered again")
		l.changed(&l.versions.broker)
	}
	return n, nil
}

// appliedEvents reads the event ids a consumer has applied: its inbox, and
// its effects for deliveries applied with dedup off.
func appliedEvents(ctx context.Context, c *consumer) (map[string]bool, error) {
	set := map[string]bool{}
	for _, q := range []string{`SELECT event_id FROM processed_events`, `SELECT event_id FROM effects`} {
		rs, err := c.db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("recover the broker: read %s.db: %w", c.name, friendlySQLiteError(err))
		}
		for rs.Next() {
			var id string
			if err := rs.Scan(&id); err != nil {
				rs.Close()
				return nil, fmt.Errorf("recover the broker: read %s.db: %w", c.name, err)
			}
			set[id] = true
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("recover the broker: read %s.db: %w", c.name, err)
		}
	}
	return set, nil
}

// restore puts a message recovered from disk back on the log, queued only
// for the consumers that still need it.
func (b *Broker) restore(m Message, consumers []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.appendLocked(m, consumers, 1)
}
