package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// newTestWindow builds the whole main window on Fyne's test driver with a
// fresh lab, the way Run does for the real window.
func newTestWindow(t testing.TB) (*Window, *Controller) {
	t.Helper()
	a := test.NewTempApp(t)
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	w := a.NewWindow("Outbox Lab")
	t.Cleanup(w.Close)
	mw := NewMainWindow(a, w, c, Options{})
	w.Resize(fyne.NewSize(1600, 1000))
	c.Wait()
	return mw, c
}
