package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"outboxlab/assets"
	"outboxlab/sim"
)

// AppID matches FyneApp.toml, so preferences and storage land in one place.
const AppID = "dev.outboxlab.app"

// Run opens the main window and blocks until it is closed.
func Run() error {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	if err != nil {
		return err
	}
	defer c.Close()
	w := a.NewWindow("Outbox Lab")
	NewMainWindow(a, w, c)
	w.Resize(fyne.NewSize(1600, 1000))
	w.ShowAndRun()
	return nil
}

// Window is the lab's main window: its panels and its presenter settings.
type Window struct {
	app   fyne.App
	win   fyne.Window
	ctl   *Controller
	scale float32
	dark  bool
}

// NewMainWindow builds every panel into w. Tests call it with a test app.
func NewMainWindow(a fyne.App, w fyne.Window, c *Controller) *Window {
	mw := &Window{app: a, win: w, ctl: c, scale: 1}
	mw.applyTheme()
	status := widget.NewLabel("Ready. Send an order, or pick a lesson from the course.")
	status.Truncation = fyne.TextTruncateEllipsis
	c.Subscribe(func(v View) {
		if v.Status != "" {
			status.SetText(v.Status)
			if v.Failed {
				status.Importance = widget.DangerImportance
			} else {
				status.Importance = widget.MediumImportance
			}
			status.Refresh()
		}
	})

	left := container.NewVSplit(newClientPanel(c, w), newFlowPanel(c))
	left.SetOffset(0.45)
	center := container.NewVSplit(newDataPanel(c), newTimeline(c))
	center.SetOffset(0.55)
	right := container.NewVSplit(newCoursePanel(c, w), container.NewVSplit(newInvariantLights(c), newRelayPanel(c)))
	right.SetOffset(0.4)

	body := container.NewHSplit(left, container.NewHSplit(center, right))
	body.SetOffset(0.24)
	body.Trailing.(*container.Split).SetOffset(0.72)

	w.SetContent(container.NewBorder(mw.toolbar(), status, nil, nil, body))
	w.SetMainMenu(mw.menu())
	mw.bindKeys()
	c.Refresh()
	return mw
}

// applyTheme installs the theme for the current scale and variant.
func (mw *Window) applyTheme() {
	mw.app.Settings().SetTheme(newLabTheme(mw.scale, mw.dark))
}

// SetScale changes the presenter font scale (1, 1.5 or 2).
func (mw *Window) SetScale(s float32) {
	mw.scale = s
	mw.applyTheme()
}

// SetDark switches between the light and the dark theme.
func (mw *Window) SetDark(dark bool) {
	mw.dark = dark
	mw.applyTheme()
}

func (mw *Window) toolbar() fyne.CanvasObject {
	return container.NewHBox(newSwitchesBar(mw.ctl), widget.NewSeparator(), mw.presenterControls())
}
