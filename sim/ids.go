package sim

import (
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// idSource hands out order and event IDs from a seeded generator so that the
// same actions on the same seed name the same rows. IDs are drawn in the
// order work reaches the service, which the lab serialises.
type idSource struct {
	mu  sync.Mutex
	rng *rand.ChaCha8
}

func newIDSource(seed uint64) *idSource {
	var key [32]byte
	for i := range 4 {
		s := seed + uint64(i)*0x9e3779b97f4a7c15
		for j := range 8 {
			key[i*8+j] = byte(s >> (8 * j))
		}
	}
	return &idSource{rng: rand.NewChaCha8(key)}
}

// next returns a version 4 UUID built from the seeded stream.
func (s *idSource) next() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id uuid.UUID
	_, _ = s.rng.Read(id[:]) // ChaCha8.Read always fills the buffer
	id[6] = id[6]&0x0f | 0x40 // version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	return id.String()
}

// ShortID is the first eight characters of an ID, enough to tell rows apart
// on screen and in narration.
func ShortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
