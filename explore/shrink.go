package explore

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"outboxlab/sim"
)

// shrink finds a shorter schedule that still breaks invariant: first
// removing chunks of actions, halving the chunk until single actions
// cannot go (delta debugging), then trying simpler forms of what is left
// (crash once instead of always, the smallest time step, quantity 1, key
// k1). The switches line and the final drain stay, so the story always
// says what was turned off and that draining did not repair it.
func shrink(ctx context.Context, lab *sim.Lab, seed uint64, full []string, invariant string) ([]string, error) {
	breaks := func(cand []string) bool {
		if _, err := play(lab, seed, cand); err != nil {
			return false
		}
		return slices.ContainsFunc(broken(lab), func(r sim.InvariantResult) bool { return r.Name == invariant })
	}
	head, body, tail := pinned(full)
	with := func(b []string) []string { return slices.Concat(head, b, tail) }

	for {
		var err error
		if body, err = removeChunks(ctx, body, func(b []string) bool { return breaks(with(b)) }); err != nil {
			return nil, err
		}
		simpler, changed := simplify(body, func(b []string) bool { return breaks(with(b)) })
		body = simpler
		if !changed {
			return with(body), nil
		}
	}
}

// pinned splits off the lines shrinking keeps: a leading set, a trailing
// relay drain.
func pinned(lines []string) (head, body, tail []string) {
	body = lines
	if len(body) > 0 && strings.HasPrefix(body[0], "set ") {
		head, body = body[:1], body[1:]
	}
	if n := len(body); n > 0 && body[n-1] == "relay drain" {
		body, tail = body[:n-1], body[n-1:]
	}
	return slices.Clone(head), slices.Clone(body), slices.Clone(tail)
}

func removeChunks(ctx context.Context, body []string, breaks func([]string) bool) ([]string, error) {
	for chunk := max(len(body)/2, 1); len(body) > 0; {
		removed := false
		for i := 0; i+chunk <= len(body); {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			cand := slices.Concat(body[:i], body[i+chunk:])
			if breaks(cand) {
				body, removed = cand, true
			} else {
				i += chunk
			}
		}
		if !removed {
			if chunk == 1 {
				break
			}
			chunk /= 2
		} else {
			chunk = min(chunk, max(len(body)/2, 1))
		}
	}
	return body, nil
}

var keyArg = regexp.MustCompile(`key=k[0-9]+`)

// simplify tries one simpler form per line, then k1 for a lone key, and
// keeps each change that still breaks the invariant.
func simplify(body []string, breaks func([]string) bool) ([]string, bool) {
	changed := false
	try := func(cand []string) {
		if !slices.Equal(cand, body) && breaks(cand) {
			body, changed = cand, true
		}
	}
	for i := range body {
		for _, simpler := range simplerForms(body[i]) {
			cand := slices.Clone(body)
			cand[i] = simpler
			try(cand)
		}
	}
	used := map[string]bool{}
	for _, l := range body {
		for _, k := range keyArg.FindAllString(l, -1) {
			used[k] = true
		}
	}
	if len(used) == 1 && !used["key=k1"] {
		cand := make([]string, len(body))
		for i, l := range body {
			cand[i] = keyArg.ReplaceAllString(l, "key=k1")
		}
		try(cand)
	}
	return body, changed
}

func simplerForms(line string) []string {
	switch {
	case strings.HasSuffix(line, " crash-always"):
		return []string{strings.TrimSuffix(line, "crash-always") + "crash-once"}
	case strings.HasSuffix(line, " qty=2"):
		return []string{strings.TrimSuffix(line, "2") + "1"}
	case strings.HasPrefix(line, "advance "):
		var out []string
		for _, d := range advances {
			if s := "advance " + d.String(); s != line {
				out = append(out, s)
			} else {
				break
			}
		}
		return out
	}
	return nil
}
