package sim

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Idempotency says how the service stops a retried request from creating a
// second order.
type Idempotency string

// Publishing says how the service gets OrderCreated to the broker.
type Publishing string

// Conflicts says which status codes the service uses for key conflicts.
type Conflicts string

const (
	IdempotencyOff     Idempotency = "off"      // every request creates an order
	IdempotencyRedis   Idempotency = "redis"    // SET NX reservation only
	IdempotencyRedisDB Idempotency = "redis+db" // SET NX plus a UNIQUE key column

	PublishAfterCommit  Publishing = "after-commit"  // commit, then publish (event can be lost)
	PublishBeforeCommit Publishing = "before-commit" // publish, then commit (event can be a phantom)
	PublishOutbox       Publishing = "outbox"        // outbox row in the same transaction

	ConflictsIETF Conflicts = "ietf" // 409 in flight, 422 key reused with another body
	Conflicts409  Conflicts = "409"  // 409 for both
)

// Switches are the pattern choices a learner flips to see what each piece
// buys. They may change between requests; a request reads them once, when it
// arrives.
type Switches struct {
	Idempotency Idempotency
	Publish     Publishing
	Dedup       bool
	Conflicts   Conflicts
}

// DefaultSwitches turns every pattern on.
func DefaultSwitches() Switches {
	return Switches{Idempotency: IdempotencyRedisDB, Publish: PublishOutbox, Dedup: true, Conflicts: ConflictsIETF}
}

// SwitchChoices lists every switch name with its valid values, in the order
// the UI, the scenario reference and error messages show them.
var SwitchChoices = []struct {
	Name   string
	Values []string
	Doc    []string
}{
	{"idempotency", []string{"off", "redis", "redis+db"}, []string{
		"no key check: every request creates an order",
		"Redis SET NX reserves the key; nothing else guards it",
		"Redis SET NX, backed by a UNIQUE constraint on the key in SQLite",
	}},
	{"publish", []string{"after-commit", "before-commit", "outbox"}, []string{
		"commit the order, then publish OrderCreated directly (a crash between loses the event)",
		"publish OrderCreated, then commit (a failed commit leaves a phantom event)",
		"write the event to the outbox in the order's transaction; the relay publishes it",
	}},
	{"dedup", []string{"on", "off"}, []string{
		"consumers record each event id in processed_events with the effect",
		"consumers apply every delivery, duplicates included",
	}},
	{"conflicts", []string{"ietf", "409"}, []string{
		"409 while the key is in flight, 422 when it is reused with another body",
		"409 for both conflicts",
	}},
}

// Set changes one switch by name, with the names and values the scenarios,
// the explorer and the UI share. The error lists the valid choices.
func (s *Switches) Set(name, value string) error {
	var values []string
	for _, c := range SwitchChoices {
		if c.Name == name {
			values = c.Values
		}
	}
	if values == nil {
		names := make([]string, 0, len(SwitchChoices))
		for _, c := range SwitchChoices {
			names = append(names, c.Name)
		}
		return fmt.Errorf("unknown switch %q (valid: %s)", name, strings.Join(names, ", "))
	}
	if !slices.Contains(values, value) {
		return fmt.Errorf("switch %s cannot be %q (valid: %s)", name, value, strings.Join(values, ", "))
	}
	switch name {
	case "idempotency":
		s.Idempotency = Idempotency(value)
	case "publish":
		s.Publish = Publishing(value)
	case "dedup":
		s.Dedup = value == "on"
	case "conflicts":
		s.Conflicts = Conflicts(value)
	}
	return nil
}

// ParseSwitch splits "name=value" and applies it.
func (s *Switches) ParseSwitch(assignment string) error {
	name, value, ok := strings.Cut(assignment, "=")
	if !ok {
		return fmt.Errorf("switch %q is not name=value", assignment)
	}
	return s.Set(strings.TrimSpace(name), strings.TrimSpace(value))
}

// Values reports the switches as name → value, the form the trace, the
// state endpoint and recorded scenarios use.
func (s Switches) Values() map[string]string {
	dedup := "off"
	if s.Dedup {
		dedup = "on"
	}
	return map[string]string{
		"idempotency": string(s.Idempotency),
		"publish":     string(s.Publish),
		"dedup":       dedup,
		"conflicts":   string(s.Conflicts),
	}
}

// String renders the switches as "name=value ..." in a stable order.
func (s Switches) String() string {
	v := s.Values()
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + v[k]
	}
	return strings.Join(parts, " ")
}
