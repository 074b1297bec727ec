package scenarios

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"outboxlab/sim"
)

// ExpectForms lists what expect can check, for the reference and errors.
var ExpectForms = []string{
	"orders OP N",
	"outbox pending|published|dead OP N",
	"attempts KEY OP N",
	"broker log OP N",
	"deliveries|effects|inbox|queued CONSUMER OP N",
	"paused OP N",
	"client KEY RESULT",
	"request req-N RESULT",
	"status KEY OP CODE",
	"key KEY in-flight|completed|absent",
	"holds INVARIANT|all",
	"broken INVARIANT",
}

var ops = []string{"=", ">=", "<="}

var regexpRequest = regexp.MustCompile(`^req-[1-9][0-9]*$`)

var results = []sim.Result{sim.ResultCreated, sim.ResultReplayed, sim.ResultInFlight, sim.ResultKeyReused,
	sim.ResultBadRequest, sim.ResultTooLarge, sim.ResultUnavailable, sim.ResultError, sim.ResultDropped, sim.ResultWaiting}

var keyStates = []string{sim.KeyInFlight, sim.KeyCompleted, "absent"}

func parseExpect(s string) (Expect, error) {
	f, err := fields(s)
	if err != nil {
		return Expect{}, err
	}
	bad := func() (Expect, error) {
		return Expect{}, fmt.Errorf("cannot read expect %q; expect takes one of: %s", s, strings.Join(ExpectForms, " · "))
	}
	count := func(what []string, rest []string) (Expect, error) {
		if len(rest) != 2 || !slices.Contains(ops, rest[0]) {
			return Expect{}, fmt.Errorf("expect %s needs OP N, with OP one of = >= <=", strings.Join(what, " "))
		}
		if n, err := strconv.Atoi(rest[1]); err != nil || n < 0 {
			return Expect{}, fmt.Errorf("expect %s: %q is not a count", strings.Join(what, " "), rest[1])
		}
		return Expect{Kind: "count", What: what, Op: rest[0], Want: rest[1]}, nil
	}
	consumer := func(name string) error {
		if !slices.Contains(sim.ConsumerNames, name) {
			return fmt.Errorf("unknown consumer %q (valid: %s)", name, strings.Join(sim.ConsumerNames, ", "))
		}
		return nil
	}
	if len(f) == 0 {
		return bad()
	}
	switch f[0] {
	case "orders", "paused":
		return count(f[:1], f[1:])
	case "outbox":
		if len(f) < 2 || !slices.Contains([]string{"pending", "published", "dead"}, f[1]) {
			return Expect{}, errors.New("expect outbox needs pending, published or dead, e.g. expect outbox pending = 1")
		}
		return count(f[:2], f[2:])
	case "broker":
		if len(f) < 2 || f[1] != "log" {
			return Expect{}, errors.New("expect broker log OP N counts the broker's log, e.g. expect broker log = 1")
		}
		return count(f[:2], f[2:])
	case "deliveries", "effects", "inbox", "queued":
		if len(f) < 2 {
			return bad()
		}
		if err := consumer(f[1]); err != nil {
			return Expect{}, err
		}
		return count(f[:2], f[2:])
	case "client":
		if len(f) != 3 {
			return Expect{}, errors.New("usage: expect client KEY RESULT, e.g. expect client k1 replayed")
		}
		if !slices.Contains(results, sim.Result(f[2])) {
			return Expect{}, fmt.Errorf("unknown client result %q (valid: %s)", f[2], joinResults())
		}
		return Expect{Kind: "client", What: f[1:2], Want: f[2]}, nil
	case "attempts":
		if len(f) != 4 {
			return Expect{}, errors.New("usage: expect attempts KEY OP N: publish attempts on the outbox row of KEY's order, e.g. expect attempts k1 = 2")
		}
		e, err := count(f[:1], f[2:])
		e.Kind, e.What = "attempts", f[1:2]
		return e, err
	case "request":
		if len(f) != 3 || !regexpRequest.MatchString(f[1]) {
			return Expect{}, errors.New("usage: expect request req-N RESULT, where N is a number from 1 (the client's Nth request), e.g. expect request req-1 created")
		}
		if !slices.Contains(results, sim.Result(f[2])) {
			return Expect{}, fmt.Errorf("unknown client result %q (valid: %s)", f[2], joinResults())
		}
		return Expect{Kind: "request", What: f[1:2], Want: f[2]}, nil
	case "status":
		if len(f) != 4 || !slices.Contains(ops, f[2]) {
			return Expect{}, errors.New("usage: expect status KEY = CODE, e.g. expect status k1 = 409")
		}
		if _, err := strconv.Atoi(f[3]); err != nil {
			return Expect{}, fmt.Errorf("%q is not an HTTP status code", f[3])
		}
		return Expect{Kind: "status", What: f[1:2], Op: f[2], Want: f[3]}, nil
	case "key":
		if len(f) != 3 || !slices.Contains(keyStates, f[2]) {
			return Expect{}, fmt.Errorf("usage: expect key KEY STATE with STATE one of %s", strings.Join(keyStates, ", "))
		}
		return Expect{Kind: "key", What: f[1:2], Want: f[2]}, nil
	case "holds", "broken":
		if len(f) != 2 {
			return Expect{}, fmt.Errorf("usage: expect %s INVARIANT (valid: %s)", f[0], strings.Join(sim.InvariantNames, ", "))
		}
		if !slices.Contains(sim.InvariantNames, f[1]) && !(f[0] == "holds" && f[1] == "all") {
			valid := strings.Join(sim.InvariantNames, ", ")
			if f[0] == "holds" {
				valid += ", all"
			}
			return Expect{}, fmt.Errorf("unknown invariant %q (valid: %s)", f[1], valid)
		}
		return Expect{Kind: f[0], What: f[1:2]}, nil
	}
	return bad()
}

func joinResults() string {
	s := make([]string, len(results))
	for i, r := range results {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// check evaluates e on the lab and returns what it saw when e fails.
func check(ctx context.Context, lab *sim.Lab, e Expect) (ok bool, saw string, err error) {
	switch e.Kind {
	case "count":
		n, err := countOf(ctx, lab, e.What)
		if err != nil {
			return false, "", err
		}
		want, _ := strconv.Atoi(e.Want)
		return compare(n, e.Op, want), strconv.Itoa(n), nil
	case "client", "status":
		o, found := lab.Client().Last(e.What[0])
		if !found {
			return false, "nothing: no request was sent with key " + e.What[0], nil
		}
		if e.Kind == "client" {
			return string(o.Result) == e.Want, describe(o), nil
		}
		want, _ := strconv.Atoi(e.Want)
		return compare(o.Status, e.Op, want), describe(o), nil
	case "attempts":
		rows, err := lab.OutboxFor(ctx, e.What[0])
		if err != nil {
			return false, "", err
		}
		if len(rows) != 1 {
			return false, fmt.Sprintf("%d outbox rows for key %s", len(rows), e.What[0]), nil
		}
		want, _ := strconv.Atoi(e.Want)
		saw := fmt.Sprintf("%d attempts (status %s, next attempt at %s", rows[0].Attempts, rows[0].Status, rows[0].NextAttemptAt)
		if rows[0].LastError != "" {
			saw += ", last error: " + rows[0].LastError
		}
		return compare(rows[0].Attempts, e.Op, want), saw + ")", nil
	case "request":
		o, found := lab.Client().Request(e.What[0])
		if !found {
			return false, "nothing: " + e.What[0] + " was never sent", nil
		}
		return string(o.Result) == e.Want, describe(o), nil
	case "key":
		state, err := keyState(ctx, lab, e.What[0])
		if err != nil {
			return false, "", err
		}
		return state == e.Want, state, nil
	case "holds", "broken":
		wantOK := e.Kind == "holds"
		var bad, rows []string
		for _, r := range lab.Invariants() {
			if e.What[0] != "all" && r.Name != e.What[0] {
				continue
			}
			if !r.OK {
				rows = append(rows, r.Name+": "+strings.Join(r.Broken, "; "))
			}
			if r.OK != wantOK {
				if r.OK {
					bad = append(bad, r.Name+" holds")
				} else {
					bad = append(bad, r.Name+" broken: "+strings.Join(r.Broken, "; "))
				}
			}
		}
		if len(bad) == 0 {
			return true, strings.Join(rows, " · "), nil // the rows that break it, for the printout
		}
		return false, strings.Join(bad, " · "), nil
	}
	return false, "", fmt.Errorf("unknown expectation kind %q", e.Kind)
}

func compare(got int, op string, want int) bool {
	switch op {
	case ">=":
		return got >= want
	case "<=":
		return got <= want
	}
	return got == want
}

func countOf(ctx context.Context, lab *sim.Lab, what []string) (int, error) {
	if what[0] == "paused" {
		return len(lab.Paused()), nil
	}
	c, err := lab.Counts(ctx)
	if err != nil {
		return 0, err
	}
	switch what[0] {
	case "orders":
		return c.Orders, nil
	case "outbox":
		return map[string]int{"pending": c.OutboxPending, "published": c.OutboxPublished, "dead": c.OutboxDead}[what[1]], nil
	case "broker":
		return c.Broker.Log, nil
	case "deliveries":
		return c.Broker.Deliveries[what[1]], nil
	case "queued":
		return c.Broker.Queued[what[1]], nil
	case "effects":
		return c.Effects[what[1]], nil
	case "inbox":
		return c.Inbox[what[1]], nil
	}
	return 0, fmt.Errorf("cannot count %v", what)
}

func keyState(ctx context.Context, lab *sim.Lab, key string) (string, error) {
	keys, _, err := lab.RedisKeys(ctx, 0, 0)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		if k.Key == key {
			return k.State, nil
		}
	}
	return "absent", nil
}

// describe words a client outcome for narration and failure messages.
func describe(o sim.Outcome) string {
	if o.Status == 0 {
		return string(o.Result)
	}
	return fmt.Sprintf("%d %s", o.Status, o.Result)
}
