package sim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
)

// Reset puts a lab back where Open left it, seeded with seed, reusing its
// SQLite files, Redis and HTTP server. Opening a lab costs about ten
// milliseconds of file creation; a reset costs a few DELETEs, which is what
// lets the explorer run thousands of schedules a minute. Paused work is
// crashed and waited for first, so nothing from the old run lands in the
// new one. Only a lab with a temporary directory can be reset: a --db
// directory holds the user's orders and is never wiped.
func (l *Lab) Reset(seed uint64) error {
	if !l.tempDir {
		return errors.New("only a lab in a temporary directory can be reset; a --db directory keeps its orders")
	}
	l.StopAuto()
	l.act.Lock()
	defer l.act.Unlock()
	l.pts.crashParked()
	l.works.waitAll()

	ctx := context.Background()
	if err := wipe(ctx, l.db, "orders.db", "DELETE FROM orders; DELETE FROM outbox;"); err != nil {
		return err
	}
	for _, c := range l.consumers {
		if err := wipe(ctx, c.db, c.name+".db", "DELETE FROM effects; DELETE FROM processed_events;"); err != nil {
			return err
		}
	}
	if err := l.redis.restart(ctx); err != nil {
		return err
	}
	l.clock.reset()
	if l.redis.embedded != nil {
		l.redis.embedded.SetTime(LabEpoch)
	}

	l.opts.Seed = seed
	l.ids = newIDSource(l.clock, seed)
	l.trace.reset()
	l.pts.reset()
	l.broker.reset()
	l.checker.reset()
	l.client.reset()
	l.svc.reset()

	l.swMu.Lock()
	l.switches = DefaultSwitches()
	l.swMu.Unlock()
	l.relayBatch.Store(int64(l.opts.RelayBatch))
	l.actions = nil
	l.keysMu.Lock()
	l.keys = map[string]bool{}
	l.keysMu.Unlock()
	l.loseResponse.Store(false)
	l.anonRequests.Store(0)
	l.lastCheckedMu.Lock()
	l.lastChecked = nil
	l.lastCheckedMu.Unlock()
	for _, v := range []*atomic.Int64{&l.versions.orders, &l.versions.outbox, &l.versions.broker, &l.versions.consumers,
		&l.versions.redis, &l.versions.paused, &l.versions.client, &l.versions.switches} {
		l.changed(v)
	}
	return nil
}

// wipe deletes every row a run wrote, in one transaction.
func wipe(ctx context.Context, db *sql.DB, file, stmts string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err == nil {
		if _, err = tx.ExecContext(ctx, stmts); err != nil {
			tx.Rollback()
		} else {
			err = tx.Commit()
		}
	}
	if err != nil {
		return fmt.Errorf("reset %s: %w", file, friendlySQLiteError(err))
	}
	return nil
}

func (c *Clock) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = LabEpoch
}

func (t *Trace) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ring, t.first, t.total, t.held = nil, 0, 0, nil
}

func (ps *pointSet) reset() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.armed = map[string]Mode{}
	ps.armedN.Store(0)
	ps.parked = map[int]*parkedWork{}
	ps.nextID = 0
}

func (b *Broker) reset() {
	fresh := newBroker(b.clock, b.order)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.log, b.subs, b.fault, b.nextID, b.perOrder = nil, fresh.subs, BrokerUp, 0, fresh.perOrder
}

func (c *checker) reset() {
	fresh := newChecker(c.lab)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.orderSeq, c.committed, c.byKey, c.direct = 0, fresh.committed, fresh.byKey, fresh.direct
	c.logOffset, c.suspects, c.effectID, c.effects, c.duplicates = 0, fresh.suspects, fresh.effectID, fresh.effects, fresh.duplicates
}

func (c *Client) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.history, c.bodies, c.attempts = nil, map[string]OrderRequest{}, map[string]int{}
}

func (s *service) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open = map[string]bool{}
}

// waitAll blocks until every piece of work has returned.
func (w *workSet) waitAll() {
	w.mu.Lock()
	all := make([]*workState, 0, len(w.m))
	for _, ws := range w.m {
		all = append(all, ws)
	}
	w.mu.Unlock()
	for _, ws := range all {
		<-ws.done
	}
}
