package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// newDataPanel is a placeholder until its panel is built.
func newDataPanel(c *Controller) fyne.CanvasObject { return widget.NewLabel("data") }
