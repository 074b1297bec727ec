package sim

import (
	"context"
	"errors"
	"time"
)

// errWriteBusy is a write that waited the whole busy timeout for another
// write (often one paused on a point, holding its transaction) to finish.
// isBusy treats it like SQLite's own SQLITE_BUSY.
var errWriteBusy = errors.New("the orders database is busy with another write")

// writeGate lets one write transaction at a time into orders.db, in
// arrival order. SQLite admits one writer anyway, but its busy handler
// polls with growing sleeps (up to 100 ms), so under fifty concurrent
// clients an unlucky request slept through many commits and the p99
// latency was ten times the median; a queue hands the lock over as soon as
// it is free.
type writeGate chan struct{}

func newWriteGate() writeGate { return make(writeGate, 1) }

// enter waits up to timeout for the gate and returns the function that
// leaves it.
func (g writeGate) enter(ctx context.Context, timeout time.Duration) (leave func(), err error) {
	select {
	case g <- struct{}{}:
		return func() { <-g }, nil
	default:
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return func() { <-g }, nil
	case <-t.C:
		return nil, errWriteBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
