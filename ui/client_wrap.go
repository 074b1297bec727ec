package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// buttonFlow lays controls out left to right and starts a new row when the
// next one does not fit, like words in a paragraph.
//
// Unlike layout.NewRowWrapLayout, its minimum width is always the widest
// control, not the width of the last layout: inside a scroll container a
// row-wrap that once was laid out wide stays wide, and the panel never gives
// the room back when the window shrinks. The minimum height is the one the
// last layout needed; the canvas notices when that changes and lays the
// parents out again.
type buttonFlow struct {
	height float32 // what the last layout needed; 0 before the first
}

func newButtonFlow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&buttonFlow{}, objs...)
}

func (l *buttonFlow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var widest, tallest float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		s := o.MinSize()
		widest, tallest = max(widest, s.Width), max(tallest, s.Height)
		n++
	}
	if l.height == 0 { // not laid out yet: assume one control per row
		pad := theme.Padding()
		return fyne.NewSize(widest, float32(n)*(tallest+pad)-pad)
	}
	return fyne.NewSize(widest, l.height)
}

func (l *buttonFlow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	var x, y, rowHeight float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		s := o.MinSize()
		if x > 0 && x+s.Width > size.Width {
			x, y = 0, y+rowHeight+pad
			rowHeight = 0
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(s)
		x += s.Width + pad
		rowHeight = max(rowHeight, s.Height)
	}
	l.height = y + rowHeight
}
