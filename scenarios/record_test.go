package scenarios

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

func TestARecordingPlaysBackToTheSameTrace(t *testing.T) {
	ctx := context.Background()
	lab, err := sim.Open(sim.Options{Seed: 1})
	require.NoError(t, err)
	defer lab.Close()

	// Drive the lab by hand, through a bit of everything a driver can do.
	o := lab.Send("k1", sim.OrderRequest{Item: "blue mug", Qty: 2})
	require.Equal(t, sim.ResultCreated, o.Result)
	lab.LoseNextResponse()
	o, err = lab.Retry("k1")
	require.NoError(t, err)
	require.Equal(t, sim.ResultDropped, o.Result)
	require.NoError(t, lab.Arm("idem.reserved", sim.ModePause))
	o = lab.Send("k2", sim.OrderRequest{Item: "book", Qty: 1})
	require.Equal(t, sim.ResultWaiting, o.Result)
	paused := lab.Paused()
	require.Len(t, paused, 1)
	require.NoError(t, lab.Resume(paused[0].ID))
	require.NoError(t, lab.Arm("relay.published", sim.ModeCrashOnce))
	rep, err := lab.StepRelay()
	require.NoError(t, err)
	require.Equal(t, "relay.published", rep.Crashed)
	require.NoError(t, lab.Set("dedup", "off"))
	_, err = lab.Drain()
	require.NoError(t, err)
	require.NoError(t, lab.Advance(31*time.Second))
	require.NoError(t, lab.RestartRedis())
	require.NoError(t, lab.SetBrokerFault(sim.BrokerDown))
	require.NoError(t, lab.SetBrokerFault(sim.BrokerUp))
	_, err = lab.StepConsumer("warehouse")
	require.NoError(t, err)

	src := Record("recorded", 1, lab.Actions())
	assert.True(t, strings.HasPrefix(src, "title: recorded\n"), src)
	assert.Contains(t, src, `item="blue mug"`)
	assert.NotContains(t, src, "seed:", "seed 1 is the default and is left out")

	script, err := Parse("recorded.scn", []byte(src))
	require.NoError(t, err, src)
	assert.Len(t, script.Steps, len(lab.Actions()), "one step per recorded action")

	replay, err := script.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer replay.Close()
	require.NoError(t, script.Play(replay, Hooks{}))

	// The resume above is where an ordering race would show: Lab.release
	// must trace "resume" before the released work traces its own steps.
	require.Equal(t, traceLines(lab), traceLines(replay))
	want, err := lab.Orders(ctx, 0, 0)
	require.NoError(t, err)
	got, err := replay.Orders(ctx, 0, 0)
	require.NoError(t, err)
	require.NotEmpty(t, want)
	assert.Equal(t, "blue mug", want[0].Item, "the quoted item survives the round trip")
	require.Equal(t, want, got)
	assert.Equal(t, lab.Actions(), replay.Actions(), "the replay records the same actions")
}

func TestARecordingKeepsItsSeedAndTidiesItsTitle(t *testing.T) {
	src := Record("  two\nlines  ", 7, []sim.Action{{Verb: "send", Args: []string{"key=k1"}}})
	s, err := Parse("r.scn", []byte(src))
	require.NoError(t, err, src)
	assert.Equal(t, "two lines", s.Title)
	assert.Equal(t, uint64(7), s.Seed)
	require.Len(t, s.Steps, 1)
	assert.Equal(t, "send key=k1", s.Steps[0].Action.String())
}

func TestRecordedArgumentsReadBackExactly(t *testing.T) {
	for _, value := range []string{"plain", "blue mug", "", `say "hi"`, `back\slash`, "tab\there", "café", "日本"} {
		t.Run(value, func(t *testing.T) {
			src := Record("r", 1, []sim.Action{{Verb: "send", Args: []string{sim.Arg("key", "k1"), sim.Arg("item", value), "qty=1"}}})
			s, err := Parse("r.scn", []byte(src))
			require.NoError(t, err, src)
			kv, err := keyValues(s.Steps[0].Action.Args, "key", "item", "qty")
			require.NoError(t, err)
			assert.Equal(t, value, kv["item"])
		})
	}
}
