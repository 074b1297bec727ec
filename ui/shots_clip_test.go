package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A list inside a scroll, taller than the scroll's viewport, must not draw
// over what is below the scroll: Fyne's software painter alone does.
func TestClippedCaptureKeepsANestedScrollInsideItsViewport(t *testing.T) {
	a := test.NewTempApp(t)
	list := widget.NewList(func() int { return 30 },
		func() fyne.CanvasObject { return widget.NewLabel("an item of the list") },
		func(widget.ListItemID, fyne.CanvasObject) {})
	tall := container.NewGridWrap(fyne.NewSize(200, 600), list)
	red := canvas.NewRectangle(color.NRGBA{R: 255, A: 255})
	red.SetMinSize(fyne.NewSize(200, 100))
	// The rectangle comes first, so whatever the list draws lands on it.
	content := container.New(layout.NewBorderLayout(nil, red, nil, nil), red, container.NewScroll(tall))
	w := a.NewWindow("clip")
	w.SetPadded(false)
	w.SetContent(content)
	w.Resize(fyne.NewSize(200, 300))

	isRed := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		return r > 0xf000 && g < 0x1000 && b < 0x1000
	}
	redPos := red.Position()
	probe := func(img interface{ At(x, y int) color.Color }) bool {
		for y := int(redPos.Y) + 2; y < 298; y += 3 {
			for x := 2; x < 198; x += 3 {
				if !isRed(img.At(x, y)) {
					return false
				}
			}
		}
		return true
	}
	if probe(w.Canvas().Capture()) {
		t.Log("Fyne's own software painter clips nested scrolls now: clippedCapture may go")
	}
	if !probe(clippedCapture(w.Canvas())) {
		t.Fatal("the list drew over the rectangle below its scroll")
	}
}
