package ui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// runChaos presses Run and waits until the run and its last update are
// done, the way a person waits for the progress bar.
func runChaos(t *testing.T, v *chaosView) {
	t.Helper()
	test.Tap(v.start)
	require.NotNil(t, v.run, "Run started: %s", v.status.Text)
	<-v.run.done
	afterWait()
	require.Nil(t, v.run)
}

// rowCells reads the table row headed title: one cell per configuration.
func rowCells(t *testing.T, v *chaosView, title string) []string {
	t.Helper()
	lines := strings.Split(allText(v.table), "\n")
	for i, l := range lines {
		if l == title {
			return lines[i+1 : i+1+len(v.names)]
		}
	}
	t.Fatalf("no row %q in:\n%s", title, allText(v.table))
	return nil
}

func TestChaosRunComparesConfigurationsUnderTheSameSeeds(t *testing.T) {
	mw, c := newTestWindow(t)
	mw.showChaos()
	v := mw.chaosView
	require.Len(t, v.configs, 2, "after-commit beside the outbox, to start with")
	v.runs.SetText("150")
	runChaos(t, v)

	require.Equal(t, []string{"A: publish=after-commit", "B: every pattern on"}, v.names)
	lost := rowCells(t, v, "Lost events")
	require.NotEqual(t, "none", lost[0], "after-commit loses events")
	require.Equal(t, "none", lost[1], "the outbox loses none")
	for _, row := range []string{"Phantom events", "Keys with more than one order", "Effects applied more than once"} {
		require.Equal(t, []string{"none", "none"}, rowCells(t, v, row), row)
	}
	require.Equal(t, 1.0, v.bar.Value)
	require.Contains(t, v.status.Text, "Done. A: ")
	require.Contains(t, v.status.Text, "B: every invariant held")

	// The counterexample opens in the main window's course player.
	open := v.reports[0].Findings[0]
	tapButton(t, v.table, "Open no-lost-event (")
	c.Wait()
	cv := c.courseNow()
	require.NotNil(t, cv.Script)
	require.Equal(t, open.FileName(), cv.Script.Name+".scn")
	for range cv.Script.Steps {
		c.StepForward()
	}
	c.Wait()
	res, err := c.Lab().Invariant(sim.NoLostEvent)
	require.NoError(t, err)
	require.False(t, res.OK, "stepping through the story breaks the light")
}

func TestChaosRunSaysWhatIsWrongWithItsSettings(t *testing.T) {
	mw, _ := newTestWindow(t)
	mw.showChaos()
	v := mw.chaosView
	for _, tc := range []struct{ runs, seed, want string }{
		{"many", "1", `Runs must be a whole number from 1 to 1000000, not "many"`},
		{"0", "1", "Runs must be"},
		{"10", "-3", `Seed must be a whole number, not "-3"`},
	} {
		v.runs.SetText(tc.runs)
		v.seed.SetText(tc.seed)
		test.Tap(v.start)
		require.Nil(t, v.run, "nothing runs with bad settings")
		require.Contains(t, v.status.Text, tc.want)
	}
}

func TestChaosRunCancelKeepsWhatFinished(t *testing.T) {
	mw, _ := newTestWindow(t)
	mw.showChaos()
	v := mw.chaosView
	v.runs.SetText("1000000")
	test.Tap(v.start)
	r := v.run
	test.Tap(v.cancel)
	<-r.done
	afterWait()
	require.Nil(t, v.run)
	require.False(t, v.start.Disabled(), "Run is available again")
	require.True(t, v.cancel.Disabled())
	require.Contains(t, v.status.Text, "Cancelled.")
}

func TestChaosRunConfigurationsCanBeAddedUpToFourAndRemovedDownToOne(t *testing.T) {
	mw, _ := newTestWindow(t)
	mw.showChaos()
	v := mw.chaosView
	test.Tap(v.add)
	test.Tap(v.add)
	require.Len(t, v.configs, maxChaosConfigs)
	require.True(t, v.add.Disabled())
	for range 5 {
		v.removeConfig(v.configs[0])
	}
	require.Len(t, v.configs, 1)
	require.Equal(t, "A", v.configs[0].card.Title)
}

// The chaos window's picture guards its layout, like the main window's
// goldens; go test ./ui -run ChaosGolden -update accepts a new one.
func TestChaosGolden(t *testing.T) {
	mw, _ := newTestWindow(t)
	mw.showChaos()
	v := mw.chaosView
	v.runs.SetText("200")
	runChaos(t, v)
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, clippedCapture(mw.chaos.Canvas())))
	path := filepath.Join("testdata", "chaos-run.png")
	if *update {
		require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden image (run go test ./ui -run ChaosGolden -update)")
	if !bytes.Equal(b.Bytes(), want) {
		failed := filepath.Join("testdata", "failed", "chaos-run.png")
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		_ = os.WriteFile(failed, b.Bytes(), 0o644)
		t.Fatalf("the chaos window no longer matches %s; the new picture is %s: review it, then accept it with -update", path, failed)
	}
}

// tapButton taps the button under o whose text starts with prefix.
func tapButton(t *testing.T, o fyne.CanvasObject, prefix string) {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if found == nil && strings.HasPrefix(v.Text, prefix) {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	require.NotNil(t, found, "no button %q in:\n%s", prefix, allText(o))
	test.Tap(found)
}
