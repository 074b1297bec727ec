package sim

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Invariant names, as scenarios and the explorer spell them.
const (
	OneOrderPerKey    = "one-order-per-key"
	NoPhantomEvent    = "no-phantom-event"
	NoLostEvent       = "no-lost-event"
	ExactlyOnceEffect = "exactly-once-effect"
	NoStuckKey        = "no-stuck-key"
)

// InvariantNames lists the invariants in the order the lights are drawn.
var InvariantNames = []string{OneOrderPerKey, NoPhantomEvent, NoLostEvent, ExactlyOnceEffect, NoStuckKey}

// InvariantDocs says what each invariant promises, in a learner's words.
var InvariantDocs = map[string]string{
	OneOrderPerKey:    "one order per idempotency key",
	NoPhantomEvent:    "every published event belongs to a committed order",
	NoLostEvent:       "every committed order is published or still waiting in the outbox",
	ExactlyOnceEffect: "each consumer applied each order at most once",
	NoStuckKey:        "no key stays in flight past its lock TTL",
}

// InvariantResult is one light: green when Broken is empty. Broken names
// the rows at fault, at most maxNamed of them, and Count says how many
// there are in all.
type InvariantResult struct {
	Name   string   `json:"name"`
	OK     bool     `json:"ok"`
	Count  int      `json:"count"`
	Broken []string `json:"broken,omitempty"`
}

const maxNamed = 20

// checker evaluates the invariants incrementally: committed orders, log
// entries and effects are only ever appended, so each check reads just
// what is new since the last one. That keeps a check after every step
// cheap with a hundred thousand rows.
type checker struct {
	lab *Lab
	mu  sync.Mutex

	orderSeq   int64               // orders read up to this seq
	committed  map[string]string   // order id → key
	byKey      map[string][]string // key → order ids
	direct     map[string]bool     // orders with no outbox row, not yet seen published
	logOffset  int                 // broker log read up to here
	suspects   map[string]string   // event id → order id, published for an order not (yet) committed
	effectID   map[string]int64    // consumer → effects read up to this id
	effects    map[string]map[string]int
	duplicates map[string]map[string]bool // consumer → orders applied more than once
}

func newChecker(l *Lab) *checker {
	c := &checker{lab: l, committed: map[string]string{}, byKey: map[string][]string{}, direct: map[string]bool{},
		suspects: map[string]string{}, effectID: map[string]int64{}, effects: map[string]map[string]int{}, duplicates: map[string]map[string]bool{}}
	for _, name := range ConsumerNames {
		c.effects[name] = map[string]int{}
		c.duplicates[name] = map[string]bool{}
	}
	return c
}

func (c *checker) check(ctx context.Context) ([]InvariantResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.readOrders(ctx); err != nil {
		return nil, err
	}
	if err := c.readEffects(ctx); err != nil {
		return nil, err
	}
	for _, m := range c.lab.broker.messagesFrom(c.logOffset) {
		c.logOffset = m.Offset + 1
		if _, ok := c.committed[m.OrderID]; !ok {
			c.suspects[m.EventID] = m.OrderID
		}
		delete(c.direct, m.OrderID)
	}
	stuck, err := c.stuckKeys(ctx)
	if err != nil {
		return nil, err
	}
	return []InvariantResult{
		c.oneOrderPerKey(), c.noPhantom(), c.noLost(), c.exactlyOnce(), result(NoStuckKey, stuck),
	}, nil
}

func (c *checker) readOrders(ctx context.Context) error {
	rs, err := c.lab.db.QueryContext(ctx, `SELECT o.seq, o.id, o.idempotency_key,
		EXISTS (SELECT 1 FROM outbox x WHERE x.order_id = o.id)
		FROM orders o WHERE o.seq > ? ORDER BY o.seq`, c.orderSeq)
	if err != nil {
		return fmt.Errorf("check invariants: read orders: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var seq int64
		var id, key string
		var hasOutbox bool
		if err := rs.Scan(&seq, &id, &key, &hasOutbox); err != nil {
			return fmt.Errorf("check invariants: read orders: %w", err)
		}
		c.orderSeq = seq
		c.committed[id] = key
		c.byKey[key] = append(c.byKey[key], id)
		if !hasOutbox && c.lab.broker.publishedFor(id) == 0 {
			c.direct[id] = true
		}
	}
	return rs.Err()
}

func (c *checker) readEffects(ctx context.Context) error {
	for _, cons := range c.lab.consumers {
		rs, err := cons.db.QueryContext(ctx, `SELECT id, order_id FROM effects WHERE id > ? ORDER BY id`, c.effectID[cons.name])
		if err != nil {
			return fmt.Errorf("check invariants: read %s effects: %w", cons.name, err)
		}
		for rs.Next() {
			var id int64
			var order string
			if err := rs.Scan(&id, &order); err != nil {
				rs.Close()
				return fmt.Errorf("check invariants: read %s effects: %w", cons.name, err)
			}
			c.effectID[cons.name] = id
			c.effects[cons.name][order]++
			if c.effects[cons.name][order] > 1 {
				c.duplicates[cons.name][order] = true
			}
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) oneOrderPerKey() InvariantResult {
	var broken []string
	for key, ids := range c.byKey {
		if len(ids) > 1 {
			short := make([]string, len(ids))
			for i, id := range ids {
				short[i] = ShortID(id)
			}
			broken = append(broken, fmt.Sprintf("key %s: %d orders (%s)", key, len(ids), strings.Join(short, ", ")))
		}
	}
	return result(OneOrderPerKey, broken)
}

// noPhantom: an event whose order is not committed is a phantom once no
// running request can still commit it.
func (c *checker) noPhantom() InvariantResult {
	var broken []string
	for ev, order := range c.suspects {
		if _, ok := c.committed[order]; ok {
			delete(c.suspects, ev)
			continue
		}
		if c.lab.svc.isOpen(order) {
			continue
		}
		broken = append(broken, fmt.Sprintf("event %s for order %s, which was never committed", ShortID(ev), ShortID(order)))
	}
	return result(NoPhantomEvent, broken)
}

// noLost: a committed order with no outbox row must have been published,
// unless its request is still running (between commit and publish).
func (c *checker) noLost() InvariantResult {
	var broken []string
	for order := range c.direct {
		if c.lab.broker.publishedFor(order) > 0 {
			delete(c.direct, order)
			continue
		}
		if c.lab.svc.isOpen(order) {
			continue
		}
		broken = append(broken, fmt.Sprintf("order %s (key %s) is committed but its event was never published", ShortID(order), c.committed[order]))
	}
	return result(NoLostEvent, broken)
}

func (c *checker) exactlyOnce() InvariantResult {
	var broken []string
	for _, name := range ConsumerNames {
		for order := range c.duplicates[name] {
			broken = append(broken, fmt.Sprintf("%s applied order %s %d times", name, ShortID(order), c.effects[name][order]))
		}
	}
	return result(ExactlyOnceEffect, broken)
}

// stuckKeys finds keys in flight longer than the lock TTL: Redis should
// have expired them, so one left means a reservation without a TTL.
func (c *checker) stuckKeys(ctx context.Context) ([]string, error) {
	l := c.lab
	var broken []string
	now := l.clock.Now()
	for _, key := range l.trackedKeys() {
		rec, err := l.idem.get(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("check invariants: %w", err)
		}
		if rec == nil {
			l.untrackKey(key)
			continue
		}
		if rec.State != KeyInFlight {
			continue
		}
		at, err := time.Parse(labTimeFormat, rec.ReservedAt)
		if err == nil && now.Sub(at) > l.opts.LockTTL {
			broken = append(broken, fmt.Sprintf("key %s in flight for %s (lock TTL %s)", key, now.Sub(at), l.opts.LockTTL))
		}
	}
	return broken, nil
}

func result(name string, broken []string) InvariantResult {
	sort.Strings(broken)
	r := InvariantResult{Name: name, OK: len(broken) == 0, Count: len(broken)}
	if len(broken) > maxNamed {
		broken = append(broken[:maxNamed], fmt.Sprintf("… and %d more", len(broken)-maxNamed))
	}
	r.Broken = broken
	return r
}
