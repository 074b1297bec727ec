package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// invariantLights shows one light per invariant, in sim.InvariantNames
// order: green while it holds, red with the rows at fault when it breaks.
type invariantLights struct {
	rows    map[string]*invariantRow
	list    *fyne.Container
	content fyne.CanvasObject
}

// invariantRow is one light with its name, promise and broken rows.
type invariantRow struct {
	light  *lightDot
	name   *widget.Label
	status *widget.Label
	doc    *widget.Label
	broken *widget.Label
}

// newInvariantLights draws the invariant checker's latest results.
func newInvariantLights(c *Controller) fyne.CanvasObject { return buildInvariantLights(c).content }

func buildInvariantLights(c *Controller) *invariantLights {
	l := &invariantLights{rows: map[string]*invariantRow{}}
	l.list = container.New(&lightsLayout{})
	for _, name := range sim.InvariantNames {
		row := &invariantRow{
			light:  newLightDot(),
			name:   widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			status: widget.NewLabel(""),
			doc:    widget.NewLabel(sim.InvariantDocs[name]),
			broken: widget.NewLabel(""),
		}
		row.doc.SizeName = theme.SizeNameCaptionText
		row.doc.Wrapping = fyne.TextWrapWord
		row.broken.Wrapping = fyne.TextWrapWord
		row.broken.Importance = widget.DangerImportance
		row.broken.Hide()
		l.list.Add(row.light)
		l.list.Add(row.name)
		l.list.Add(row.status)
		l.list.Add(row.doc)
		l.list.Add(row.broken)
		l.rows[name] = row
	}
	l.content = container.NewVScroll(l.list)
	c.Subscribe(l.refresh)
	return l
}

// refresh copies the view's invariant results into the lights.
func (l *invariantLights) refresh(v View) {
	results := map[string]sim.InvariantResult{}
	for _, r := range v.Snap.Invariants {
		results[r.Name] = r
	}
	changed := false
	for _, name := range sim.InvariantNames {
		r, checked := results[name]
		changed = l.rows[name].set(r, checked) || changed
	}
	if changed {
		l.list.Refresh() // broken rows appeared, went or rewrapped
	}
}

// set shows one result. An invariant missing from the view (the snapshot
// failed) keeps a green light and says it was not checked.
// It reports whether the row's text changed.
func (row *invariantRow) set(r sim.InvariantResult, checked bool) bool {
	ok := !checked || r.OK
	row.light.setOK(ok)
	status, broken := "holds", ""
	if !checked {
		status = "not checked yet"
	}
	if !ok {
		status = "broken"
		if r.Count > 0 {
			status = fmt.Sprintf("broken · %d", r.Count)
		}
		broken = "• " + strings.Join(r.Broken, "\n• ")
	}
	if row.status.Text == status && row.broken.Text == broken {
		return false
	}
	row.status.SetText(status)
	row.status.Importance = widget.MediumImportance
	if !checked {
		row.status.Importance = widget.LowImportance
	}
	if !ok {
		row.status.Importance = widget.DangerImportance
	}
	row.status.Refresh()
	row.broken.SetText(broken)
	setVisible(row.broken, !ok)
	return true
}

// lightDot is a round light, sized from the theme's text size so it grows
// with the presenter scale, and level with the first line of its label.
type lightDot struct {
	widget.BaseWidget
	ok bool
}

func newLightDot() *lightDot {
	d := &lightDot{ok: true}
	d.ExtendBaseWidget(d)
	return d
}

func (d *lightDot) setOK(ok bool) {
	if d.ok == ok {
		return
	}
	d.ok = ok
	d.Refresh()
}

// color is the light's colour: the theme's good or bad.
func (d *lightDot) color() fyne.ThemeColorName {
	if d.ok {
		return colorGood
	}
	return colorBad
}

func (d *lightDot) CreateRenderer() fyne.WidgetRenderer {
	r := &lightDotRenderer{d: d, circle: &canvas.Circle{}}
	r.Refresh()
	return r
}

type lightDotRenderer struct {
	d      *lightDot
	circle *canvas.Circle
}

func (r *lightDotRenderer) Destroy() {}

func (r *lightDotRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.circle} }

// sizes are the diameter, the padding beside it and the height of a label's
// first line (text plus the label's inner padding).
func (r *lightDotRenderer) sizes() (diameter, pad, line float32) {
	th := r.d.Theme()
	text := th.Size(theme.SizeNameText)
	line = fyne.MeasureText("Mg", text, fyne.TextStyle{Bold: true}).Height + 2*th.Size(theme.SizeNameInnerPadding)
	return text, th.Size(theme.SizeNamePadding), line
}

func (r *lightDotRenderer) MinSize() fyne.Size {
	d, pad, line := r.sizes()
	return fyne.NewSize(d+2*pad, line)
}

func (r *lightDotRenderer) Layout(size fyne.Size) {
	d, pad, line := r.sizes()
	r.circle.Move(fyne.NewPos(pad, (line-d)/2))
	r.circle.Resize(fyne.NewSize(d, d))
}

func (r *lightDotRenderer) Refresh() {
	r.circle.FillColor = themeColor(r.d.color())
	r.Layout(r.d.Size())
	r.circle.Refresh()
}

// lightsLayout stacks the lights, each as five objects: dot, name, status,
// doc and broken rows. It lays them out in one pass at the list's width, so
// the wrapping labels are measured at the width they get (a VBox of
// wrapping labels asks their height before it sets their width).
type lightsLayout struct {
	width float32 // the width of the last layout; wrapping is measured at it
}

func (l *lightsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.stack(objs, size.Width, true)
}

// MinSize is as wide as the widest name line and as tall as the lights
// are at the last layout's width.
func (l *lightsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := l.minWidth(objs)
	return fyne.NewSize(w, l.stack(objs, max(l.width, w), false))
}

// minWidth is the widest name line: dot, name and status side by side.
func (l *lightsLayout) minWidth(objs []fyne.CanvasObject) float32 {
	var w float32
	for i := 0; i+4 < len(objs); i += 5 {
		w = max(w, objs[i].MinSize().Width+objs[i+1].MinSize().Width+objs[i+2].MinSize().Width)
	}
	return w
}

// stack measures (and when place is set, positions) every light at width;
// it returns the height they take.
func (l *lightsLayout) stack(objs []fyne.CanvasObject, width float32, place bool) float32 {
	pad, inner := theme.Padding(), theme.InnerPadding()
	var y float32
	for i := 0; i+4 < len(objs); i += 5 {
		dot, name, status, doc, broken := objs[i], objs[i+1], objs[i+2], objs[i+3], objs[i+4]
		x := dot.MinSize().Width
		textW := max(width-x, 0)
		nameMin, statusMin := name.MinSize(), status.MinSize()
		lineH := max(nameMin.Height, statusMin.Height)
		if place {
			dot.Move(fyne.NewPos(0, y))
			dot.Resize(fyne.NewSize(x, lineH))
			name.Move(fyne.NewPos(x, y))
			name.Resize(fyne.NewSize(nameMin.Width, lineH))
			status.Move(fyne.NewPos(x+nameMin.Width, y))
			status.Resize(fyne.NewSize(statusMin.Width, lineH))
		}
		y += lineH - inner/2 // the doc reads as part of its name
		for _, o := range []fyne.CanvasObject{doc, broken} {
			if !o.Visible() {
				continue
			}
			o.Resize(fyne.NewSize(textW, o.Size().Height)) // wrap at the width it gets
			h := o.MinSize().Height
			if place {
				o.Move(fyne.NewPos(x, y))
				o.Resize(fyne.NewSize(textW, h))
			}
			y += h
		}
		y += pad
	}
	return y
}
