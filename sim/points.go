package sim

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Mode is what an armed named point does when work reaches it.
type Mode string

const (
	ModeRun         Mode = "run"          // pass through (disarmed)
	ModePause       Mode = "pause"        // block until Resume or Crash
	ModeCrashOnce   Mode = "crash-once"   // die here the next time, then disarm
	ModeCrashAlways Mode = "crash-always" // die here every time
)

// Modes lists the modes in the order menus show them.
var Modes = []Mode{ModeRun, ModePause, ModeCrashOnce, ModeCrashAlways}

// ParseMode accepts a mode name and names the valid ones when it is wrong.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	names := make([]string, len(Modes))
	for i, m := range Modes {
		names[i] = string(m)
	}
	return "", fmt.Errorf("unknown mode %q (valid: %s)", s, strings.Join(names, ", "))
}

// Point describes one named point: a line where a real process could die.
type Point struct {
	Name      string
	Component string // api, relay or consumer
	Doc       string
}

// Points is the one registry of named points, in flow order. The UI, the
// scenario parser and the explorer all read it.
var Points = []Point{
	{"api.received", "api", "the request was read and validated; nothing is written yet"},
	{"idem.reserved", "api", "SET NX reserved the key as in flight; no transaction yet"},
	{"db.order_inserted", "api", "the order row is inserted; the transaction is still open"},
	{"db.outbox_inserted", "api", "the outbox row is inserted beside the order; still uncommitted (outbox only)"},
	{"db.committed", "api", "the transaction committed: order (and outbox row) are durable"},
	{"idem.completed", "api", "the response is stored under the key for replays"},
	{"api.responding", "api", "everything is done; the response is about to be written"},
	{"publish.before", "api", "about to publish OrderCreated directly (after-commit / before-commit only)"},
	{"publish.after", "api", "OrderCreated is on the broker (after-commit / before-commit only)"},
	{"relay.fetched", "relay", "the relay read a batch of pending outbox rows"},
	{"relay.published", "relay", "the relay published one row; it is not marked yet"},
	{"relay.marked", "relay", "the relay committed published_at for the batch"},
	{"consumer.received", "consumer", "a consumer took a delivery; nothing applied yet"},
	{"consumer.applied", "consumer", "the effect (and inbox row) committed; not acked yet"},
	{"consumer.acked", "consumer", "the consumer acked the delivery"},
}

// PointNames lists every point name in flow order.
func PointNames() []string {
	names := make([]string, len(Points))
	for i, p := range Points {
		names[i] = p.Name
	}
	return names
}

// LookupPoint finds a point by name; the error lists every valid name.
func LookupPoint(name string) (Point, error) {
	for _, p := range Points {
		if p.Name == name {
			return p, nil
		}
	}
	return Point{}, fmt.Errorf("unknown point %q (valid: %s)", name, strings.Join(PointNames(), ", "))
}

// ErrCrashed marks an injected crash. Components unwind on it the way a
// process dies: open transactions roll back, connections drop, memory is
// lost; Redis and committed rows stay.
var ErrCrashed = errors.New("crashed")

// CrashError says where the crash happened; errors.Is(err, ErrCrashed) holds.
type CrashError struct{ Point string }

func (e *CrashError) Error() string { return "crashed at " + e.Point }

// Is makes errors.Is(err, ErrCrashed) true.
func (e *CrashError) Is(target error) bool { return target == ErrCrashed }

// Paused is work blocked on a paused point, waiting for Resume or Crash.
type Paused struct {
	ID      int           `json:"id"`
	Point   string        `json:"point"`
	Work    string        `json:"work"`    // req-3, relay, consumer:email
	Subject string        `json:"subject"` // the key, event or batch it holds
	Since   time.Duration `json:"since"`   // lab time when it parked
}

type parkedWork struct {
	Paused
	decide chan bool // true = crash
}

// pointSet holds what each point is armed to do and the work parked on
// them. Hit is on every hot path, so the common case (nothing armed) is one
// atomic load.
type pointSet struct {
	clock  *Clock
	armedN atomic.Int32

	mu     sync.Mutex
	armed  map[string]Mode
	parked map[int]*parkedWork
	nextID int
	onPark func(Paused) // tells the lab driver its work has settled
	closed bool
}

func newPointSet(clock *Clock) *pointSet {
	return &pointSet{clock: clock, armed: map[string]Mode{}, parked: map[int]*parkedWork{}}
}

func (ps *pointSet) arm(name string, mode Mode) error {
	if _, err := LookupPoint(name); err != nil {
		return err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if mode == ModeRun || mode == "" {
		delete(ps.armed, name)
	} else {
		ps.armed[name] = mode
	}
	ps.armedN.Store(int32(len(ps.armed)))
	return nil
}

func (ps *pointSet) modes() map[string]Mode {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make(map[string]Mode, len(ps.armed))
	for k, v := range ps.armed {
		out[k] = v
	}
	return out
}

// hit is called by a component when its work reaches a point. It returns
// nil to carry on or a *CrashError to unwind.
func (ps *pointSet) hit(point, work, subject string) error {
	if ps.armedN.Load() == 0 {
		return nil
	}
	ps.mu.Lock()
	mode := ps.armed[point]
	switch mode {
	case ModeCrashOnce:
		delete(ps.armed, point)
		ps.armedN.Store(int32(len(ps.armed)))
		ps.mu.Unlock()
		return &CrashError{Point: point}
	case ModeCrashAlways:
		ps.mu.Unlock()
		return &CrashError{Point: point}
	case ModePause:
		if ps.closed {
			ps.mu.Unlock()
			return &CrashError{Point: point}
		}
		ps.nextID++
		pw := &parkedWork{
			Paused: Paused{ID: ps.nextID, Point: point, Work: work, Subject: subject, Since: ps.clock.Since()},
			decide: make(chan bool, 1),
		}
		ps.parked[pw.ID] = pw
		onPark := ps.onPark
		ps.mu.Unlock()
		if onPark != nil {
			onPark(pw.Paused)
		}
		if crash := <-pw.decide; crash {
			return &CrashError{Point: point}
		}
		return nil
	default:
		ps.mu.Unlock()
		return nil
	}
}

// release lets parked work go on (crash=false) or die there (crash=true).
func (ps *pointSet) release(id int, crash bool) (Paused, error) {
	ps.mu.Lock()
	pw, ok := ps.parked[id]
	if ok {
		delete(ps.parked, id)
	}
	ps.mu.Unlock()
	if !ok {
		return Paused{}, fmt.Errorf("no paused work with id %d", id)
	}
	pw.decide <- crash
	return pw.Paused, nil
}

// list returns the parked work, oldest first.
func (ps *pointSet) list() []Paused {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]Paused, 0, len(ps.parked))
	for _, pw := range ps.parked {
		out = append(out, pw.Paused)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// crashAll kills every parked piece of work and every later pause; used
// when the lab closes so no goroutine stays blocked.
func (ps *pointSet) crashAll() {
	ps.mu.Lock()
	ps.closed = true
	ps.mu.Unlock()
	ps.crashParked()
}

// crashParked kills the work parked now.
func (ps *pointSet) crashParked() {
	ps.mu.Lock()
	ids := make([]int, 0, len(ps.parked))
	for id := range ps.parked {
		ids = append(ids, id)
	}
	ps.mu.Unlock()
	for _, id := range ids {
		_, _ = ps.release(id, true)
	}
}
