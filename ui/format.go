package ui

import (
	"fmt"
	"time"

	"outboxlab/sim"
)

// short shows the distinguishing tail of an ID.
func short(id string) string { return sim.ShortID(id) }

// labTime shows lab time since the start, as the trace does: "+1m30s".
func labTime(d time.Duration) string { return "+" + d.String() }

// ttl words a Redis TTL.
func ttl(d time.Duration) string {
	if d < 0 {
		return "no TTL"
	}
	return d.Round(time.Second).String()
}

// outcomeText words what the client saw, for the response list.
func outcomeText(o sim.Outcome) string {
	switch o.Result {
	case sim.ResultWaiting:
		return fmt.Sprintf("#%d %s · waiting (paused)", o.N, o.Key)
	case sim.ResultDropped:
		return fmt.Sprintf("#%d %s · connection dropped", o.N, o.Key)
	case sim.ResultReplayed:
		return fmt.Sprintf("#%d %s · %d replayed (Idempotent-Replayed) · order %s", o.N, o.Key, o.Status, short(o.OrderID))
	case sim.ResultCreated:
		return fmt.Sprintf("#%d %s · %d created · order %s", o.N, o.Key, o.Status, short(o.OrderID))
	}
	return fmt.Sprintf("#%d %s · %d %s", o.N, o.Key, o.Status, o.Result)
}
