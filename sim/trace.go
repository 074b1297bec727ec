package sim

import (
	"fmt"
	"sync"
	"time"
)

// Lane is a participant in the sequence diagram; the UI timeline and the
// Mermaid export draw one lane each.
type Lane string

const (
	LaneClient    Lane = "client"
	LaneAPI       Lane = "api"
	LaneRedis     Lane = "redis"
	LaneSQLite    Lane = "sqlite"
	LaneRelay     Lane = "relay"
	LaneBroker    Lane = "broker"
	LaneWarehouse Lane = "warehouse"
	LaneEmail     Lane = "email"
	LaneLab       Lane = "lab" // switches, faults, time: the presenter's hand
)

// Lanes lists the lanes in the order they are drawn.
var Lanes = []Lane{LaneClient, LaneAPI, LaneRedis, LaneSQLite, LaneRelay, LaneBroker, LaneWarehouse, LaneEmail, LaneLab}

// Event is one step in the trace. From and To are lanes, so each event is
// an arrow (or a note when they are equal).
type Event struct {
	Seq     int           `json:"seq"`
	At      time.Duration `json:"at"` // lab time since LabEpoch
	From    Lane          `json:"from"`
	To      Lane          `json:"to"`
	Work    string        `json:"work,omitempty"` // req-3, relay, consumer:email
	What    string        `json:"what"`           // short verb: reserve, insert order, commit, publish...
	Key     string        `json:"key,omitempty"`
	OrderID string        `json:"order,omitempty"`
	EventID string        `json:"event,omitempty"`
	Point   string        `json:"point,omitempty"`
	Detail  string        `json:"detail,omitempty"`
}

// String renders an event as one line, the form golden traces and the
// headless player print.
func (e Event) String() string {
	s := fmt.Sprintf("%04d +%s %s->%s %s", e.Seq, e.At, e.From, e.To, e.What)
	if e.Work != "" {
		s += " work=" + e.Work
	}
	if e.Key != "" {
		s += " key=" + e.Key
	}
	if e.OrderID != "" {
		s += " order=" + ShortID(e.OrderID)
	}
	if e.EventID != "" {
		s += " event=" + ShortID(e.EventID)
	}
	if e.Point != "" {
		s += " point=" + e.Point
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Trace is the append-only record every reader shares. It keeps the last
// limit events in a ring; Total still counts every event, so long soak runs
// stay bounded in memory and adding stays O(1).
type Trace struct {
	mu    sync.Mutex
	clock *Clock
	ring  []Event // ring[(first+i) % limit] is the i-th kept event
	first int
	total int
	limit int
	held  map[string][]Event // work → events waiting for release
}

func newTrace(clock *Clock, limit int) *Trace {
	return &Trace{clock: clock, limit: max(limit, 1)}
}

func (t *Trace) add(e Event) {
	e.At = t.clock.Since()
	t.mu.Lock()
	defer t.mu.Unlock()
	if buf, ok := t.held[e.Work]; ok {
		t.held[e.Work] = append(buf, e)
		return
	}
	t.append(e)
}

// hold buffers the events of one piece of work until release, so work
// running in parallel still lands in the trace in a fixed order.
func (t *Trace) hold(work string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.held == nil {
		t.held = map[string][]Event{}
	}
	t.held[work] = nil
}

// release appends the held events of work, in the order they happened.
func (t *Trace) release(work string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.held[work] {
		t.append(e)
	}
	delete(t.held, work)
}

func (t *Trace) append(e Event) {
	t.total++
	e.Seq = t.total
	if len(t.ring) < t.limit {
		t.ring = append(t.ring, e)
		return
	}
	t.ring[t.first] = e
	t.first = (t.first + 1) % t.limit
}

// Events returns a copy of the kept events with Seq greater than after,
// oldest first.
func (t *Trace) Events(after int) []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := len(t.ring)
	skip := after - (t.total - kept) // events before the oldest kept one are gone
	if skip < 0 {
		skip = 0
	}
	if skip >= kept {
		return nil
	}
	out := make([]Event, 0, kept-skip)
	for i := skip; i < kept; i++ {
		out = append(out, t.ring[(t.first+i)%len(t.ring)])
	}
	return out
}

// Total counts every event ever added, dropped ones included.
func (t *Trace) Total() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}
