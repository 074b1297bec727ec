package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/assets"
	"outboxlab/scenarios"
	"outboxlab/sim"
)

// AppID matches FyneApp.toml, so preferences and storage land in one place.
const AppID = "dev.outboxlab.app"

// Options are how the window starts.
type Options struct {
	Scale  float32           // presenter text scale, one of Scales (0 means 1)
	Dark   bool              // dark theme
	Lesson *scenarios.Script // a lesson to load into the course player
}

// Run opens the main window and blocks until it is closed.
func Run(o Options) error {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	if err != nil {
		return err
	}
	defer c.Close()
	w := a.NewWindow("Outbox Lab")
	NewMainWindow(a, w, c, o)
	if o.Lesson != nil {
		c.LoadScript(o.Lesson)
	}
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

	showPresenter func() // shows scale and theme in the toolbar

	chaos     fyne.Window // the Chaos run window while it is open
	chaosView *chaosView
}

// NewMainWindow builds every panel into w, themed as o asks (the theme is
// set before any widget exists, so every widget starts at the right size).
// Tests call it with a test app.
func NewMainWindow(a fyne.App, w fyne.Window, c *Controller, o Options) *Window {
	mw := &Window{app: a, win: w, ctl: c, scale: 1, dark: o.Dark}
	if o.Scale > 0 {
		mw.scale = o.Scale
	}
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

	// Every panel scrolls inside its split: at presenter scale a panel's
	// content may want more room than the window has, and it must neither
	// push the window wider than the screen nor draw over its neighbour.
	left := container.NewVSplit(fit(newClientPanel(c, w)), fit(newFlowPanel(c)))
	left.SetOffset(0.45)
	center := container.NewVSplit(fit(newDataPanel(c)), fit(newTimeline(c)))
	center.SetOffset(0.55)
	lower := container.NewVSplit(fit(newInvariantLights(c)), fit(newRelayPanel(c)))
	lower.SetOffset(0.56)
	right := container.NewVSplit(fit(newCoursePanel(c, w)), lower)
	right.SetOffset(0.38)

	body := container.NewHSplit(left, container.NewHSplit(center, right))
	body.SetOffset(0.24)
	body.Trailing.(*container.Split).SetOffset(0.68)

	w.SetContent(container.NewBorder(mw.toolbar(), status, nil, nil, body))
	w.SetMainMenu(mw.menu())
	mw.bindKeys()
	c.Refresh()
	return mw
}

// applyTheme installs the theme for the current scale and variant.
func (mw *Window) applyTheme() {
	mw.app.Settings().SetTheme(newLabTheme(mw.scale, mw.dark))
	if mw.showPresenter != nil {
		mw.showPresenter()
	}
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
	chaos := widget.NewButtonWithIcon("Chaos run…", theme.MediaFastForwardIcon(), mw.showChaos)
	return container.NewHScroll(container.NewHBox(newSwitchesBar(mw.ctl), widget.NewSeparator(), mw.presenterControls(),
		widget.NewSeparator(), chaos))
}

// fit lets a panel scroll within the space its split gives it, unless it
// already scrolls as a whole (a scroll in a scroll would clip twice).
func fit(panel fyne.CanvasObject) fyne.CanvasObject {
	if _, ok := panel.(*container.Scroll); ok {
		return panel
	}
	return container.NewScroll(panel)
}
