package ui

import "testing"

func TestTheMainWindowOpensOnAFreshLab(t *testing.T) {
	mw, c := newTestWindow(t)
	if mw.win.Content() == nil || c.Lab() == nil {
		t.Fatal("the window has no content or no lab")
	}
}
