package scenarios

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"outboxlab/sim"
)

// MaxFileBytes bounds a scenario file; a course script is a few KiB.
const MaxFileBytes = 1 << 20

// Verbs lists every action, in the order the reference gives them.
var Verbs = []string{"set", "send", "retry", "arm", "disarm", "resume", "crash", "relay", "consume",
	"advance", "redis", "broker", "lose-response", "populate"}

var (
	shotName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	workName = regexp.MustCompile(`^(req-[0-9]+|http-[0-9]+|relay|consumer:[a-z]+)$`)
)

// ParseError is a problem in a scenario file, at a line.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a whole scenario and checks every line before anything
// runs. file names the script in errors; its base name without .scn is the
// script's Name.
func Parse(file string, src []byte) (*Script, error) {
	fail := func(line int, format string, args ...any) error {
		return &ParseError{File: file, Line: line, Msg: escapeUnprintable(fmt.Sprintf(format, args...))}
	}
	if len(src) > MaxFileBytes {
		return nil, fail(0, "the file is %d bytes; a scenario may be at most %d", len(src), MaxFileBytes)
	}
	if !utf8.Valid(src) || slices.Contains(src, 0) {
		return nil, fail(0, "this is not a text file (a scenario is plain UTF-8 text)")
	}
	s := &Script{Name: strings.TrimSuffix(filepath.Base(file), ".scn"), File: file, Seed: 1}
	var cur Step
	flush := func() {
		if cur.Action != nil || len(cur.Say) > 0 || len(cur.Expects) > 0 || len(cur.Shots) > 0 {
			s.Steps = append(s.Steps, cur)
		}
		cur = Step{}
	}
	lines := strings.Split(string(src), "\n")
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.IndexFunc(line, func(r rune) bool { return r < ' ' && r != '\t' }) >= 0 {
			return nil, fail(n, "the line holds control characters")
		}
		if head, rest, ok := header(line); ok {
			switch head {
			case "title":
				if s.Title != "" {
					return nil, fail(n, "a second title (the first is %q)", s.Title)
				}
				if rest == "" {
					return nil, fail(n, "the title is empty")
				}
				s.Title = rest
			case "summary":
				s.Summary = strings.TrimSpace(s.Summary + " " + rest)
			case "seed":
				seed, err := strconv.ParseUint(rest, 10, 64)
				if err != nil {
					return nil, fail(n, "seed must be a whole number, not %q", rest)
				}
				s.Seed = seed
			}
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		if cur.Line == 0 {
			cur.Line = n
		}
		switch verb {
		case "say":
			if rest == "" {
				return nil, fail(n, "say needs the words to show")
			}
			if cur.Action != nil || len(cur.Expects) > 0 || len(cur.Shots) > 0 {
				flush()
				cur.Line = n
			}
			cur.Say = append(cur.Say, rest)
		case "expect":
			e, err := parseExpect(rest)
			if err != nil {
				return nil, fail(n, "%s", err)
			}
			e.Line, e.Text = n, rest
			cur.Expects = append(cur.Expects, e)
		case "shot":
			if !shotName.MatchString(rest) {
				return nil, fail(n, "shot name %q must be 1 to 64 letters, digits, - or _ (it becomes a file name)", rest)
			}
			cur.Shots = append(cur.Shots, Shot{Line: n, Name: rest})
		default:
			args, err := fields(rest)
			if err != nil {
				return nil, fail(n, "%s", err)
			}
			c := &Command{Line: n, Verb: verb, Args: args}
			if err := checkCommand(c); err != nil {
				return nil, fail(n, "%s", err)
			}
			if cur.Action != nil || len(cur.Expects) > 0 || len(cur.Shots) > 0 {
				flush()
			}
			cur.Line = n
			cur.Action = c
		}
	}
	flush()
	if s.Title == "" {
		return nil, fail(0, "no title: the file needs a line like \"title: Crash after commit, without an outbox\"")
	}
	if len(s.Steps) == 0 {
		return nil, fail(0, "no steps: add actions such as \"send key=k1 item=book qty=1\"")
	}
	return s, nil
}

// escapeUnprintable writes every character of msg that a terminal would
// not print as itself (a line separator, NEL, DEL...) as its Go escape, so
// a message that quotes the file stays one readable line.
func escapeUnprintable(msg string) string {
	if strings.IndexFunc(msg, isUnprintable) < 0 {
		return msg
	}
	var b strings.Builder
	for _, r := range msg {
		if isUnprintable(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isUnprintable(r rune) bool { return r != ' ' && !unicode.IsPrint(r) }

// header recognises "title: ...", "summary: ..." and "seed: ...".
func header(line string) (string, string, bool) {
	for _, h := range []string{"title", "summary", "seed"} {
		if rest, ok := strings.CutPrefix(line, h+":"); ok {
			return h, strings.TrimSpace(rest), true
		}
	}
	return "", "", false
}

// fields splits on spaces; a double-quoted part (Go syntax) may hold
// spaces: item="blue mug".
func fields(s string) ([]string, error) {
	var out []string
	var tok strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return nil, errors.New("a quoted value is not closed")
			}
			v, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("bad quoted value %s", s[i:j+1])
			}
			tok.WriteString(v)
			in = true
			i = j
		case c == ' ' || c == '\t':
			if in {
				out = append(out, tok.String())
				tok.Reset()
				in = false
			}
		default:
			tok.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, tok.String())
	}
	return out, nil
}

// keyValues reads name=value arguments, allowing only the given names.
func keyValues(args []string, allowed ...string) (map[string]string, error) {
	kv := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || !slices.Contains(allowed, k) {
			return nil, fmt.Errorf("unexpected %q (expected %s)", a, strings.Join(withEq(allowed), " "))
		}
		if _, dup := kv[k]; dup {
			return nil, fmt.Errorf("%s= given twice", k)
		}
		kv[k] = v
	}
	return kv, nil
}

func withEq(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n + "=…"
	}
	return out
}

func checkCommand(c *Command) error {
	a := c.Args
	want := func(n int, usage string) error {
		if len(a) != n {
			return fmt.Errorf("usage: %s", usage)
		}
		return nil
	}
	switch c.Verb {
	case "set":
		if len(a) == 0 {
			return errors.New("usage: set NAME=VALUE [NAME=VALUE...], e.g. set publish=after-commit")
		}
		var sw sim.Switches
		for i, kv := range a {
			if err := sw.ParseSwitch(kv); err != nil {
				return err
			}
			name, value, _ := strings.Cut(kv, "=")
			a[i] = strings.TrimSpace(name) + "=" + strings.TrimSpace(value) // what run applies is what was checked
		}
	case "send":
		kv, err := keyValues(a, "key", "item", "qty")
		if err != nil {
			return err
		}
		if _, ok := kv["key"]; !ok {
			return errors.New("send needs key=…, e.g. send key=k1 item=book qty=1")
		}
		if q, ok := kv["qty"]; ok {
			if _, err := strconv.Atoi(q); err != nil {
				return fmt.Errorf("qty must be a whole number, not %q", q)
			}
		}
	case "retry":
		kv, err := keyValues(a, "key")
		if err != nil {
			return err
		}
		if _, ok := kv["key"]; !ok {
			return errors.New("usage: retry key=K")
		}
	case "arm":
		if err := want(2, "arm POINT MODE, e.g. arm db.committed crash-once"); err != nil {
			return err
		}
		if _, err := sim.LookupPoint(a[0]); err != nil {
			return err
		}
		if _, err := sim.ParseMode(a[1]); err != nil {
			return err
		}
	case "disarm":
		if err := want(1, "disarm POINT"); err != nil {
			return err
		}
		if _, err := sim.LookupPoint(a[0]); err != nil {
			return err
		}
	case "resume", "crash":
		if err := want(1, c.Verb+" WORK-OR-POINT, e.g. "+c.Verb+" req-1 or "+c.Verb+" idem.reserved"); err != nil {
			return err
		}
		if _, err := sim.LookupPoint(a[0]); err != nil && !workName.MatchString(a[0]) {
			return fmt.Errorf("%q is neither paused work (req-N, relay, consumer:NAME) nor a point (%s)", a[0], strings.Join(sim.PointNames(), ", "))
		}
	case "relay":
		switch {
		case len(a) == 1 && (a[0] == "drain" || a[0] == "requeue"):
		case len(a) >= 1 && a[0] == "step" && len(a) <= 2:
			if len(a) == 2 {
				if _, err := positive(a[1]); err != nil {
					return err
				}
			}
		case len(a) == 1 && strings.HasPrefix(a[0], "batch="):
			n, err := positive(strings.TrimPrefix(a[0], "batch="))
			if err != nil || n > 10000 {
				return fmt.Errorf("relay batch must be from 1 to 10000, not %q", strings.TrimPrefix(a[0], "batch="))
			}
		default:
			return errors.New("usage: relay step [N] | relay drain | relay requeue | relay batch=N")
		}
	case "consume":
		if len(a) < 1 || len(a) > 2 {
			return errors.New("usage: consume CONSUMER [N] | consume all (consumers: " + strings.Join(sim.ConsumerNames, ", ") + ")")
		}
		if a[0] != "all" && !slices.Contains(sim.ConsumerNames, a[0]) {
			return fmt.Errorf("unknown consumer %q (valid: %s, all)", a[0], strings.Join(sim.ConsumerNames, ", "))
		}
		if len(a) == 2 {
			if a[0] == "all" {
				return errors.New("consume all takes no count")
			}
			if _, err := positive(a[1]); err != nil {
				return err
			}
		}
	case "advance":
		if err := want(1, "advance DURATION, e.g. advance 30s or advance 24h"); err != nil {
			return err
		}
		d, err := time.ParseDuration(a[0])
		if err != nil || d <= 0 {
			return fmt.Errorf("advance needs a positive duration such as 31s, 2m or 24h, not %q", a[0])
		}
	case "redis":
		if len(a) != 1 || a[0] != "restart" {
			return errors.New("usage: redis restart")
		}
	case "broker":
		if len(a) != 1 || !slices.Contains(sim.BrokerFaults, sim.BrokerFault(a[0])) {
			return errors.New("usage: broker up | broker down | broker duplicate")
		}
	case "lose-response":
		if len(a) != 0 {
			return errors.New("lose-response takes no arguments")
		}
	case "populate":
		if err := want(1, "populate N"); err != nil {
			return err
		}
		if n, err := positive(a[0]); err != nil || n > sim.MaxPopulate {
			return fmt.Errorf("populate takes 1 to %d orders, not %q", sim.MaxPopulate, a[0])
		}
	default:
		return fmt.Errorf("unknown command %q (valid: title:, summary:, seed:, say, expect, shot, %s)", c.Verb, strings.Join(Verbs, ", "))
	}
	return nil
}

func positive(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("expected a whole number of at least 1, not %q", s)
	}
	return n, nil
}
