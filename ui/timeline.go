package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// newTimeline is a placeholder until its panel is built.
func newTimeline(c *Controller) fyne.CanvasObject { return widget.NewLabel("timeline") }
