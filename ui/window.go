package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Run opens the main window and blocks until it is closed.
func Run() {
	a := app.NewWithID("dev.outboxlab")
	w := a.NewWindow("Outbox Lab")
	w.SetContent(container.NewCenter(widget.NewLabel("Outbox Lab")))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
}
