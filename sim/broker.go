package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrBrokerDown is what a publisher gets while the broker is down.
var ErrBrokerDown = errors.New("broker is down")

// BrokerFault is the broker's injected condition.
type BrokerFault string

const (
	BrokerUp        BrokerFault = "up"        // normal
	BrokerDown      BrokerFault = "down"      // every publish fails
	BrokerDuplicate BrokerFault = "duplicate" // every publish is delivered twice
)

// BrokerFaults lists the faults in menu order.
var BrokerFaults = []BrokerFault{BrokerUp, BrokerDown, BrokerDuplicate}

// Message is one entry of the topic's append-only log.
type Message struct {
	Offset  int           `json:"offset"`
	EventID string        `json:"event_id"`
	OrderID string        `json:"order_id"`
	Type    string        `json:"type"`
	Payload string        `json:"payload"`
	Source  string        `json:"source"` // relay, or api for direct publishing
	At      time.Duration `json:"at"`
}

// Delivery states.
const (
	DeliveryQueued   = "queued"
	DeliveryInFlight = "in-flight"
	DeliveryAcked    = "acked"
)

// Delivery is one hand-over of a message to one consumer. A message is
// delivered again when the consumer dies before acking it, or when the
// broker duplicates it.
type Delivery struct {
	ID       int          `json:"id"`
	Consumer string       `json:"consumer"`
	Offset   int          `json:"offset"`
	EventID  string       `json:"event_id"`
	OrderID  string       `json:"order_id"`
	Payload  string       `json:"-"`
	Event    OrderCreated `json:"-"`       // Payload decoded once, at publish
	Attempt  int          `json:"attempt"` // 1 for the first hand-over
	State    string       `json:"state"`
}

type subscription struct {
	queue    []*Delivery // waiting, in order
	inflight []*Delivery // taken, not acked
	all      []*Delivery // every delivery ever made, for the UI
}

// Broker is an in-process topic with one subscription per consumer. It
// promises at-least-once delivery: a delivery leaves the subscription only
// when acked. Safe for concurrent use.
type Broker struct {
	clock *Clock

	mu       sync.Mutex
	log      []Message
	subs     map[string]*subscription
	order    []string // subscription names in creation order
	fault    BrokerFault
	nextID   int
	perOrder map[string]int // published messages per order id
}

func newBroker(clock *Clock, consumers []string) *Broker {
	b := &Broker{clock: clock, subs: map[string]*subscription{}, fault: BrokerUp, perOrder: map[string]int{}}
	for _, c := range consumers {
		b.subs[c] = &subscription{}
		b.order = append(b.order, c)
	}
	return b
}

// SetFault changes the broker's condition.
func (b *Broker) SetFault(f BrokerFault) error {
	for _, v := range BrokerFaults {
		if v == f {
			b.mu.Lock()
			b.fault = f
			b.mu.Unlock()
			return nil
		}
	}
	return fmt.Errorf("unknown broker fault %q (valid: up, down, duplicate)", f)
}

// Fault reports the broker's condition.
func (b *Broker) Fault() BrokerFault {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fault
}

// publish appends m to the log and queues a delivery for every consumer.
func (b *Broker) publish(m Message) (Message, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fault == BrokerDown {
		return Message{}, ErrBrokerDown
	}
	copies := 1
	if b.fault == BrokerDuplicate {
		copies = 2
	}
	return b.appendLocked(m, b.order, copies), nil
}

// appendLocked puts m on the log and queues copies deliveries of it for
// each of consumers. b.mu is held.
func (b *Broker) appendLocked(m Message, consumers []string, copies int) Message {
	var event OrderCreated
	_ = json.Unmarshal([]byte(m.Payload), &event) // a payload that is not an OrderCreated still travels; its effect reads blank
	m.Offset = len(b.log)
	m.At = b.clock.Since()
	b.log = append(b.log, m)
	b.perOrder[m.OrderID]++
	for _, name := range consumers {
		s := b.subs[name]
		for range copies {
			b.nextID++
			d := &Delivery{ID: b.nextID, Consumer: name, Offset: m.Offset, EventID: m.EventID, OrderID: m.OrderID, Payload: m.Payload, Event: event, Attempt: 1, State: DeliveryQueued}
			s.queue = append(s.queue, d)
			s.all = append(s.all, d)
		}
	}
	return m
}

// take hands up to n queued deliveries to a consumer; they stay in flight
// until acked or requeued.
func (b *Broker) take(consumer string, n int) []Delivery {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.subs[consumer]
	if n > len(s.queue) {
		n = len(s.queue)
	}
	out := make([]Delivery, n)
	for i, d := range s.queue[:n] {
		d.State = DeliveryInFlight
		out[i] = *d
	}
	s.inflight = append(s.inflight, s.queue[:n]...)
	s.queue = s.queue[n:]
	return out
}

func (b *Broker) ack(consumer string, id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.subs[consumer]
	for i, d := range s.inflight {
		if d.ID == id {
			d.State = DeliveryAcked
			s.inflight = append(s.inflight[:i], s.inflight[i+1:]...)
			return
		}
	}
}

// requeue is what the broker does when a consumer's connection dies: every
// unacked delivery is handed over again, first in line.
func (b *Broker) requeue(consumer string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.subs[consumer]
	again := make([]*Delivery, 0, len(s.inflight))
	for _, d := range s.inflight {
		d.State = DeliveryAcked // this hand-over is over; a new one starts
		b.nextID++
		nd := &Delivery{ID: b.nextID, Consumer: consumer, Offset: d.Offset, EventID: d.EventID, OrderID: d.OrderID, Payload: d.Payload, Event: d.Event, Attempt: d.Attempt + 1, State: DeliveryQueued}
		again = append(again, nd)
		s.all = append(s.all, nd)
	}
	n := len(again)
	s.inflight = nil
	s.queue = append(again, s.queue...)
	return n
}

// BrokerCounts summarises the broker for the snapshot.
type BrokerCounts struct {
	Log        int            `json:"log"`
	Deliveries map[string]int `json:"deliveries"` // hand-overs per consumer, redeliveries included
	Queued     map[string]int `json:"queued"`
	InFlight   map[string]int `json:"in_flight"`
	Fault      BrokerFault    `json:"fault"`
}

func (b *Broker) counts() BrokerCounts {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := BrokerCounts{Log: len(b.log), Deliveries: map[string]int{}, Queued: map[string]int{}, InFlight: map[string]int{}, Fault: b.fault}
	for name, s := range b.subs {
		c.Deliveries[name] = len(s.all)
		c.Queued[name] = len(s.queue)
		c.InFlight[name] = len(s.inflight)
	}
	return c
}

// Messages returns one page of the log.
func (b *Broker) Messages(offset, limit int) []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), pageOf(b.log, offset, limit)...)
}

// Deliveries returns one page of a consumer's deliveries, oldest first.
func (b *Broker) Deliveries(consumer string, offset, limit int) []Delivery {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.subs[consumer]
	if !ok {
		return nil
	}
	page := pageOf(s.all, offset, limit)
	out := make([]Delivery, len(page))
	for i, d := range page {
		out[i] = *d
	}
	return out
}

// messagesFrom returns log entries from offset on, for the invariant checker.
func (b *Broker) messagesFrom(offset int) []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	if offset >= len(b.log) {
		return nil
	}
	return append([]Message(nil), b.log[offset:]...)
}

func (b *Broker) publishedFor(orderID string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.perOrder[orderID]
}
