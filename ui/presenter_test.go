package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"
)

func TestPresenterScaleChangesTheTextSize(t *testing.T) {
	mw, _ := newTestWindow(t)
	label := widget.NewLabel("Outbox")
	w := test.NewTempWindow(t, label)
	base := renderedTextSize(t, label)

	mw.SetScale(2)
	label.Refresh()
	w.Canvas().Refresh(label)
	require.InDelta(t, 2*base, renderedTextSize(t, label), 0.01)
	require.InDelta(t, 2*theme.DefaultTheme().Size(theme.SizeNameText), fyne.CurrentApp().Settings().Theme().Size(theme.SizeNameText), 0.01)

	mw.SetScale(1.5)
	label.Refresh()
	require.InDelta(t, 1.5*base, renderedTextSize(t, label), 0.01)
}

func renderedTextSize(t *testing.T, l *widget.Label) float32 {
	t.Helper()
	for _, o := range test.TempWidgetRenderer(t, l).Objects() {
		if rt, ok := o.(*widget.RichText); ok {
			for _, ro := range test.TempWidgetRenderer(t, rt).Objects() {
				if txt, ok := ro.(*canvas.Text); ok {
					return txt.TextSize
				}
			}
		}
		if txt, ok := o.(*canvas.Text); ok {
			return txt.TextSize
		}
	}
	t.Fatal("the label draws no text")
	return 0
}

// allText collects every label, button and rich text string under o, so a
// test can check what a person would read.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.Button:
			b.WriteString(v.Text + "\n")
		case *widget.RichText:
			b.WriteString(v.String() + "\n")
		case *canvas.Text:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(v.Content)
		case *container.Split:
			walk(v.Leading)
			walk(v.Trailing)
		}
	}
	walk(o)
	return b.String()
}
