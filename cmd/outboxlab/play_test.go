package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// scenarioFile writes a scenario into a temporary directory and returns its path.
func scenarioFile(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	return path
}

const passingScenario = `title: One order
say A client sends an order.
send key=k1 item="blue mug" qty=2
expect client k1 created
expect orders = 1
shot sent
relay step
expect broker log = 1
`

func TestPlayListNamesEveryBuiltinWithItsTitle(t *testing.T) {
	code, stdout, stderr := runCmd(t, "play", "--list")
	assert.Equal(t, 0, code)
	assert.Empty(t, stderr)
	var first string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "01-happy-path ") {
			first = line
		}
	}
	require.NotEmpty(t, first, "01-happy-path is listed:\n%s", stdout)
	assert.Contains(t, first, "The happy path, through the outbox")
}

func TestPlayOfABuiltinByNumberPrintsEachCheckAndPasses(t *testing.T) {
	code, stdout, stderr := runCmd(t, "play", "01")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "== 01-happy-path: The happy path, through the outbox ==")
	assert.Contains(t, stdout, "    > send key=k1 item=book qty=1")
	assert.Contains(t, stdout, "    ✓ client k1 created\n")
	assert.Contains(t, stdout, "[shot order-created]")
	assert.Contains(t, stdout, "passed: 01-happy-path")
	assert.True(t, strings.HasSuffix(stdout, "1 scenario(s) passed\n"), stdout)
}

func TestPlayQuietPrintsOnlyTheSummary(t *testing.T) {
	code, stdout, stderr := runCmd(t, "play", "--quiet", "01")
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "1 scenario(s) passed\n", stdout)
}

func TestPlayWritesTheTraceAsJSONAndMermaidWithFlagsAfterTheFile(t *testing.T) {
	file := scenarioFile(t, "one.scn", passingScenario)
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "T.json")
	mermaidPath := filepath.Join(dir, "M.mmd")
	code, stdout, stderr := runCmd(t, "play", file, "--trace", tracePath, "--mermaid", mermaidPath)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "== one: One order ==")
	assert.Contains(t, stdout, "1 scenario(s) passed")

	body, err := os.ReadFile(tracePath)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(strings.TrimSpace(string(body)), "["), "the trace is a JSON array")
	// Events write "at" as lab time ("+0s"), one way: read them generically.
	var events []map[string]any
	require.NoError(t, json.Unmarshal(body, &events))
	require.NotEmpty(t, events)
	var posted bool
	for i, e := range events {
		assert.Equal(t, float64(i+1), e["seq"])
		assert.NotEmpty(t, e["what"])
		assert.IsType(t, "", e["at"])
		posted = posted || (e["from"] == string(sim.LaneClient) && e["to"] == string(sim.LaneAPI) && e["key"] == "k1")
	}
	assert.True(t, posted, "the trace holds the client's POST")

	m, err := os.ReadFile(mermaidPath)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(m), "sequenceDiagram\n"), string(m))
	assert.Contains(t, string(m), "title One order\n")
	assert.Contains(t, string(m), "client->>api: POST /orders k1 (2 × blue mug)")

	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, left, 2, "no temporary files are left behind")
}

func TestPlayStopsAtTheFirstFailedExpectationWithExitOne(t *testing.T) {
	file := scenarioFile(t, "fails.scn", `title: Fails
send key=k1
expect orders = 2
expect orders = 1
`)
	code, stdout, stderr := runCmd(t, "play", file)
	assert.Equal(t, 1, code)
	requireOneLine(t, stderr)
	assert.Equal(t, "outboxlab play: "+file+":3: expected orders = 2, saw 1\n", stderr)
	assert.Contains(t, stdout, "✗ orders = 2 (saw 1)")
	assert.NotContains(t, stdout, "scenario(s) passed")
}

func TestPlayRefusesASyntaxErrorBeforeRunningAnything(t *testing.T) {
	good := scenarioFile(t, "good.scn", passingScenario)
	bad := scenarioFile(t, "bad.scn", "title: Bad\nsend key=k1\narm db.comitted pause\n")
	// The good file comes first: it must not run either.
	code, stdout, stderr := runCmd(t, "play", good, bad)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout, "nothing ran")
	requireOneLine(t, stderr)
	assert.True(t, strings.HasPrefix(stderr, "outboxlab play: "+bad+":3: "), stderr)
	assert.Contains(t, stderr, `unknown point "db.comitted"`)
	assert.Contains(t, stderr, "db.committed")
}

func TestPlayOfAMissingFileExitsTwoNamingIt(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.scn")
	code, stdout, stderr := runCmd(t, "play", missing)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	requireOneLine(t, stderr)
	assert.Contains(t, stderr, missing)
	assert.Contains(t, stderr, "no such file")
}

func TestPlayOfADirectoryExitsTwo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "scenes.scn")
	require.NoError(t, os.Mkdir(dir, 0o755))
	code, stdout, stderr := runCmd(t, "play", dir)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	requireOneLine(t, stderr)
	assert.Contains(t, stderr, dir+": not a regular file")
}

func TestPlayWithATraceIntoAMissingDirectoryExitsOneWithOneLine(t *testing.T) {
	tracePath := filepath.Join(t.TempDir(), "no", "such", "dir", "T.json")
	code, _, stderr := runCmd(t, "play", "01", "--trace", tracePath)
	assert.Equal(t, 1, code)
	requireOneLine(t, stderr)
	assert.True(t, strings.HasPrefix(stderr, "outboxlab play: write "+tracePath+": "), stderr)
	assert.Contains(t, stderr, "no such file or directory")
}

func TestPlayHelpPrintsTheUsageAndFlags(t *testing.T) {
	for _, args := range [][]string{{"play", "-h"}, {"help", "play"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, args...)
			assert.Equal(t, 0, code)
			assert.Empty(t, stderr)
			assert.Contains(t, stdout, "Usage: outboxlab play")
			for _, flag := range []string{"-all", "-list", "-trace", "-mermaid", "-quiet"} {
				assert.Contains(t, stdout, flag)
			}
		})
	}
}

func TestPlayOfSeveralScenariosWritesATraceForEach(t *testing.T) {
	a := scenarioFile(t, "a.scn", passingScenario)
	b := scenarioFile(t, "b.scn", "title: B\nsend key=k9\nexpect orders = 1\n")
	dir := t.TempDir()
	code, stdout, stderr := runCmd(t, "play", "--quiet", "--trace", filepath.Join(dir, "t.json"), a, b)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "2 scenario(s) passed\n", stdout)
	for _, name := range []string{"t-a.json", "t-b.json"} {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.NoError(t, err, name)
	}
}
