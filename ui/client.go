package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// newClientPanel is a placeholder until its panel is built.
func newClientPanel(c *Controller, w fyne.Window) fyne.CanvasObject { return widget.NewLabel("client") }
