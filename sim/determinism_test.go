package sim

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// playLesson drives a lab through a mix of everything: retries, a lost
// response, a pause resumed, a crash, a Redis restart, a relay crash, time.
func playLesson(t *testing.T, l *Lab) {
	t.Helper()
	l.Send("k1", book)
	l.LoseNextResponse()
	l.Send("k2", OrderRequest{Item: "lamp", Qty: 2})
	_, _ = l.Retry("k2")
	require.NoError(t, l.Arm("idem.reserved", ModePause))
	l.Send("k3", book)
	require.NoError(t, l.Arm("idem.reserved", ModeRun))
	l.Send("k3", book)
	require.NoError(t, l.Resume(l.Paused()[0].ID))
	require.NoError(t, l.Arm("relay.published", ModeCrashOnce))
	_, err := l.StepRelay()
	require.NoError(t, err)
	require.NoError(t, l.RestartRedis())
	_, _ = l.Retry("k1")
	require.NoError(t, l.Set("publish", "after-commit"))
	require.NoError(t, l.Arm("db.committed", ModeCrashOnce))
	l.Send("k4", book)
	require.NoError(t, l.Advance(45*time.Second))
	_, err = l.Drain()
	require.NoError(t, err)
}

func traceLines(l *Lab) []string {
	var out []string
	for _, e := range l.Trace().Events(0) {
		out = append(out, e.String())
	}
	return out
}

func TestSameActionsSameSeedGiveTheSameTraceAndIDs(t *testing.T) {
	a, b := newLab(t), newLab(t)
	playLesson(t, a)
	playLesson(t, b)
	require.Equal(t, traceLines(a), traceLines(b))
	ordersA, err := a.Orders(context.Background(), 0, 0)
	require.NoError(t, err)
	ordersB, err := b.Orders(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Equal(t, ordersA, ordersB)
	require.Len(t, ordersA, 4)
	require.Equal(t, a.Invariants(), b.Invariants())
	require.False(t, invariant(t, a, NoLostEvent).OK, "the lesson ends with the after-commit crash")
}

func TestADifferentSeedGivesDifferentIDs(t *testing.T) {
	a := newLab(t)
	b := newLab(t, func(o *Options) { o.Seed = 7 })
	require.NotEqual(t, a.Send("k1", book).OrderID, b.Send("k1", book).OrderID)
}

func TestActionsListWhatWasDone(t *testing.T) {
	l := newLab(t)
	l.Send("k1", book)
	require.NoError(t, l.Set("dedup", "off"))
	require.NoError(t, l.Arm("relay.marked", ModeCrashOnce))
	_, err := l.Drain()
	require.NoError(t, err)
	var got []string
	for _, a := range l.Actions() {
		got = append(got, a.String())
	}
	require.Equal(t, []string{"send key=k1 item=book qty=1", "set dedup=off", "arm relay.marked crash-once", "relay drain"}, got)
}

func TestSimNeverImportsFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "outboxlab/sim").CombinedOutput()
	require.NoError(t, err, string(out))
	for _, dep := range strings.Fields(string(out)) {
		require.Falsef(t, strings.HasPrefix(dep, "fyne.io/"), "sim depends on %s", dep)
	}
	require.Contains(t, string(out), "github.com/redis/go-redis/v9", "the dependency list is real")
}
