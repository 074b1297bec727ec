package explore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"outboxlab/sim"
)

// keys is the small pool schedules draw idempotency keys from, so retries
// and reuses of the same key are common.
var keys = []string{"k1", "k2", "k3"}

// advances step lab time over the thresholds that matter: relay backoff,
// the 30s lock TTL, the 24h retention.
var advances = []time.Duration{2 * time.Second, 31 * time.Second, 5 * time.Minute, 25 * time.Hour}

var armModes = []sim.Mode{sim.ModePause, sim.ModeCrashOnce, sim.ModeCrashOnce, sim.ModeCrashAlways}

// schedule draws a run's actions one at a time, looking at the lab as it
// goes, so every action it proposes can run: it only resumes work that is
// paused and only steps a relay or consumer that is not.
type schedule struct {
	rng  *rand.Rand
	sent []string // keys sent so far, in order
}

func newSchedule(seed uint64) *schedule {
	return &schedule{rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))}
}

// length draws how many actions the run takes before the finale.
func (s *schedule) length(max int) int { return 1 + s.rng.IntN(max) }

// next proposes one action line for the lab as it is now.
func (s *schedule) next(lab *sim.Lab) string {
	paused := lab.Paused()
	isPaused := func(work string) bool {
		return slices.ContainsFunc(paused, func(p sim.Paused) bool { return p.Work == work })
	}
	type choice struct {
		weight int
		line   func() string
	}
	choices := []choice{
		{6, func() string { return s.send(keys[s.rng.IntN(len(keys))], 1) }},
		{1, func() string { return s.send(keys[s.rng.IntN(len(keys))], 2) }},
		{5, func() string {
			p := sim.Points[s.rng.IntN(len(sim.Points))].Name
			return fmt.Sprintf("arm %s %s", p, armModes[s.rng.IntN(len(armModes))])
		}},
		{1, func() string { return "redis restart" }},
		{2, func() string { return "advance " + advances[s.rng.IntN(len(advances))].String() }},
		{2, func() string { return "broker " + string(sim.BrokerFaults[s.rng.IntN(len(sim.BrokerFaults))]) }},
		{1, func() string { return "lose-response" }},
	}
	if len(s.sent) > 0 {
		choices = append(choices, choice{4, func() string { return "retry key=" + s.sent[s.rng.IntN(len(s.sent))] }})
	}
	if armed := sortedPoints(lab.ArmedPoints()); len(armed) > 0 {
		choices = append(choices, choice{1, func() string { return "disarm " + armed[s.rng.IntN(len(armed))] }})
	}
	if len(paused) > 0 {
		pick := func() string { return paused[s.rng.IntN(len(paused))].Work }
		choices = append(choices, choice{4, func() string { return "resume " + pick() }}, choice{3, func() string { return "crash " + pick() }})
	}
	if !isPaused("relay") {
		choices = append(choices, choice{3, func() string { return "relay step" }})
	}
	for _, name := range sim.ConsumerNames {
		if !isPaused("consumer:" + name) {
			choices = append(choices, choice{1, func() string { return "consume " + name }})
		}
	}
	if len(paused) == 0 {
		choices = append(choices, choice{1, func() string { return "relay drain" }})
	}
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := s.rng.IntN(total)
	for _, c := range choices[:len(choices)-1] {
		if n < c.weight {
			return c.line()
		}
		n -= c.weight
	}
	return choices[len(choices)-1].line()
}

func (s *schedule) send(key string, qty int) string {
	if !slices.Contains(s.sent, key) {
		s.sent = append(s.sent, key)
	}
	return fmt.Sprintf("send key=%s item=book qty=%d", key, qty)
}

// finale lets the system recover before the lights are read: every point
// disarmed, every paused piece of work resumed, the broker up, and the
// relay and consumers drained. Only what is needed is added, so a
// counterexample stays short.
func finale(lab *sim.Lab) []string {
	var out []string
	for _, p := range sortedPoints(lab.ArmedPoints()) {
		out = append(out, "disarm "+p)
	}
	for _, p := range lab.Paused() {
		out = append(out, "resume "+p.Work)
	}
	if lab.Broker().Fault() != sim.BrokerUp {
		out = append(out, "broker up")
	}
	return append(out, "relay drain")
}

func sortedPoints(m map[string]sim.Mode) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
