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

// Trace is the append-only record every reader shares. It keeps at most
// limit events; older ones are dropped in chunks, and Total still counts
// them, so long soak runs stay bounded in memory.
type Trace struct {
	mu      sync.Mutex
	clock   *Clock
	events  []Event
	dropped int
	limit   int
}

func newTrace(clock *Clock, limit int) *Trace {
	return &Trace{clock: clock, limit: limit}
}

func (t *Trace) add(e Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e.Seq = t.dropped + len(t.events) + 1
	e.At = t.clock.Since()
	if t.limit > 0 && len(t.events) >= t.limit {
		cut := t.limit / 4
		if cut == 0 {
			cut = 1
		}
		t.events = append(t.events[:0], t.events[cut:]...)
		t.dropped += cut
	}
	t.events = append(t.events, e)
}

// Events returns a copy of the kept events with Seq greater than after.
func (t *Trace) Events(after int) []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	start := after - t.dropped
	if start < 0 {
		start = 0
	}
	if start > len(t.events) {
		return nil
	}
	return append([]Event(nil), t.events[start:]...)
}

// Total counts every event ever added, dropped ones included.
func (t *Trace) Total() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped + len(t.events)
}
