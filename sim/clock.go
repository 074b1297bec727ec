package sim

import (
	"sync"
	"time"
)

// LabEpoch is the lab clock's starting instant. A fixed start keeps traces
// and screenshots identical from run to run.
var LabEpoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// Clock is the lab's only source of time. It moves when Advance is called
// and never on its own, so a replay sees exactly the same instants.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at LabEpoch.
func NewClock() *Clock { return &Clock{now: LabEpoch} }

// Now reports the lab time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Since reports how much lab time has passed since LabEpoch; traces use it
// because "+1m30s" reads better on a slide than a date.
func (c *Clock) Since() time.Duration { return c.Now().Sub(LabEpoch) }

func (c *Clock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}
