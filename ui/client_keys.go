package ui

import (
	"fmt"
	"strconv"
	"strings"

	"outboxlab/sim"
)

// How the client panel picks the Idempotency-Key of a send.
const (
	keyNew   = "new key each send"
	keyReuse = "reuse last"
	keyTyped = "type one"
)

var keyModes = []string{keyNew, keyReuse, keyTyped}

// nextKey is the next fresh key, k1, k2, ...: one more than the highest kN the
// client has sent. It reads the client's history, so a fresh lab (reset,
// lesson) starts again at k1 and the same clicks always give the same keys.
func nextKey(history []sim.Outcome) string {
	highest := 0
	for _, o := range history {
		if n, ok := strings.CutPrefix(o.Key, "k"); ok {
			if i, err := strconv.Atoi(n); err == nil && i > highest && "k"+strconv.Itoa(i) == o.Key {
				highest = i
			}
		}
	}
	return "k" + strconv.Itoa(highest+1)
}

// lastKey is the key of the client's latest request.
func lastKey(history []sim.Outcome) (string, bool) {
	if len(history) == 0 {
		return "", false
	}
	return history[len(history)-1].Key, true
}

// pickKey decides the key of a send, on the worker, from the lab's history.
// The note explains a fallback.
func pickKey(mode, typed string, history []sim.Outcome) (key, note string) {
	switch mode {
	case keyTyped:
		return typed, ""
	case keyReuse:
		if k, ok := lastKey(history); ok {
			return k, ""
		}
		return nextKey(history), "nothing to reuse yet, so a new key; "
	}
	return nextKey(history), ""
}

// parseQty reads the qty field. Only non-numbers are refused here: a
// number out of range goes to the service, which answers 400, as it would
// for any client.
func parseQty(text string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		return 0, fmt.Errorf("qty must be a whole number (1 to %d), not %q", sim.MaxQty, text)
	}
	return n, nil
}

// pausedRequest finds the oldest client request parked on a point.
func pausedRequest(paused []sim.Paused) (sim.Paused, bool) {
	for _, p := range paused {
		if strings.HasPrefix(p.Work, "req-") {
			return p, true
		}
	}
	return sim.Paused{}, false
}
