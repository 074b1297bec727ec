package explore

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// With every pattern on, no schedule of crashes, pauses, restarts and
// faults breaks anything. This is the explorer's headline target.
func TestEveryPatternOnHoldsOver10000RandomRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 runs; run without -short")
	}
	rep, err := Run(context.Background(), Config{Runs: 10_000, Seed: 1})
	require.NoError(t, err)
	require.Equal(t, 10_000, rep.Runs)
	require.Empty(t, rep.Broken)
	require.Empty(t, rep.Findings)
}

// Turning one pattern off lets the explorer find the failure it guards
// against, within 1,000 runs, shrunk to a story of at most 8 actions that
// `play` reproduces from the file.
func TestEachPatternTurnedOffIsCaughtAndShrunk(t *testing.T) {
	for _, tc := range []struct{ sw, invariant string }{
		{"idempotency=off", sim.OneOrderPerKey},
		{"publish=after-commit", sim.NoLostEvent},
		{"publish=before-commit", sim.NoPhantomEvent},
		{"dedup=off", sim.ExactlyOnceEffect},
	} {
		t.Run(tc.sw, func(t *testing.T) {
			rep, err := Run(context.Background(), Config{Runs: 1000, Seed: 1, Switches: []string{tc.sw}})
			require.NoError(t, err)
			require.Contains(t, rep.Broken, tc.invariant)
			require.Len(t, rep.Broken, 1, "only the guarded invariant breaks: %v", rep.Broken)
			require.Len(t, rep.Findings, 1)
			f := rep.Findings[0]
			require.Equal(t, tc.invariant, f.Invariant)
			require.LessOrEqual(t, len(f.Steps), 8, "shrunk to at most 8 actions:\n%s", f.Scenario)
			require.Less(t, len(f.Steps), f.Original+1)
			require.Equal(t, "set "+tc.sw, f.Steps[0].Line, "the story starts by turning the pattern off")

			path, err := Write(t.TempDir(), f)
			require.NoError(t, err)
			require.Equal(t, tc.invariant+"-seed1.scn", filepath.Base(path))
			script, err := scenarios.Load(path)
			require.NoError(t, err)
			lab, err := script.OpenLab(sim.Options{})
			require.NoError(t, err)
			defer lab.Close()
			require.NoError(t, script.Play(lab, scenarios.Hooks{}), "the file reproduces the violation:\n%s", f.Scenario)
			res, err := lab.Invariant(tc.invariant)
			require.NoError(t, err)
			require.False(t, res.OK)
		})
	}
}

func TestTheSameSeedGivesTheSameResult(t *testing.T) {
	cfg := Config{Runs: 300, Seed: 9, Switches: []string{"dedup=off"}}
	a, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	cfg.Workers = 1 // another split of runs over labs changes nothing
	b, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	require.NotEmpty(t, a.Findings)
	require.Equal(t, a.Broken, b.Broken)
	require.Equal(t, a.Findings[0].Scenario, b.Findings[0].Scenario)
}

func TestBadConfigurationsSayWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Runs: 0}, "--runs must be from 1 to 1000000, not 0"},
		{Config{Runs: MaxRuns + 1}, "--runs must be from 1"},
		{Config{Runs: 5, Switches: []string{"publish=sometimes"}}, `"sometimes"`},
		{Config{Runs: 5, Switches: []string{"colour=red"}}, `"colour"`},
		{Config{Runs: 5, Switches: []string{"dedup"}}, "not name=value"},
	} {
		_, err := Run(context.Background(), tc.cfg)
		require.ErrorContains(t, err, tc.want)
	}
}

func TestCancellingStopsEarlyWithWhatWasFound(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last Progress
	rep, err := Run(ctx, Config{Runs: 100_000, Seed: 3, Switches: []string{"idempotency=off"}, Progress: func(p Progress) {
		last = p
		if p.Done == 40 {
			cancel()
		}
	}})
	require.NoError(t, err)
	require.True(t, rep.Cancelled)
	require.Less(t, rep.Runs, 1000)
	require.Equal(t, rep.Runs, last.Done)
	require.Contains(t, rep.Broken, sim.OneOrderPerKey, "what was found before the cancel is kept")
}

func TestRemoveChunksKeepsOnlyWhatTheFailureNeeds(t *testing.T) {
	body := strings.Fields("a b c d e f g h i j k")
	needs := func(b []string) bool { return slices.Contains(b, "c") && slices.Contains(b, "h") }
	got, err := removeChunks(context.Background(), body, needs)
	require.NoError(t, err)
	require.Equal(t, []string{"c", "h"}, got)
}

func TestWriteIntoAFileThatIsNotADirectoryFailsCleanly(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "taken")
	require.NoError(t, os.WriteFile(blocker, []byte("mine"), 0o644))
	_, err := Write(blocker, &Finding{Invariant: sim.NoLostEvent, ExploreSeed: 1, Scenario: "title: x\nrelay drain\n"})
	require.ErrorContains(t, err, "cannot create "+blocker)
	got, err := os.ReadFile(blocker)
	require.NoError(t, err)
	require.Equal(t, "mine", string(got), "the user's file is untouched")
}
