package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/explore"
)

func TestExploreWithTheOutboxOffWritesACounterexampleThatPlayReproduces(t *testing.T) {
	out := filepath.Join(t.TempDir(), "found")
	code, stdout, stderr := runCmd(t, "explore", "publish=before-commit", "--runs", "300", "--seed", "1", "--out", out)
	require.Equal(t, 1, code, "a violation exits 1: %s", stderr)
	assert.Contains(t, stdout, "Exploring 300 runs with seed 1: conflicts=ietf dedup=on idempotency=redis+db publish=before-commit")
	assert.Contains(t, stdout, "no-phantom-event: broken in ")
	file := filepath.Join(out, "no-phantom-event-seed1.scn")
	assert.Contains(t, stdout, "replay it: outboxlab play "+file)
	assert.Contains(t, stdout, "300 runs in ")
	assert.Contains(t, stdout, "1 invariant broken.")
	assert.Empty(t, stderr, "no progress line when stderr is not a terminal")

	code, played, stderr := runCmd(t, "play", file)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, played, "✓ broken no-phantom-event")

	// The same seed writes the same file.
	first, err := os.ReadFile(file)
	require.NoError(t, err)
	code, _, _ = runCmd(t, "explore", "publish=before-commit", "--runs", "300", "--out", out)
	require.Equal(t, 1, code)
	again, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again))
}

func TestExploreWithEveryPatternOnFindsNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "found")
	code, stdout, stderr := runCmd(t, "explore", "--runs", "200", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "every invariant held in every run.")
	assert.NoDirExists(t, out, "nothing to write, nothing created")
}

func TestExploreIntoAPlaceThatIsNotADirectoryFailsOnOneLine(t *testing.T) {
	taken := filepath.Join(t.TempDir(), "taken")
	require.NoError(t, os.WriteFile(taken, []byte("mine"), 0o644))
	code, _, stderr := runCmd(t, "explore", "idempotency=off", "--runs", "20", "--out", taken)
	require.Equal(t, 1, code)
	requireOneLine(t, stderr)
	assert.Contains(t, stderr, "outboxlab explore: cannot create "+taken)
	got, err := os.ReadFile(taken)
	require.NoError(t, err)
	assert.Equal(t, "mine", string(got))
}

func TestExploreHelpListsItsFlagsAndSwitches(t *testing.T) {
	for _, args := range [][]string{{"explore", "-h"}, {"help", "explore"}} {
		code, stdout, stderr := runCmd(t, args...)
		require.Equal(t, 0, code)
		assert.Empty(t, stderr)
		for _, want := range []string{"-runs", "-seed", "-out", "-workers", "publish=after-commit|before-commit|outbox", "Exit code"} {
			assert.Contains(t, stdout, want, strings.Join(args, " "))
		}
	}
}

func TestExploreProgressLineRedrawsInPlace(t *testing.T) {
	var b strings.Builder
	bar := &progressLine{w: &b}
	bar.show(explore.Progress{Done: 412, Runs: 1000, Violations: 3, Elapsed: time.Second})
	bar.show(explore.Progress{Done: 413, Runs: 1000, Violations: 3, Elapsed: time.Second}) // within 100 ms: skipped
	bar.show(explore.Progress{Done: 1000, Runs: 1000, Violations: 3, Elapsed: 2 * time.Second, Shrinking: "no-lost-event"})
	bar.clear()
	assert.Equal(t, "\r\033[K412/1000 runs · 412 runs/s · 3 broke an invariant"+
		"\r\033[K1000/1000 runs · 500 runs/s · 3 broke an invariant · shrinking no-lost-event"+
		"\r\033[K", b.String())
}
