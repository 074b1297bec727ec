package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// countTile is one number of the relay panel: the value large, what it
// counts small under it, and a fresh tint when the last step changed it.
type countTile struct {
	widget.BaseWidget
	value, caption string
	fresh          bool
}

func newCountTile(caption string) *countTile {
	t := &countTile{caption: caption}
	t.ExtendBaseWidget(t)
	return t
}

// Value is the number the tile shows.
func (t *countTile) Value() string { return t.value }

// SetValue shows v, tinted when it differs from what was shown.
func (t *countTile) SetValue(v string) {
	t.fresh = t.value != "" && v != t.value
	t.value = v
	t.Refresh()
}

func (t *countTile) CreateRenderer() fyne.WidgetRenderer {
	r := &countTileRenderer{
		tile:    t,
		bg:      canvas.NewRectangle(color.Transparent),
		value:   canvas.NewText("", color.Black),
		caption: canvas.NewText("", color.Black),
	}
	r.value.TextStyle = fyne.TextStyle{Bold: true}
	r.value.Alignment = fyne.TextAlignCenter
	r.caption.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type countTileRenderer struct {
	tile           *countTile
	bg             *canvas.Rectangle
	value, caption *canvas.Text
}

func (r *countTileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.value, r.caption}
}

func (r *countTileRenderer) Destroy() {}

func (r *countTileRenderer) MinSize() fyne.Size {
	pad := theme.SizeForWidget(theme.SizeNamePadding, r.tile)
	v, c := r.value.MinSize(), r.caption.MinSize()
	return fyne.NewSize(max(v.Width, c.Width)+2*pad, v.Height+c.Height+2*pad)
}

func (r *countTileRenderer) Layout(size fyne.Size) {
	pad := theme.SizeForWidget(theme.SizeNamePadding, r.tile)
	r.bg.Resize(size)
	v, c := r.value.MinSize(), r.caption.MinSize()
	top := (size.Height - v.Height - c.Height) / 2
	r.value.Move(fyne.NewPos(pad, top))
	r.value.Resize(fyne.NewSize(size.Width-2*pad, v.Height))
	r.caption.Move(fyne.NewPos(pad, top+v.Height))
	r.caption.Resize(fyne.NewSize(size.Width-2*pad, c.Height))
}

// Refresh re-reads the theme, so the presenter scale and dark mode apply.
func (r *countTileRenderer) Refresh() {
	th := r.tile.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.value.Text = r.tile.value
	r.value.TextSize = th.Size(theme.SizeNameSubHeadingText)
	r.value.Color = th.Color(theme.ColorNameForeground, v)
	r.caption.Text = r.tile.caption
	r.caption.TextSize = th.Size(theme.SizeNameCaptionText)
	r.caption.Color = th.Color(theme.ColorNamePlaceHolder, v)
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	if r.tile.fresh {
		r.bg.FillColor = th.Color(colorFresh, v)
	}
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.bg.Refresh()
	r.value.Refresh()
	r.caption.Refresh()
}
