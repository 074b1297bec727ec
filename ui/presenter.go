package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// presenterControls are the font scale and the theme switch.
func (mw *Window) presenterControls() fyne.CanvasObject {
	labels := make([]string, len(Scales))
	for i, s := range Scales {
		labels[i] = fmt.Sprintf("%g×", s)
	}
	scale := widget.NewSelect(labels, func(choice string) {
		for i, l := range labels {
			if l == choice {
				mw.SetScale(Scales[i])
			}
		}
	})
	scale.SetSelected(labels[0])
	dark := widget.NewCheck("Dark", mw.SetDark)
	return container.NewHBox(widget.NewLabel("Text"), scale, dark)
}
