package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"outboxlab/ui"
)

// flagUnderFuzz is one flag that takes a value, and how to run a command
// line that gives it one.
type flagUnderFuzz struct {
	name string
	// args builds the command line around value, in dir (the test's own
	// temporary directory); ok false skips a value that would reach
	// outside the test (a non-loopback address) or run for long.
	args func(t *testing.T, dir, value string) (args []string, ok bool)
	// about holds words, one of which an error about this flag contains,
	// so a user can tell what was wrong.
	about []string
}

// confine turns a fuzzed path into one inside root: separators and "."
// and ".." steps go, so no value can name a file the test did not make.
// An empty value stays empty: for every path flag it means "not set".
func confine(root, value string) string {
	if value == "" {
		return ""
	}
	parts := []string{root}
	for _, p := range strings.FieldsFunc(value, func(r rune) bool { return r == '/' || r == '\\' }) {
		if p != "." && p != ".." {
			parts = append(parts, p)
		}
	}
	return filepath.Join(parts...)
}

// loopbackOrMalformed lets through addresses serve refuses before using
// them, and loopback IP addresses; anything else would listen on, or
// connect to, the network.
func loopbackOrMalformed(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// atMost reports whether value, read the way the flag package reads an
// int, is not above limit; values it cannot read are refused before
// anything runs.
func atMost(value string, limit int64) bool {
	n, err := strconv.ParseInt(value, 0, 64)
	return err != nil || n <= limit
}

const fuzzScenario = "title: Fuzz\nsend key=k1\nexpect orders = 1\n"

func playFlag(flag string, path bool, about ...string) flagUnderFuzz {
	return flagUnderFuzz{name: "play --" + flag, about: about, args: func(t *testing.T, dir, value string) ([]string, bool) {
		// A path value lands in out, next to the scenario being played: a
		// value of "/" names an existing directory, "fuzz.scn" the
		// scenario itself, and a plain name a new file.
		out := filepath.Join(dir, "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		scn := filepath.Join(out, "fuzz.scn")
		if err := os.WriteFile(scn, []byte(fuzzScenario), 0o644); err != nil {
			t.Fatal(err)
		}
		if path {
			value = confine(out, value)
		}
		args := []string{"play", scn, "--quiet", "--" + flag + "=" + value}
		t.Cleanup(func() {
			if b, err := os.ReadFile(scn); err != nil || string(b) != fuzzScenario {
				t.Errorf("%q overwrote the scenario it played: %q, %v", args, b, err)
			}
		})
		return args, true
	}}
}

func serveFlag(flag string, about ...string) flagUnderFuzz {
	return flagUnderFuzz{name: "serve --" + flag, about: about, args: func(t *testing.T, dir, value string) ([]string, bool) {
		switch flag {
		case "db":
			value = confine(filepath.Join(dir, "db"), value)
		case "listen", "redis-addr":
			if !loopbackOrMalformed(value) {
				return nil, false
			}
		}
		return []string{"serve", "--" + flag + "=" + value}, true
	}}
}

func exploreFlag(flag string, about ...string) flagUnderFuzz {
	return flagUnderFuzz{name: "explore --" + flag, about: about, args: func(t *testing.T, dir, value string) ([]string, bool) {
		out := filepath.Join(dir, "found")
		switch flag {
		case "out":
			value = confine(out, value)
		case "runs":
			if !atMost(value, 20) {
				return nil, false
			}
		}
		// idempotency=off breaks an invariant in the first run or two, so
		// --out is written to, not only checked. The fuzzed flag comes
		// last: the flag package keeps the last value.
		return []string{"explore", "--runs=3", "--workers=1", "--quiet", "--out=" + out, "idempotency=off", "--" + flag + "=" + value}, true
	}}
}

var fuzzedFlags = []flagUnderFuzz{
	playFlag("trace", true, "--trace", "write "),
	playFlag("mermaid", true, "--mermaid", "write "),
	playFlag("shots", true, "--shots", "write "),
	playFlag("size", false, "--size", "window size"),
	playFlag("scale", false, "--scale"),
	playFlag("theme", false, "--theme"),
	serveFlag("listen", "--listen", "listen on"),
	serveFlag("redis-addr", "--redis-addr", "redis"),
	serveFlag("db", "database", "orders.db", "warehouse.db", "email.db"),
	serveFlag("seed", "-seed"),
	exploreFlag("runs", "-runs"),
	exploreFlag("seed", "-seed"),
	exploreFlag("out", "--out", "cannot create", "write "),
	exploreFlag("workers", "-workers"),
	exploreFlag("actions", "-actions"),
	{name: "explore SWITCH=VALUE", about: []string{"switch"}, args: func(t *testing.T, dir, value string) ([]string, bool) {
		// "--" keeps a value such as -out=/ a switch, not a flag.
		return []string{"explore", "--runs=3", "--workers=1", "--quiet", "--out=" + filepath.Join(dir, "found"), "--", value}, true
	}},
}

// windowFlags are the window's flags; they go through windowOptions, which
// opens nothing.
var windowFlags = []struct {
	name  string
	about string
}{{"scale", "-scale"}, {"lesson", "built-in scenario"}}

// stopAtOnce is a notifier that has already delivered a stop, so serve
// shuts down as soon as it has opened the lab.
func stopAtOnce() (<-chan os.Signal, func()) {
	c := make(chan os.Signal, 1)
	c <- os.Interrupt
	return c, func() {}
}

// FuzzCommandLineFlags gives every flag that takes a value a fuzzed value,
// through the real command line. Whatever the value, no panic reaches the
// user, the exit code is 0, 1 or 2, and a failure is one line that names
// what was wrong.
func FuzzCommandLineFlags(f *testing.F) {
	seeds := map[string][]string{
		"play --trace":         {"t.json", "", "/", "fuzz.scn", "../../etc/passwd", "a/b/c.json", "x\x00y"},
		"play --mermaid":       {"t.mmd", "sub/", "./fuzz.scn", "a\nb"},
		"play --shots":         {"pictures", "/", "fuzz.scn"},
		"play --size":          {"1600x1000", "200x150", "199x150", "10001x10000", "x", "-1x-1", "1e3x1e3", "99999999999999999999x1"},
		"play --scale":         {"1", "1.5", "3", "", "NaN"},
		"play --theme":         {"dark", "Dark", "\x1b[31m"},
		"serve --listen":       {"127.0.0.1:0", "[::1]:0", "localhost", "127.0.0.1:99999", "0.0.0.0:0", ":0", "127.0.0.1:-1"},
		"serve --redis-addr":   {"", "redis", "127.0.0.1:1", "[::1", "10.0.0.1:6379"},
		"serve --db":           {"lab", "", "/", "a/../../b", "x\x00y"},
		"serve --seed":         {"7", "-1", "18446744073709551616", "0x10"},
		"explore --runs":       {"3", "0", "-1", "lots", "1000000", "0x2"},
		"explore --seed":       {"7", "-1", "18446744073709551615"},
		"explore --out":        {"found", "", " ", "/"},
		"explore --workers":    {"1", "0", "65", "-1"},
		"explore --actions":    {"1", "0", "101", "100"},
		"explore SWITCH=VALUE": {"publish=after-commit", "dedup=off", "colour=red", "fast", "-out=/", "=", "publish="},
	}
	for i, fl := range fuzzedFlags {
		values, ok := seeds[fl.name]
		if !ok {
			f.Fatalf("no seeds for %s", fl.name)
		}
		for _, v := range values {
			f.Add(uint8(i), v)
		}
	}
	for i := range windowFlags {
		for _, v := range []string{"1", "2", "1.5", "3", "0", "-1", "NaN", "Inf", "1e309", "01", "99", "", "-h", "01-happy-path"} {
			f.Add(uint8(len(fuzzedFlags)+i), v)
		}
	}

	f.Fuzz(func(t *testing.T, which uint8, value string) {
		n := int(which) % (len(fuzzedFlags) + len(windowFlags))
		if n >= len(fuzzedFlags) {
			checkWindowFlag(t, windowFlags[n-len(fuzzedFlags)].name, windowFlags[n-len(fuzzedFlags)].about, value)
			return
		}
		fl := fuzzedFlags[n]
		dir := t.TempDir()
		args, ok := fl.args(t, dir, value)
		if !ok {
			return
		}
		signals := noSignals
		if args[0] == "serve" {
			signals = stopAtOnce
		}
		var stdout, stderr syncBuffer
		code := run(args, &stdout, &stderr, signals)
		checkOutcome(t, fl.name, fl.about, value, code, stdout.String(), stderr.String())
	})
}

func checkOutcome(t *testing.T, name string, about []string, value string, code int, stdout, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "internal error") {
		t.Fatalf("%s=%q panicked: %s", name, value, stderr)
	}
	switch code {
	case 0:
		return
	case 1, 2:
	default:
		t.Fatalf("%s=%q exited %d; want 0, 1 or 2 (stderr %q)", name, value, code, stderr)
	}
	if code == 1 && stderr == "" && strings.HasPrefix(name, "explore") && strings.Contains(stdout, "broken") {
		return // explore found a broken invariant: a finding, not a failure
	}
	first, _, _ := strings.Cut(stderr, "\n")
	if !strings.HasPrefix(first, "outboxlab") {
		t.Fatalf("%s=%q exited %d; stderr's first line does not start with outboxlab: %q", name, value, code, stderr)
	}
	lower := strings.ToLower(first)
	if !slices.ContainsFunc(about, func(w string) bool { return strings.Contains(lower, strings.ToLower(w)) }) {
		t.Fatalf("%s=%q exited %d with %q, which names none of %q", name, value, code, first, about)
	}
}

func checkWindowFlag(t *testing.T, flag, about, value string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	opts, code, ok := windowOptions([]string{"--" + flag + "=" + value}, &stdout, &stderr)
	if ok {
		if !slices.Contains(ui.Scales, opts.Scale) {
			t.Fatalf("--%s=%q gave the window scale %g", flag, value, opts.Scale)
		}
		if flag == "lesson" && value != "" && opts.Lesson == nil {
			t.Fatalf("--lesson=%q was accepted without a lesson", value)
		}
		return
	}
	checkOutcome(t, "--"+flag, []string{about}, value, code, stdout.String(), stderr.String())
	if code == 0 {
		t.Fatalf("--%s=%q stopped with exit 0 and no window", flag, value)
	}
}
