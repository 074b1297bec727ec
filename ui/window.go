package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"outboxlab/assets"
)

// AppID matches FyneApp.toml, so preferences and storage land in one place.
const AppID = "dev.outboxlab.app"

// Run opens the main window and blocks until it is closed.
func Run() {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Outbox Lab")
	w.SetContent(container.NewCenter(widget.NewLabel("Outbox Lab: the window is being built; `outboxlab serve` runs the lab headless.")))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
}
