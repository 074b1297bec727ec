package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// menu is the window's main menu.
func (mw *Window) menu() *fyne.MainMenu {
	file := fyne.NewMenu("File",
		fyne.NewMenuItem("Open scenario…", func() { openScenario(mw.ctl, mw.win) }),
		fyne.NewMenuItem("Save recording…", mw.saveRecording),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export screenshot…", mw.exportScreenshot),
		fyne.NewMenuItem("Export trace (JSON)…", func() { mw.exportTrace(false) }),
		fyne.NewMenuItem("Export trace (Mermaid)…", func() { mw.exportTrace(true) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Reset the lab", mw.ctl.Reset),
	)
	explore := fyne.NewMenu("Explore",
		fyne.NewMenuItem("Chaos run…", mw.showChaos),
	)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("The patterns explained", func() { mw.showText("The patterns", patternsText) }),
		fyne.NewMenuItem("Keyboard shortcuts", func() { mw.showText("Keyboard shortcuts", shortcutsText) }),
		fyne.NewMenuItem("About Outbox Lab", func() {
			meta := mw.app.Metadata()
			mw.showText("About", fmt.Sprintf("**Outbox Lab** %s\n\nRuns request idempotency and the transactional outbox for real, and lets you break them.", meta.Version))
		}),
	)
	return fyne.NewMainMenu(file, explore, help)
}

// bindKeys installs the presenter's shortcuts. They act when no text field
// has the keyboard.
func (mw *Window) bindKeys() {
	mw.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeySpace, fyne.KeyRight:
			mw.ctl.StepForward()
		case fyne.KeyLeft:
			mw.ctl.StepBack()
		case fyne.KeyR:
			mw.ctl.RetryLast()
		case fyne.KeyP:
			mw.ctl.ToggleAutoRelay()
		}
	})
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { openScenario(mw.ctl, mw.win) })
}

func (mw *Window) showText(title, markdown string) {
	body := widget.NewRichTextFromMarkdown(markdown)
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", body, mw.win)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

// saveTo asks for a file name and writes data there.
func (mw *Window) saveTo(name string, data func() ([]byte, error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, mw.win)
			return
		}
		if wc == nil {
			return
		}
		defer wc.Close()
		b, err := data()
		if err == nil {
			_, err = wc.Write(b)
		}
		if err != nil {
			dialog.ShowError(fmt.Errorf("write %s: %w", wc.URI().Name(), err), mw.win)
		}
	}, mw.win)
	d.SetFileName(name)
	d.Show()
}

func (mw *Window) saveRecording() {
	mw.saveTo("recording.scn", func() ([]byte, error) { return []byte(mw.ctl.Recording("Recorded session")), nil })
}

func (mw *Window) exportScreenshot() {
	img := mw.win.Canvas().Capture()
	mw.saveTo("outboxlab.png", func() ([]byte, error) {
		var b bytes.Buffer
		err := png.Encode(&b, img)
		return b.Bytes(), err
	})
}

func (mw *Window) exportTrace(mermaid bool) {
	events := mw.ctl.Lab().Trace().Events(0)
	if mermaid {
		mw.saveTo("trace.mmd", func() ([]byte, error) { return []byte(scenarios.Mermaid("Outbox Lab", events)), nil })
		return
	}
	mw.saveTo("trace.json", func() ([]byte, error) { return json.MarshalIndent(events, "", "  ") })
}

var shortcutsText = strings.TrimSpace(`
| key | does |
|---|---|
| Space or → | next step of the lesson |
| ← | back one step (replays the lesson up to there) |
| R | retry the last request with the same key |
| P | run or pause the relay |
| Ctrl+O | open a scenario file |
`)

var patternsText = strings.TrimSpace(`
**Idempotency keys** stop duplicate *requests*. The client sends an
Idempotency-Key; the service reserves it in Redis with SET NX, and a UNIQUE
constraint in SQLite holds the line when Redis forgets. A retry gets the first
answer replayed instead of a second order.

**The transactional outbox** stops lost and phantom *events*. The order and
its OrderCreated event are written in one transaction; a relay publishes the
event afterwards, at least once. A crash after the commit loses nothing: the
row waits in the outbox. A crash before the commit leaves neither.

**Consumer deduplication** absorbs the duplicates that at-least-once
delivery brings: each consumer records the event id in processed_events in
the same transaction as its effect.

Turn each piece off with the switches at the top, break things with the named
points, and watch the invariant lights.
`)

// RetryLast retries the latest request the client made, with its key.
func (c *Controller) RetryLast() {
	c.Run(func(l *sim.Lab) (string, error) {
		h := l.Client().History()
		if len(h) == 0 {
			return "", fmt.Errorf("nothing to retry yet: send an order first")
		}
		o, err := l.Retry(h[len(h)-1].Key)
		return "retry " + o.Key + ": " + outcomeText(o), err
	})
}
