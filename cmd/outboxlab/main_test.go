package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer that a running command writes to while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// noSignals is a notifier that never fires, for commands that fail or finish
// on their own.
func noSignals() (<-chan os.Signal, func()) { return make(chan os.Signal), func() {} }

// runCmd runs the command line to its end and returns its exit code, stdout
// and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr syncBuffer
	code := run(args, &stdout, &stderr, noSignals)
	return code, stdout.String(), stderr.String()
}

// requireOneLine checks that s is exactly one line ending in a newline.
func requireOneLine(t *testing.T, s string) {
	t.Helper()
	require.True(t, strings.HasSuffix(s, "\n"), "want one line ending in a newline, got %q", s)
	require.Equal(t, 1, strings.Count(s, "\n"), "want one line, got %q", s)
}

func TestHelpListsEveryCommand(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		t.Run(arg, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, arg)
			assert.Equal(t, 0, code)
			assert.Empty(t, stderr)
			assert.Contains(t, stdout, "Usage: outboxlab")
			assert.Contains(t, stdout, "  serve ")
			assert.Contains(t, stdout, "  play ")
			assert.Contains(t, stdout, "  explore ")
			assert.NotContains(t, stdout, "not built yet")
		})
	}
}

func TestServeHelpListsItsFlags(t *testing.T) {
	for _, args := range [][]string{{"serve", "-h"}, {"serve", "--help"}, {"help", "serve"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, args...)
			assert.Equal(t, 0, code)
			assert.Empty(t, stderr)
			for _, flag := range []string{"-listen", "-redis-addr", "-db", "-seed"} {
				assert.Contains(t, stdout, flag)
			}
		})
	}
}

func TestAWrongCommandLineExitsTwoWithOneLineOfError(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		message string
	}{
		{"an unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"an unknown window flag", []string{"--verbose"}, "flag provided but not defined: -verbose"},
		{"a presenter scale that is not offered", []string{"--scale", "3"}, "--scale must be 1, 1.5 or 2, not 3"},
		{"a lesson that does not exist", []string{"--lesson", "99"}, `no built-in scenario "99"`},
		{"explore with a switch that does not exist", []string{"explore", "colour=red"}, `unknown switch "colour"`},
		{"explore with a value a switch does not take", []string{"explore", "publish=sometimes"}, `switch publish cannot be "sometimes" (valid: after-commit, before-commit, outbox)`},
		{"explore with a word that is not a switch", []string{"explore", "fast"}, `"fast" is not a switch; switches are NAME=VALUE`},
		{"explore with no runs", []string{"explore", "--runs", "0"}, "--runs must be from 1 to 1000000, not 0"},
		{"explore with runs that are not a number", []string{"explore", "--runs", "lots"}, `invalid value "lots" for flag -runs`},
		{"explore with a negative seed", []string{"explore", "--seed", "-1"}, `invalid value "-1" for flag -seed`},
		{"explore with too many workers", []string{"explore", "--workers", "1000"}, "--workers must be from 1 to 64, not 1000"},
		{"explore with no actions", []string{"explore", "--actions", "0"}, "--actions must be from 1 to 100, not 0"},
		{"explore with an empty out", []string{"explore", "--out", " "}, "--out needs a directory"},
		{"play with nothing to play", []string{"play"}, "no scenario given"},
		{"an unknown play flag", []string{"play", "--shot", "x"}, "flag provided but not defined: -shot"},
		{"play with both --all and a file", []string{"play", "--all", "01"}, "either --all or files"},
		{"play of a built-in that does not exist", []string{"play", "99"}, `no built-in scenario "99"`},
		{"an unknown serve flag", []string{"serve", "--port", "80"}, "flag provided but not defined: -port"},
		{"a seed that is not a number", []string{"serve", "--seed", "abc"}, `invalid value "abc" for flag -seed`},
		{"a listen address without a port", []string{"serve", "--listen", "localhost"}, `--listen "localhost" is not HOST:PORT`},
		{"a redis address without a port", []string{"serve", "--redis-addr", "redis"}, `--redis-addr "redis" is not HOST:PORT`},
		{"a stray argument to serve", []string{"serve", "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			first, rest, _ := strings.Cut(stderr, "\n")
			assert.Contains(t, first, tt.message)
			if tt.args[0] == "serve" || tt.args[0] == "play" || tt.args[0] == "explore" || strings.HasPrefix(tt.args[0], "-") {
				assert.Empty(t, rest, "a command's flag error is one line")
			} else {
				assert.Contains(t, rest, "Usage: outboxlab", "an unknown command is followed by the usage")
			}
		})
	}
}

func TestWithoutADisplayTheWindowCommandSaysSoInsteadOfPanicking(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if hasDisplay() {
		t.Skip("this platform opens windows without DISPLAY")
	}
	code, stdout, stderr := runCmd(t)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	requireOneLine(t, stderr)
	assert.Contains(t, stderr, "no display")
	assert.Contains(t, stderr, "outboxlab serve")
}
