package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// playedLab plays a built-in scenario to its end and returns its lab.
func playedLab(t *testing.T, s *Script) *sim.Lab {
	t.Helper()
	lab, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { lab.Close() })
	require.NoError(t, s.Play(lab, Hooks{}))
	return lab
}

func TestMermaidDrawsAScenarioAsASequenceDiagram(t *testing.T) {
	s, err := Builtin("09")
	if err != nil {
		s, err = Builtin("01")
	}
	require.NoError(t, err)
	lab := playedLab(t, s)
	events := lab.Trace().Events(0)
	require.NotEmpty(t, events)

	m := Mermaid(s.Title, events)
	require.True(t, strings.HasPrefix(m, "sequenceDiagram\n"), m)
	assert.True(t, strings.HasSuffix(m, "\n"))
	lines := strings.Split(strings.TrimSuffix(m, "\n"), "\n")
	assert.Equal(t, "    title "+mermaidText(s.Title), lines[1])

	used := map[sim.Lane]bool{}
	for _, e := range events {
		used[e.From], used[e.To] = true, true
	}
	participants := 0
	for _, l := range sim.Lanes {
		decl := "\n    participant " + string(l) + " as " + laneTitles[l] + "\n"
		if used[l] {
			participants++
			assert.Contains(t, m, decl, "lane %s is used", l)
		} else {
			assert.NotContains(t, m, "participant "+string(l)+" as", "lane %s is not used", l)
		}
	}
	assert.Len(t, lines, 2+participants+len(events), "a line per event, after the header and participants")

	assert.Contains(t, m, "\n    client->>api: POST /orders ")
	for _, e := range events {
		if e.What == "crash" {
			assert.Contains(t, m, "crash @ "+e.Detail, "the crash at %s is drawn", e.Detail)
		}
	}
}

func TestMermaidDrawsALostResponseAsACrossedArrow(t *testing.T) {
	s, err := Parse("lost.scn", []byte("title: Lost\nlose-response\nsend key=k1\nexpect client k1 dropped\n"))
	require.NoError(t, err)
	lab := playedLab(t, s)
	m := Mermaid(s.Title, lab.Trace().Events(0))
	assert.Contains(t, m, "\n    api-xclient: response lost on the way k1")
}

func TestMermaidCrossesOutACrashBetweenLanes(t *testing.T) {
	m := Mermaid("", []sim.Event{
		{From: sim.LaneAPI, To: sim.LaneBroker, What: "crash", Point: "publish.before"},
		{From: sim.LaneAPI, To: sim.LaneAPI, What: "crash", Detail: "db.committed"},
		{From: sim.LaneClient, To: sim.LaneAPI, What: "POST /orders", Key: "k1", Detail: strings.Repeat("x", 80)},
	})
	assert.Equal(t, "sequenceDiagram\n"+
		"    participant client as Client\n"+
		"    participant api as Order API\n"+
		"    participant broker as Broker\n"+
		"    api-xbroker: crash @ publish.before\n"+
		"    Note over api: ✖ crash @ db.committed\n"+
		"    client->>api: POST /orders k1\n", m, "no title line without a title; long details are left out")
}

func TestMermaidTextStaysOnOneLineAndOutOfMermaidSyntax(t *testing.T) {
	assert.Equal(t, "a, b c", mermaidText("a; b\nc"))
	got := mermaidText("x;y\nz#1 50% <a> b;\n")
	assert.NotContains(t, got, ";")
	assert.NotContains(t, got, "\n")
	assert.NotContains(t, got, "#")
	assert.NotContains(t, got, "<")
	assert.NotContains(t, got, ">")
	assert.NotContains(t, got, "%")

	m := Mermaid("two;\nlines", []sim.Event{{From: sim.LaneLab, To: sim.LaneLab, What: "set", Detail: "a;b\nc"}})
	assert.Equal(t, "sequenceDiagram\n"+
		"    title two, lines\n"+
		"    participant lab as Lab\n"+
		"    Note over lab: set (a,b c)\n", m)
}
