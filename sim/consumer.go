package sim

import (
	"context"
	"database/sql"
	"fmt"
	"encoding/json"
	"strconv"
)

// ConsumerNames are the lab's consumers, in the order they are drawn.
var ConsumerNames = []string{"warehouse", "email"}

// ConsumerReport says what one consumer step did.
type ConsumerReport struct {
	Taken      int    `json:"taken"`
	Applied    int    `json:"applied"`
	Duplicates int    `json:"duplicates"` // deliveries the inbox absorbed
	Requeued   int    `json:"requeued"`   // handed back after a crash
	Crashed    string `json:"crashed,omitempty"`
	Paused     bool   `json:"paused,omitempty"`
}

// consumer applies OrderCreated to its own database. With dedup on, the
// inbox row (processed_events) and the effect commit in one transaction, so
// a redelivered event finds its id already there and changes nothing.
type consumer struct {
	lab  *Lab
	name string
	lane Lane
	db   *sql.DB
	// effect describes what the consumer did, in its own words.
	effect func(e OrderCreated) string
}

func (c *consumer) work() string { return "consumer:" + c.name }

func (c *consumer) step(ctx context.Context, max int) (ConsumerReport, error) {
	l := c.lab
	var rep ConsumerReport
	ds := l.broker.take(c.name, max)
	rep.Taken = len(ds)
	if len(ds) == 0 {
		return rep, nil
	}
	crashed := func(err error) (ConsumerReport, error) {
		rep.Requeued = l.broker.requeue(c.name)
		l.note(c.lane, LaneBroker, c.work(), "connection lost: unacked deliveries go back", "", "", "", strconv.Itoa(rep.Requeued)+" requeued")
		l.changed(&l.versions.broker)
		return rep, err
	}
	for _, d := range ds {
		l.note(LaneBroker, c.lane, c.work(), "deliver OrderCreated", "", d.OrderID, d.EventID, "attempt "+strconv.Itoa(d.Attempt))
		if err := l.hit("consumer.received", c.work(), d.EventID); err != nil {
			return crashed(err)
		}
	}
	dedup := l.Switches().Dedup
	if err := c.apply(ctx, ds, dedup, &rep); err != nil {
		return crashed(err)
	}
	for _, d := range ds {
		if err := l.hit("consumer.applied", c.work(), d.EventID); err != nil {
			return crashed(err)
		}
		l.broker.ack(c.name, d.ID)
		l.note(c.lane, LaneBroker, c.work(), "ack", "", d.OrderID, d.EventID, "")
		if err := l.hit("consumer.acked", c.work(), d.EventID); err != nil {
			return crashed(err)
		}
	}
	l.changed(&l.versions.broker)
	return rep, nil
}

// apply writes the batch in one transaction: per event, the inbox row (when
// dedup is on) and the effect.
func (c *consumer) apply(ctx context.Context, ds []Delivery, dedup bool, rep *ConsumerReport) error {
	l := c.lab
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", c.name, err)
	}
	defer tx.Rollback()
	now := formatLabTime(l.clock.Now())
	var payload map[int]OrderCreated
	for _, d := range ds {
		if dedup {
			res, err := tx.ExecContext(ctx, `INSERT INTO processed_events (event_id, order_id, processed_at) VALUES (?, ?, ?)
				ON CONFLICT (event_id) DO NOTHING`, d.EventID, d.OrderID, now)
			if err != nil {
				return fmt.Errorf("%s: record inbox row: %w", c.name, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				rep.Duplicates++
				l.note(c.lane, c.lane, c.work(), "duplicate ignored (already in processed_events)", "", d.OrderID, d.EventID, "")
				continue
			}
		}
		if payload == nil {
			payload = l.payloads(ds)
		}
		e := payload[d.Offset]
		if _, err := tx.ExecContext(ctx, `INSERT INTO effects (order_id, event_id, detail, created_at) VALUES (?, ?, ?, ?)`,
			d.OrderID, d.EventID, c.effect(e), now); err != nil {
			return fmt.Errorf("%s: apply effect: %w", c.name, err)
		}
		rep.Applied++
		l.note(c.lane, c.lane, c.work(), "apply: "+c.effect(e), "", d.OrderID, d.EventID, "")
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", c.name, err)
	}
	l.changed(&l.versions.consumers)
	return nil
}

// payloads decodes the events behind a batch of deliveries, by log offset.
func (l *Lab) payloads(ds []Delivery) map[int]OrderCreated {
	out := make(map[int]OrderCreated, len(ds))
	for _, d := range ds {
		if _, ok := out[d.Offset]; ok {
			continue
		}
		var e OrderCreated
		if m := l.broker.Messages(d.Offset, 1); len(m) == 1 {
			_ = json.Unmarshal([]byte(m[0].Payload), &e)
		}
		out[d.Offset] = e
	}
	return out
}

func warehouseEffect(e OrderCreated) string { return fmt.Sprintf("ship %d × %s", e.Qty, e.Item) }

func emailEffect(e OrderCreated) string {
	return fmt.Sprintf("email: your order %s (%d × %s) is confirmed", ShortID(e.OrderID), e.Qty, e.Item)
}
