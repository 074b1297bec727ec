package explore

import (
	"fmt"
	"slices"
	"strings"

	"outboxlab/sim"
)

// story writes a counterexample as a narrated scenario: what each action
// does, what the explorer saw it do, and the broken light at the end.
func story(f *Finding) string {
	var b strings.Builder
	switches := "every pattern on"
	if f.Switches != "" {
		switches = f.Switches
	}
	fmt.Fprintf(&b, "title: Explorer: %s broken with %s\n", f.Invariant, switches)
	fmt.Fprintf(&b, "summary: Found by outboxlab explore --seed %d in run %d of %d and shrunk from %d actions to %d. Play it with outboxlab play, or open it in the app's course player.\n",
		f.ExploreSeed, f.Run+1, f.Runs, f.Original, len(f.Steps))
	fmt.Fprintf(&b, "seed: %d\n", f.Seed)
	for _, st := range f.Steps {
		b.WriteString("\n")
		for _, say := range narrate(st.Line) {
			fmt.Fprintf(&b, "say %s\n", say)
		}
		if st.Result != "" && !strings.HasPrefix(st.Line, "set ") {
			fmt.Fprintf(&b, "say The explorer saw: %s.\n", oneLine(st.Result))
		}
		b.WriteString(st.Line + "\n")
	}
	fmt.Fprintf(&b, "\nsay %s is broken: the lab promises %s.\n", f.Invariant, sim.InvariantDocs[f.Invariant])
	for _, row := range f.Rows {
		fmt.Fprintf(&b, "say %s.\n", strings.TrimSuffix(oneLine(row), "."))
	}
	if why := lessons[f.Invariant]; why != "" {
		fmt.Fprintf(&b, "say %s\n", why)
	}
	fmt.Fprintf(&b, "expect broken %s\n", f.Invariant)
	return b.String()
}

// lessons say what went wrong and which pattern prevents it.
var lessons = map[string]string{
	sim.OneOrderPerKey: "Two requests with the same key each created an order. With idempotency=redis+db the key is reserved with SET NX " +
		"and a UNIQUE constraint backs it up, so a retry gets the first answer replayed instead.",
	sim.NoLostEvent: "The order is committed, but its event never reached the broker: the publish after the commit failed or never ran, and nothing remembers to try again. " +
		"With publish=outbox the event row commits in the order's transaction and the relay publishes it later.",
	sim.NoPhantomEvent: "The event went out, but its order never committed, and consumers acted on it. " +
		"With publish=outbox nothing is published before the order commits.",
	sim.ExactlyOnceEffect: "The same event arrived more than once, which at-least-once delivery allows, and the consumer applied it again. " +
		"With dedup=on the consumer records the event id in processed_events in the same transaction as the effect, and skips a repeat.",
	sim.NoStuckKey: "A key stayed in flight past its lock TTL, so every retry with it is refused.",
}

// narrate says in a learner's words what an action line does.
func narrate(line string) []string {
	f := strings.Fields(line)
	verb, args := f[0], f[1:]
	arg := func(name string) string {
		for _, a := range args {
			if v, ok := strings.CutPrefix(a, name+"="); ok {
				return v
			}
		}
		return ""
	}
	switch verb {
	case "set":
		var out []string
		for _, a := range args {
			name, value, _ := strings.Cut(a, "=")
			out = append(out, fmt.Sprintf("Switch %s to %s: %s.", name, value, switchDoc(name, value)))
		}
		return out
	case "send":
		return []string{fmt.Sprintf("The client sends an order (%s × book) with Idempotency-Key %s.", arg("qty"), arg("key"))}
	case "retry":
		return []string{fmt.Sprintf("The client retries its last request with key %s.", arg("key"))}
	case "arm":
		return []string{fmt.Sprintf("Arm %s to %s: %s.", args[0], strings.ReplaceAll(args[1], "-", " "), pointDoc(args[0]))}
	case "disarm":
		return []string{fmt.Sprintf("Disarm %s.", args[0])}
	case "resume":
		return []string{fmt.Sprintf("Resume %s: it carries on from where it was paused.", args[0])}
	case "crash":
		return []string{fmt.Sprintf("Crash %s where it is paused, the way a killed process dies.", args[0])}
	case "redis":
		return []string{"Redis restarts and forgets every key."}
	case "advance":
		return []string{fmt.Sprintf("Lab time moves on by %s (locks expire after 30s, stored responses after 24h).", args[0])}
	case "broker":
		return []string{map[string]string{"up": "The broker is back up.", "down": "The broker goes down: publishing fails.",
			"duplicate": "The broker starts delivering every message twice."}[args[0]]}
	case "lose-response":
		return []string{"The next response is lost on the way back to the client."}
	case "relay":
		if args[0] == "drain" {
			return []string{"Let everything finish: the relay publishes every pending row and the consumers take every delivery."}
		}
		return []string{"The relay runs one cycle."}
	case "consume":
		return []string{fmt.Sprintf("The %s consumer takes its waiting deliveries.", args[0])}
	}
	return nil
}

func switchDoc(name, value string) string {
	for _, c := range sim.SwitchChoices {
		if c.Name == name {
			if i := slices.Index(c.Values, value); i >= 0 {
				return c.Doc[i]
			}
		}
	}
	return value
}

func pointDoc(name string) string {
	p, err := sim.LookupPoint(name)
	if err != nil {
		return name
	}
	return p.Doc
}

// oneLine keeps a result on one say line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
