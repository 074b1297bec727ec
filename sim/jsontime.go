package sim

import (
	"encoding/json"
	"time"
)

// Durations in the JSON of /lab/state read as Go durations ("29.5s",
// "-1ns" never): nanosecond integers mean nothing to a person with curl.

func durationJSON(d time.Duration) string { return d.String() }

// MarshalJSON writes TTL as a duration string, or "none" when the key
// never expires.
func (k KeyView) MarshalJSON() ([]byte, error) {
	type plain KeyView
	ttl := durationJSON(k.TTL)
	if k.TTL < 0 {
		ttl = "none"
	}
	return json.Marshal(struct {
		plain
		TTL string `json:"ttl"`
	}{plain(k), ttl})
}

// MarshalJSON writes At as lab time since the start ("+1m30s").
func (m Message) MarshalJSON() ([]byte, error) {
	type plain Message
	return json.Marshal(struct {
		plain
		At string `json:"at"`
	}{plain(m), "+" + durationJSON(m.At)})
}

// MarshalJSON writes Since as lab time since the start.
func (p Paused) MarshalJSON() ([]byte, error) {
	type plain Paused
	return json.Marshal(struct {
		plain
		Since string `json:"since"`
	}{plain(p), "+" + durationJSON(p.Since)})
}

// MarshalJSON writes At as lab time since the start.
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	return json.Marshal(struct {
		plain
		At string `json:"at"`
	}{plain(e), "+" + durationJSON(e.At)})
}
