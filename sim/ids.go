package sim

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
)

// idSource hands out order and event IDs from a seeded generator so that the
// same actions on the same seed name the same rows. IDs are drawn in the
// order work reaches the service, which the lab serialises.
//
// They are UUIDv7 (RFC 9562): a lab-time millisecond prefix and a counter,
// then seeded random bits. Time-ordered IDs land at the right edge of the
// SQLite indexes (processed_events, UNIQUE ids), so a batch commit touches
// a few pages instead of one page per row.
type idSource struct {
	mu      sync.Mutex
	clock   *Clock
	rng     *rand.ChaCha8
	lastMS  uint64
	counter uint16
}

func newIDSource(clock *Clock, seed uint64) *idSource {
	var key [32]byte
	for i := range 4 {
		binary.LittleEndian.PutUint64(key[i*8:], seed+uint64(i)*0x9e3779b97f4a7c15)
	}
	return &idSource{clock: clock, rng: rand.NewChaCha8(key)}
}

func (s *idSource) next() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := uint64(s.clock.Now().UnixNano() / int64(time.Millisecond))
	if ms <= s.lastMS {
		ms = s.lastMS
		s.counter++
		if s.counter > 0xfff { // the counter is 12 bits; borrow the next millisecond
			ms++
			s.counter = 0
		}
	} else {
		s.counter = 0
	}
	s.lastMS = ms
	var id uuid.UUID
	_, _ = s.rng.Read(id[8:]) // ChaCha8.Read always fills the buffer
	id[0], id[1], id[2], id[3], id[4], id[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	id[6] = 0x70 | byte(s.counter>>8) // version 7
	id[7] = byte(s.counter)
	id[8] = id[8]&0x3f | 0x80 // RFC 9562 variant
	return id.String()
}

// ShortID is the last eight characters of an ID: the random part, enough
// to tell rows apart on screen and in narration (the leading characters of
// a UUIDv7 are the time and barely change).
func ShortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}
