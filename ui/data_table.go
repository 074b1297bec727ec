package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dataColumn is one column of a data table.
type dataColumn struct {
	title  string
	sample string // the widest text the column usually holds: it sets the width
}

// dataTab is one data table: a virtualised widget.Table with a header row,
// drawing the rows its source pages from the lab. Column widths follow the
// theme's text size, so the presenter scale widens them.
//
// sync takes every view (cheap: counts and versions); draw redraws the
// table, and only the panel's visible tables are drawn.
type dataTab struct {
	widget.BaseWidget
	cols  []dataColumn
	src   dataSource
	table *widget.Table

	rows     int     // rows the latest view has
	shown    int     // rows the table draws: its Length
	stale    bool    // the table has not drawn the latest view
	textSize float32 // the text size the widths were measured for

	// The probe asks the table whether a row is on screen: RefreshItem
	// calls UpdateCell for that cell only when it is visible.
	probing  bool
	probeRow int
	probeHit bool
}

func newDataTab(cols []dataColumn, src dataSource) *dataTab {
	t := &dataTab{cols: cols, src: src}
	t.table = widget.NewTable(t.length, t.createCell, t.updateCell)
	t.table.ShowHeaderRow = true
	t.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true // no truncation: the columns are as wide as their titles
		return l
	}
	t.table.UpdateHeader = t.updateHeader
	t.ExtendBaseWidget(t)
	t.measure()
	return t
}

func (t *dataTab) length() (int, int) { return t.shown, len(t.cols) }

func (t *dataTab) createCell() fyne.CanvasObject { return newDataCell() }

func (t *dataTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if t.probing {
		if id.Row == t.probeRow {
			t.probeHit = true
		}
		return
	}
	text, tone := t.src.cell(id.Row, id.Col)
	o.(*dataCell).set(id, text, tone, t.src.fresh(id.Row))
}

func (t *dataTab) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	text := ""
	if id.Row < 0 && id.Col >= 0 && id.Col < len(t.cols) {
		text = t.cols[id.Col].title
	}
	if l.Text != text {
		l.SetText(text)
	}
}

// measure sets the column widths for the theme's text size.
func (t *dataTab) measure() {
	th := t.Theme()
	size := th.Size(theme.SizeNameText)
	if size == t.textSize {
		return
	}
	t.textSize = size
	pad := 2*th.Size(theme.SizeNameInnerPadding) + th.Size(theme.SizeNamePadding)
	for i, c := range t.cols {
		w := max(fyne.MeasureText(c.title, size, fyne.TextStyle{Bold: true}).Width,
			fyne.MeasureText(c.sample, size, fyne.TextStyle{}).Width)
		t.table.SetColumnWidth(i, w+pad)
	}
}

// sync takes a view: the row count and whether anything must be redrawn.
func (t *dataTab) sync(v View) {
	n, redraw := t.src.sync(v)
	t.rows = n
	t.stale = t.stale || redraw
}

// draw brings the table up to the latest view. When the last row was on
// screen and rows were added, it scrolls to the new last row, so a
// presenter sending orders one by one always sees the newest.
func (t *dataTab) draw() {
	if !t.stale {
		return
	}
	t.stale = false
	grew, shrank := t.rows > t.shown, t.rows < t.shown
	follow := grew && t.lastRowOnScreen()
	t.shown = t.rows
	if follow {
		t.table.ScrollToBottom()
	}
	if shrank {
		t.table.ScrollToTop()
	}
	t.table.Refresh()
}

// lastRowOnScreen reports whether the table shows its last row now.
func (t *dataTab) lastRowOnScreen() bool {
	if t.shown == 0 {
		return true
	}
	t.probing, t.probeRow, t.probeHit = true, t.shown-1, false
	t.table.RefreshItem(widget.TableCellID{Row: t.shown - 1, Col: 0})
	t.probing = false
	return t.probeHit
}

func (t *dataTab) CreateRenderer() fyne.WidgetRenderer { return &dataTabRenderer{t: t} }

type dataTabRenderer struct{ t *dataTab }

func (r *dataTabRenderer) Layout(s fyne.Size)           { r.t.table.Resize(s) }
func (r *dataTabRenderer) MinSize() fyne.Size           { return r.t.table.MinSize() }
func (r *dataTabRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.table} }
func (r *dataTabRenderer) Destroy()                     {}

// Refresh only follows the theme's text size (presenter scale). It does
// not redraw the table: AppTabs refreshes every tab's content when a title
// changes, which is after every step, and the panel draws the visible
// tables itself. A theme change reaches the table directly, as Fyne
// refreshes every object in the window.
func (r *dataTabRenderer) Refresh() { r.t.measure() }

// dataCell is one table cell: one line of text in a tone, cut with an
// ellipsis when it does not fit, on a background that lights up
// (colorFresh) when its row is new since the previous view.
//
// It draws a canvas.Text rather than a truncating Label: a table redraws
// every visible cell after each step, and a Label shapes its text again to
// truncate it, where a text that fits (the usual case, columns are sized
// for their values) only needs the measure Fyne caches.
type dataCell struct {
	widget.BaseWidget
	id    widget.TableCellID // the cell it shows, for tests
	text  string
	tone  dataTone
	fresh bool

	bg    *canvas.Rectangle
	shown *canvas.Text
}

func newDataCell() *dataCell {
	c := &dataCell{bg: canvas.NewRectangle(color.Transparent), shown: canvas.NewText("", color.Transparent)}
	c.ExtendBaseWidget(c)
	return c
}

// set shows a value; it redraws only what changed.
func (c *dataCell) set(id widget.TableCellID, text string, tone dataTone, fresh bool) {
	c.id = id
	if text != c.text || tone != c.tone {
		c.text, c.tone = text, tone
		c.fit(c.Theme())
		c.shown.Color = c.Theme().Color(tone.colorName(), fyne.CurrentApp().Settings().ThemeVariant())
		c.shown.Refresh()
	}
	if fresh != c.fresh {
		c.fresh = fresh
		c.paint()
		c.bg.Refresh()
	}
}

// fit cuts the text to the cell's width, ending it with "…".
func (c *dataCell) fit(th fyne.Theme) {
	size := th.Size(theme.SizeNameText)
	c.shown.TextSize = size
	room := c.Size().Width - 2*th.Size(theme.SizeNameInnerPadding)
	measure := func(s string) float32 { return fyne.MeasureText(s, size, c.shown.TextStyle).Width }
	if room <= 0 || measure(c.text) <= room {
		c.shown.Text = c.text
		return
	}
	runes := []rune(c.text)
	lo, hi := 0, len(runes) // the longest prefix that fits with the ellipsis is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if measure(string(runes[:mid])+"…") <= room {
			lo = mid
		} else {
			hi = mid
		}
	}
	c.shown.Text = string(runes[:lo]) + "…"
}

func (c *dataCell) paint() {
	if c.fresh {
		c.bg.FillColor = themeColor(colorFresh)
	} else {
		c.bg.FillColor = color.Transparent
	}
}

func (t dataTone) colorName() fyne.ThemeColorName {
	switch t {
	case toneGood:
		return colorGood
	case toneBad:
		return colorBad
	case toneFaint:
		return theme.ColorNamePlaceHolder
	}
	return theme.ColorNameForeground
}

func (c *dataCell) CreateRenderer() fyne.WidgetRenderer { return &dataCellRenderer{c: c} }

type dataCellRenderer struct{ c *dataCell }

func (r *dataCellRenderer) Layout(s fyne.Size) {
	th := r.c.Theme()
	r.c.bg.Resize(s)
	r.c.fit(th)
	pad := th.Size(theme.SizeNameInnerPadding)
	h := r.c.shown.MinSize().Height
	r.c.shown.Move(fyne.NewPos(pad, (s.Height-h)/2))
	r.c.shown.Resize(fyne.NewSize(s.Width-2*pad, h))
}

// MinSize is a label's height (a line of text and the inner padding),
// rounded up to a whole pixel. The table's ScrollTo and ScrollToBottom add
// row heights one by one in float32: with a fractional height the error
// grows with the row count, and at 100,000 rows "scroll to bottom" stops
// some eighty rows short. Whole numbers add up exactly.
func (r *dataCellRenderer) MinSize() fyne.Size {
	th := r.c.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	line := fyne.MeasureText("Mg", th.Size(theme.SizeNameText), fyne.TextStyle{Bold: true}).Height
	return fyne.NewSize(2*pad, float32(math.Ceil(float64(line+2*pad))))
}

func (r *dataCellRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.c.bg, r.c.shown}
}

func (r *dataCellRenderer) Destroy() {}

// Refresh repaints for the current theme (colours differ in the dark
// variant, sizes with the presenter scale).
func (r *dataCellRenderer) Refresh() {
	th := r.c.Theme()
	r.c.paint()
	r.c.fit(th)
	r.c.shown.Color = th.Color(r.c.tone.colorName(), fyne.CurrentApp().Settings().ThemeVariant())
	r.Layout(r.c.Size())
	r.c.bg.Refresh()
	r.c.shown.Refresh()
}
