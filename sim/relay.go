package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RelayReport says what one relay cycle did.
type RelayReport struct {
	Fetched   int           `json:"fetched"`
	Published int           `json:"published"`
	Failed    int           `json:"failed"`
	Dead      int           `json:"dead"`     // rows that gave up in this cycle
	Waiting   int           `json:"waiting"`  // pending rows not yet due (backoff)
	NextDue   time.Duration `json:"next_due"` // lab time the next waiting row is due; 0 when none
	Crashed   string        `json:"crashed,omitempty"`
	Paused    bool          `json:"paused,omitempty"`
	// Unmarked: the batch went out but the marks could not be written,
	// because paused work holds the orders database's write lock. The rows
	// stay pending and go out again: at-least-once, in the flesh.
	Unmarked bool `json:"unmarked,omitempty"`
}

// relay moves outbox rows to the broker: fetch a batch of due pending rows
// in id order, publish each, then mark the batch in one transaction. It
// publishes at least once: a crash between publish and mark publishes the
// same rows again next cycle.
type relay struct {
	lab *Lab
}

type outboxRow struct {
	id       int64
	eventID  string
	orderID  string
	payload  string
	attempts int
}

// backoff is base·2^(attempts-1), capped, so a down broker is not hammered.
func (r *relay) backoff(attempts int) time.Duration {
	d := r.lab.opts.RelayBackoff
	for i := 1; i < attempts && d < r.lab.opts.RelayMaxBackoff; i++ {
		d *= 2
	}
	return min(d, r.lab.opts.RelayMaxBackoff)
}

func (r *relay) step(ctx context.Context) (RelayReport, error) {
	l := r.lab
	var rep RelayReport
	now := l.clock.Now()
	rows, err := r.fetch(ctx, formatLabTime(now))
	if err != nil {
		return rep, err
	}
	rep.Fetched = len(rows)
	if len(rows) == 0 {
		return rep, r.fillWaiting(ctx, &rep)
	}
	l.note(LaneRelay, LaneSQLite, "relay", "fetch pending rows", "", "", "", plural(len(rows), "row"))
	if err := l.hit("relay.fetched", "relay", plural(len(rows), "row")); err != nil {
		return rep, err
	}
	published := make([]int64, 0, len(rows))
	var failed []publishFailure
	for _, row := range rows {
		_, err := l.broker.publish(Message{EventID: row.eventID, OrderID: row.orderID, Type: "OrderCreated", Payload: row.payload, Source: "relay"})
		if err != nil {
			l.note(LaneRelay, LaneBroker, "relay", "publish failed", "", row.orderID, row.eventID, err.Error())
			failed = append(failed, publishFailure{row, err})
			continue
		}
		l.note(LaneRelay, LaneBroker, "relay", "publish OrderCreated", "", row.orderID, row.eventID, "attempt "+strconv.Itoa(row.attempts+1))
		l.changed(&l.versions.broker)
		published = append(published, row.id)
		if err := l.hit("relay.published", "relay", row.eventID); err != nil {
			return rep, err // nothing marked: every row of this batch goes again
		}
	}

	err = r.mark(ctx, now, published, failed, &rep)
	if isBusy(err) {
		rep.Published, rep.Dead, rep.Unmarked = len(published), 0, true
		l.note(LaneRelay, LaneSQLite, "relay", "mark batch failed", "", "", "",
			"the orders database is locked by a paused transaction; the rows stay pending and go out again")
		return rep, r.fillWaiting(ctx, &rep)
	}
	if err != nil {
		return rep, err
	}
	rep.Published, rep.Failed = len(published), len(failed)
	l.note(LaneRelay, LaneSQLite, "relay", "mark batch", "", "", "", fmt.Sprintf("%d published, %d failed", rep.Published, rep.Failed))
	l.changed(&l.versions.outbox)
	if err := l.hit("relay.marked", "relay", plural(len(rows), "row")); err != nil {
		return rep, err
	}
	return rep, r.fillWaiting(ctx, &rep)
}

// publishFailure is a row the broker refused.
type publishFailure struct {
	row outboxRow
	err error
}

// mark records a cycle's outcome in one transaction: the published rows,
// and the failed ones with their next attempt (or dead).
func (r *relay) mark(ctx context.Context, now time.Time, published []int64, failed []publishFailure, rep *RelayReport) error {
	l := r.lab
	leave, err := l.writes.enter(ctx, l.opts.BusyTimeout)
	if err != nil {
		return fmt.Errorf("relay: begin: %w", err)
	}
	defer leave()
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("relay: begin: %w", err)
	}
	defer tx.Rollback()
	if len(published) > 0 {
		// One statement marks the whole batch: WHERE id IN (?, ?, ...).
		args := make([]any, 0, len(published)+1)
		args = append(args, formatLabTime(now))
		for _, id := range published {
			args = append(args, id)
		}
		q := `UPDATE outbox SET status = 'published', published_at = ?, attempts = attempts + 1, last_error = ''
			WHERE id IN (?` + strings.Repeat(", ?", len(published)-1) + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("relay: mark published: %w", err)
		}
	}
	for _, f := range failed {
		attempts := f.row.attempts + 1
		status := "pending"
		if attempts >= l.opts.RelayMaxAttempts {
			status = "dead"
			rep.Dead++
		}
		next := formatLabTime(now.Add(r.backoff(attempts)))
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`,
			status, attempts, f.err.Error(), next, f.row.id); err != nil {
			return fmt.Errorf("relay: record failure: %w", err)
		}
		if status == "dead" {
			l.note(LaneRelay, LaneSQLite, "relay", "row dead-lettered", "", f.row.orderID, f.row.eventID, fmt.Sprintf("after %d attempts", attempts))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("relay: commit marks: %w", err)
	}
	return nil
}

func (r *relay) fetch(ctx context.Context, now string) ([]outboxRow, error) {
	rs, err := r.lab.db.QueryContext(ctx, `SELECT id, event_id, order_id, payload, attempts FROM outbox INDEXED BY outbox_pending
		WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`, now, r.lab.RelayBatch())
	if err != nil {
		return nil, fmt.Errorf("relay: fetch: %w", err)
	}
	defer rs.Close()
	var rows []outboxRow
	for rs.Next() {
		var o outboxRow
		if err := rs.Scan(&o.id, &o.eventID, &o.orderID, &o.payload, &o.attempts); err != nil {
			return nil, fmt.Errorf("relay: fetch: %w", err)
		}
		rows = append(rows, o)
	}
	return rows, rs.Err()
}

// fillWaiting reports rows held back by backoff, so a driver can jump the
// lab clock to the next one instead of spinning.
func (r *relay) fillWaiting(ctx context.Context, rep *RelayReport) error {
	var next *string
	err := r.lab.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(next_attempt_at) FROM outbox INDEXED BY outbox_due WHERE status = 'pending' AND next_attempt_at > ?`,
		formatLabTime(r.lab.clock.Now())).Scan(&rep.Waiting, &next)
	if err != nil {
		return fmt.Errorf("relay: count waiting rows: %w", err)
	}
	if next != nil {
		t, err := time.Parse(labTimeFormat, *next)
		if err != nil {
			return errors.New("relay: unreadable next_attempt_at " + *next)
		}
		rep.NextDue = t.Sub(LabEpoch)
	}
	return nil
}

// plural words a count: "1 row", "3 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
