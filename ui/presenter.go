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
	for i, s := range Scales {
		if s == mw.scale {
			scale.Selected = labels[i] // shown as set; no OnChanged
		}
	}
	dark := widget.NewCheck("Dark", nil)
	dark.Checked = mw.dark
	dark.OnChanged = mw.SetDark
	mw.showPresenter = func() {
		for i, s := range Scales {
			if s == mw.scale && scale.Selected != labels[i] {
				scale.Selected = labels[i] // no OnChanged: the scale is already set
				scale.Refresh()
			}
		}
		if dark.Checked != mw.dark {
			dark.Checked = mw.dark
			dark.Refresh()
		}
	}
	return container.NewHBox(widget.NewLabel("Text"), scale, dark)
}
