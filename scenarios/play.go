package scenarios

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"outboxlab/sim"
)

// Hooks let a caller watch a run: print it, draw it, take its shots. Every
// hook is optional.
type Hooks struct {
	Step    func(i int, st *Step)           // before step i runs
	Did     func(st *Step, result string)   // after its action, with what happened
	Checked func(e Expect, saw string)      // after an expectation held, with what it saw
	Shot    func(st *Step, shot Shot) error // at a shot mark
	Failed  func(e Expect, saw string)      // when an expectation fails
}

// Failure is an expectation that did not hold.
type Failure struct {
	Where  string
	Expect string
	Saw    string
}

func (f *Failure) Error() string {
	return fmt.Sprintf("%s: expected %s, saw %s", f.Where, f.Expect, f.Saw)
}

// OpenLab opens a fresh lab seeded as the script asks.
func (s *Script) OpenLab(opts sim.Options) (*sim.Lab, error) {
	opts.Seed = s.Seed
	return sim.Open(opts)
}

// Play runs every step on lab and stops at the first action that cannot
// run or expectation that fails, with FILE:LINE in the error.
func (s *Script) Play(lab *sim.Lab, h Hooks) error {
	return s.PlaySteps(lab, 0, len(s.Steps), h)
}

// PlaySteps runs steps [from, to). Rewinding to step n is a fresh lab and
// PlaySteps(lab, 0, n): the lab is deterministic, so the state is exact.
func (s *Script) PlaySteps(lab *sim.Lab, from, to int, h Hooks) error {
	ctx := context.Background()
	for i := from; i < to && i < len(s.Steps); i++ {
		st := &s.Steps[i]
		if h.Step != nil {
			h.Step(i, st)
		}
		if st.Action != nil {
			result, err := run(ctx, lab, st.Action)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", s.where(st.Action.Line), st.Action, err)
			}
			if h.Did != nil {
				h.Did(st, result)
			}
		}
		for _, e := range st.Expects {
			ok, saw, err := check(ctx, lab, e)
			if err != nil {
				return fmt.Errorf("%s: expect %s: %w", s.where(e.Line), e.Text, err)
			}
			if !ok {
				if h.Failed != nil {
					h.Failed(e, saw)
				}
				return &Failure{Where: s.where(e.Line), Expect: e.Text, Saw: saw}
			}
			if h.Checked != nil {
				h.Checked(e, saw)
			}
		}
		for _, shot := range st.Shots {
			if h.Shot != nil {
				if err := h.Shot(st, shot); err != nil {
					return fmt.Errorf("%s: shot %s: %w", s.where(shot.Line), shot.Name, err)
				}
			}
		}
	}
	return nil
}

// run performs one command and words what happened.
func run(ctx context.Context, lab *sim.Lab, c *Command) (string, error) {
	a := c.Args
	switch c.Verb {
	case "set":
		for _, kv := range a {
			name, value, _ := strings.Cut(kv, "=")
			if err := lab.Set(name, value); err != nil {
				return "", err
			}
		}
		return lab.Switches().String(), nil
	case "send":
		kv, _ := keyValues(a, "key", "item", "qty")
		req := sim.OrderRequest{Item: "book", Qty: 1}
		if v, ok := kv["item"]; ok {
			req.Item = v
		}
		if v, ok := kv["qty"]; ok {
			req.Qty, _ = strconv.Atoi(v)
		}
		return outcome(lab, lab.Send(kv["key"], req)), nil
	case "retry":
		kv, _ := keyValues(a, "key")
		o, err := lab.Retry(kv["key"])
		if err != nil {
			return "", err
		}
		return outcome(lab, o), nil
	case "arm":
		return "", lab.Arm(a[0], sim.Mode(a[1]))
	case "disarm":
		return "", lab.Arm(a[0], sim.ModeRun)
	case "resume", "crash":
		p, err := findPaused(lab, a[0])
		if err != nil {
			return "", err
		}
		if c.Verb == "resume" {
			err = lab.Resume(p.ID)
		} else {
			err = lab.Crash(p.ID)
		}
		if err != nil {
			return "", err
		}
		if o, ok := lab.Client().Request(p.Work); ok {
			return p.Work + ": " + outcome(lab, o), nil
		}
		return p.Work + " at " + p.Point, nil
	case "relay":
		return relay(lab, a)
	case "consume":
		if a[0] == "all" {
			rep, err := lab.ConsumeAll()
			return fmt.Sprintf("applied %s; duplicates ignored %s", perConsumer(rep.Applied), perConsumer(rep.Duplicates)), err
		}
		n := 1
		if len(a) == 2 {
			n, _ = strconv.Atoi(a[1])
		}
		var sum sim.ConsumerReport
		for range n {
			r, err := lab.StepConsumer(a[0])
			if err != nil {
				return "", err
			}
			sum.Taken += r.Taken
			sum.Applied += r.Applied
			sum.Duplicates += r.Duplicates
			if r.Crashed != "" {
				return fmt.Sprintf("crashed at %s; %d deliveries go back to the queue", r.Crashed, r.Requeued), nil
			}
			if r.Paused {
				return "paused", nil
			}
		}
		return fmt.Sprintf("took %d, applied %d, duplicates ignored %d", sum.Taken, sum.Applied, sum.Duplicates), nil
	case "advance":
		d, _ := time.ParseDuration(a[0])
		return "", lab.Advance(d)
	case "redis":
		return "every key is gone", lab.RestartRedis()
	case "broker":
		return "", lab.SetBrokerFault(sim.BrokerFault(a[0]))
	case "lose-response":
		lab.LoseNextResponse()
		return "", nil
	case "populate":
		n, _ := strconv.Atoi(a[0])
		return "", lab.Populate(ctx, n)
	}
	return "", fmt.Errorf("unknown command %q", c.Verb)
}

func relay(lab *sim.Lab, a []string) (string, error) {
	switch {
	case a[0] == "drain":
		r, err := lab.Drain()
		if err != nil {
			return "", err
		}
		s := fmt.Sprintf("published %d, dead %d; applied %s; duplicates ignored %s", r.Published, r.Dead, perConsumer(r.Applied), perConsumer(r.Duplicates))
		if len(r.Crashes) > 0 {
			s += fmt.Sprintf(", crashes at %s", strings.Join(r.Crashes, ", "))
		}
		if r.Waited > 0 {
			s += ", waited " + r.Waited.String()
		}
		if r.Stopped != "" {
			s += "; stopped: " + r.Stopped
		}
		return s, nil
	case a[0] == "requeue":
		n, err := lab.RequeueDead()
		return fmt.Sprintf("%d dead row(s) back to pending", n), err
	case strings.HasPrefix(a[0], "batch="):
		n, _ := strconv.Atoi(strings.TrimPrefix(a[0], "batch="))
		return "", lab.SetRelayBatch(n)
	}
	n := 1
	if len(a) == 2 {
		n, _ = strconv.Atoi(a[1])
	}
	var parts []string
	for range n {
		r, err := lab.StepRelay()
		if err != nil {
			return "", err
		}
		switch {
		case r.Paused:
			parts = append(parts, "paused")
		case r.Crashed != "":
			parts = append(parts, "crashed at "+r.Crashed)
		case r.Fetched == 0 && r.Waiting > 0:
			parts = append(parts, fmt.Sprintf("nothing due (%d waiting until +%s)", r.Waiting, r.NextDue))
		case r.Fetched == 0:
			parts = append(parts, "nothing to publish")
		default:
			p := fmt.Sprintf("published %d", r.Published)
			if r.Failed > 0 {
				p += fmt.Sprintf(", failed %d", r.Failed)
			}
			if r.Dead > 0 {
				p += fmt.Sprintf(", dead %d", r.Dead)
			}
			if r.Unmarked {
				p += " but could not mark them (paused work holds the write lock); they stay pending and go out again"
			}
			parts = append(parts, p)
		}
		if r.Paused {
			break
		}
	}
	return strings.Join(parts, "; "), nil
}

// findPaused finds parked work by its name (req-1, relay, consumer:email)
// or by the point it waits on.
func findPaused(lab *sim.Lab, who string) (sim.Paused, error) {
	if p, ok := lab.PausedWork(who); ok {
		return p, nil
	}
	var at []sim.Paused
	for _, p := range lab.Paused() {
		if p.Point == who {
			at = append(at, p)
		}
	}
	switch len(at) {
	case 1:
		return at[0], nil
	case 0:
		return sim.Paused{}, errors.New(nothingPaused(lab, who))
	}
	names := make([]string, len(at))
	for i, p := range at {
		names[i] = p.Work
	}
	return sim.Paused{}, fmt.Errorf("%d pieces of work wait at %s (%s); name one", len(at), who, strings.Join(names, ", "))
}

func nothingPaused(lab *sim.Lab, who string) string {
	ps := lab.Paused()
	if len(ps) == 0 {
		return "nothing is paused, so there is no " + who + " to resume or crash (arm a point with pause first)"
	}
	var have []string
	for _, p := range ps {
		have = append(have, p.Work+" at "+p.Point)
	}
	return fmt.Sprintf("no paused work is %s; paused: %s", who, strings.Join(have, ", "))
}

// outcome words what the client saw, naming the point when it waits.
func outcome(lab *sim.Lab, o sim.Outcome) string {
	if o.Result == sim.ResultWaiting {
		if p, ok := lab.PausedWork(o.Request); ok {
			return fmt.Sprintf("%s waits at %s", o.Request, p.Point)
		}
	}
	s := describe(o)
	if o.Message != "" && o.Result != sim.ResultCreated && o.Result != sim.ResultReplayed {
		s += ": " + o.Message
	}
	return s
}

// perConsumer words a count per consumer in the lab's consumer order.
func perConsumer(m map[string]int) string {
	parts := make([]string, len(sim.ConsumerNames))
	for i, name := range sim.ConsumerNames {
		parts[i] = fmt.Sprintf("%s %d", name, m[name])
	}
	return strings.Join(parts, ", ")
}
