package sim

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
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
// dedup is on) and the effect. Each table gets one multi-row INSERT per
// chunk; the inbox insert RETURNs the event ids it really inserted, so an
// event already in processed_events (or twice in this batch) is skipped.
func (c *consumer) apply(ctx context.Context, ds []Delivery, dedup bool, rep *ConsumerReport) error {
	l := c.lab
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", c.name, err)
	}
	defer tx.Rollback()
	now := formatLabTime(l.clock.Now())
	for len(ds) > 0 {
		chunk := ds[:min(len(ds), maxRowsPerInsert)]
		ds = ds[len(chunk):]
		fresh := chunk
		if dedup {
			if fresh, err = c.recordInbox(ctx, tx, chunk, now); err != nil {
				return err
			}
			rep.Duplicates += len(chunk) - len(fresh)
		}
		if len(fresh) == 0 {
			continue
		}
		args := make([]any, 0, 4*len(fresh))
		for _, d := range fresh {
			detail := c.effect(d.Event)
			args = append(args, d.OrderID, d.EventID, detail, now)
			l.note(c.lane, c.lane, c.work(), "apply: "+detail, "", d.OrderID, d.EventID, "")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO effects (order_id, event_id, detail, created_at) VALUES `+placeholders(len(fresh), 4), args...); err != nil {
			return fmt.Errorf("%s: apply effects: %w", c.name, err)
		}
		rep.Applied += len(fresh)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", c.name, err)
	}
	l.changed(&l.versions.consumers)
	return nil
}

// recordInbox inserts the chunk's event ids into processed_events and
// returns the deliveries whose id was new.
func (c *consumer) recordInbox(ctx context.Context, tx *sql.Tx, chunk []Delivery, now string) ([]Delivery, error) {
	args := make([]any, 0, 3*len(chunk))
	for _, d := range chunk {
		args = append(args, d.EventID, d.OrderID, now)
	}
	rs, err := tx.QueryContext(ctx, `INSERT INTO processed_events (event_id, order_id, processed_at) VALUES `+placeholders(len(chunk), 3)+`
		ON CONFLICT (event_id) DO NOTHING RETURNING event_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: record inbox rows: %w", c.name, err)
	}
	inserted := make(map[string]bool, len(chunk))
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			rs.Close()
			return nil, fmt.Errorf("%s: record inbox rows: %w", c.name, err)
		}
		inserted[id] = true
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("%s: record inbox rows: %w", c.name, err)
	}
	fresh := make([]Delivery, 0, len(chunk))
	for _, d := range chunk {
		if inserted[d.EventID] {
			delete(inserted, d.EventID) // a second copy in the same batch is a duplicate too
			fresh = append(fresh, d)
			continue
		}
		c.lab.note(c.lane, c.lane, c.work(), "duplicate ignored (already in processed_events)", "", d.OrderID, d.EventID, "")
	}
	return fresh, nil
}

// maxRowsPerInsert keeps multi-row INSERTs well under SQLite's limit on
// bound parameters.
const maxRowsPerInsert = 500

// placeholders renders "(?, ?), (?, ?)" for rows of cols values.
func placeholders(rows, cols int) string {
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return row + strings.Repeat(", "+row, rows-1)
}

func warehouseEffect(e OrderCreated) string { return fmt.Sprintf("ship %d × %s", e.Qty, e.Item) }

func emailEffect(e OrderCreated) string {
	return fmt.Sprintf("email: your order %s (%d × %s) is confirmed", ShortID(e.OrderID), e.Qty, e.Item)
}
