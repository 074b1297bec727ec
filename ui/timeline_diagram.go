package ui

import (
	"cmp"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// timelineCap is how many of the latest events the timeline keeps on screen.
const timelineCap = 200

// timeline draws trace events as a sequence diagram: one vertical line per
// lane, one row per event, an arrow from the event's From lane to its To
// lane, or a dot on one lane when they are equal. Newest at the bottom.
//
// It is only touched on the UI goroutine.
type timeline struct {
	widget.BaseWidget

	events   []sim.Event // oldest first, at most timelineCap
	selected int         // Seq of the tapped event; 0 for none
	hovered  int         // Seq of the event under the pointer; 0 for none

	// onShow is called when the event whose details should be shown
	// changes: the hovered one, else the selected one, else nil.
	onShow func(*sim.Event)

	r *timelineRenderer // set by CreateRenderer, for cheap highlight moves
}

var (
	_ fyne.Tappable     = (*timeline)(nil)
	_ desktop.Hoverable = (*timeline)(nil)
)

func newTimelineDiagram() *timeline {
	tl := &timeline{}
	tl.ExtendBaseWidget(tl)
	return tl
}

// reset forgets every event, for a new lab.
func (tl *timeline) reset() {
	tl.events, tl.selected, tl.hovered = nil, 0, 0
	tl.show()
	tl.Refresh()
}

// add appends new events (Seq increasing) and keeps only the latest
// timelineCap. A selection that scrolled out of the kept window is cleared.
func (tl *timeline) add(evs []sim.Event) {
	if len(evs) == 0 {
		return
	}
	tl.events = append(tl.events, evs...)
	if n := len(tl.events); n > timelineCap {
		tl.events = append([]sim.Event(nil), tl.events[n-timelineCap:]...)
	}
	if tl.selected != 0 && tl.indexOf(tl.selected) < 0 {
		tl.selected = 0
	}
	if tl.hovered != 0 && tl.indexOf(tl.hovered) < 0 {
		tl.hovered = 0
	}
	tl.show()
	tl.Refresh()
}

// lastSeq is the Seq of the newest event shown; 0 when none.
func (tl *timeline) lastSeq() int {
	if len(tl.events) == 0 {
		return 0
	}
	return tl.events[len(tl.events)-1].Seq
}

func (tl *timeline) indexOf(seq int) int {
	for i := len(tl.events) - 1; i >= 0; i-- {
		if tl.events[i].Seq == seq {
			return i
		}
	}
	return -1
}

func (tl *timeline) metrics() timelineMetrics {
	return newTimelineMetrics(tl.Theme(), tl.lastSeq())
}

// rowAt is the index of the event drawn at y, or -1.
func (tl *timeline) rowAt(y float32) int {
	m := tl.metrics()
	i := int((y - m.pad) / m.rowH)
	if y < m.pad || i >= len(tl.events) {
		return -1
	}
	return i
}

// rowTop is where row i starts.
func (m timelineMetrics) rowTop(i int) float32 { return m.pad + float32(i)*m.rowH }

// Tapped selects the event under the pointer; tapping it again unselects it.
func (tl *timeline) Tapped(e *fyne.PointEvent) {
	i := tl.rowAt(e.Position.Y)
	if i < 0 {
		return
	}
	if seq := tl.events[i].Seq; seq == tl.selected {
		tl.selected = 0
	} else {
		tl.selected = seq
	}
	tl.show()
	tl.moveHighlights()
}

// MouseIn shows the event under the pointer.
func (tl *timeline) MouseIn(e *desktop.MouseEvent) { tl.MouseMoved(e) }

// MouseMoved shows the event under the pointer.
func (tl *timeline) MouseMoved(e *desktop.MouseEvent) {
	seq := 0
	if i := tl.rowAt(e.Position.Y); i >= 0 {
		seq = tl.events[i].Seq
	}
	if seq == tl.hovered {
		return
	}
	tl.hovered = seq
	tl.show()
	tl.moveHighlights()
}

// MouseOut goes back to showing the selected event.
func (tl *timeline) MouseOut() {
	if tl.hovered == 0 {
		return
	}
	tl.hovered = 0
	tl.show()
	tl.moveHighlights()
}

// shown is the event whose details are on display.
func (tl *timeline) shown() *sim.Event {
	for _, seq := range []int{tl.hovered, tl.selected} {
		if i := tl.indexOf(seq); seq != 0 && i >= 0 {
			return &tl.events[i]
		}
	}
	return nil
}

func (tl *timeline) show() {
	if tl.onShow != nil {
		tl.onShow(tl.shown())
	}
}

func (tl *timeline) moveHighlights() {
	if tl.r != nil {
		tl.r.layoutHighlights(tl.r.metrics)
	}
}

// CreateRenderer builds the diagram's canvas objects.
func (tl *timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{tl: tl, hover: &canvas.Rectangle{}, sel: &canvas.Rectangle{}}
	for range sim.Lanes {
		r.lanes = append(r.lanes, &canvas.Line{StrokeWidth: 1})
	}
	tl.r = r
	r.Refresh()
	return r
}

// eventStyle says how an event is drawn.
type eventStyle int

const (
	styleNormal  eventStyle = iota
	styleLab                // the presenter's hand: switches, faults, time
	styleTrouble            // lost, failed, dropped, dead-lettered
	styleBroken             // an invariant broke
	styleCrash              // a process died on a named point
)

func styleOf(e sim.Event) eventStyle {
	switch {
	case e.What == "crash":
		return styleCrash
	case strings.HasPrefix(e.What, "invariant "):
		return styleBroken
	}
	for _, w := range []string{"lost", "failed", "dropped", "dead-lettered"} {
		if strings.Contains(e.What, w) {
			return styleTrouble
		}
	}
	if e.From == sim.LaneLab {
		return styleLab
	}
	return styleNormal
}

// rowLabel is the text beside an event's arrow or dot: what happened and to
// which key.
func rowLabel(e sim.Event) string {
	s := e.What
	if e.What == "crash" {
		// the trace names the point of a crash in Point or, from the
		// lab's unwinding, in Detail
		s = "crash"
		if at := cmp.Or(e.Point, e.Detail); at != "" {
			s += " at " + at
		}
	}
	if e.Key != "" {
		s += " · " + e.Key
	}
	return s
}

// eventDetails is everything the trace knows about one event, in one line.
func eventDetails(e sim.Event) string {
	parts := []string{"#" + strconv.Itoa(e.Seq), labTime(e.At)}
	if e.From == e.To {
		parts = append(parts, "on "+string(e.From))
	} else {
		parts = append(parts, string(e.From)+" → "+string(e.To))
	}
	parts = append(parts, e.What)
	if e.Work != "" {
		parts = append(parts, "work "+e.Work)
	}
	if e.Key != "" {
		parts = append(parts, "key "+e.Key)
	}
	if e.OrderID != "" {
		parts = append(parts, "order "+short(e.OrderID))
	}
	if e.EventID != "" {
		parts = append(parts, "event "+short(e.EventID))
	}
	if e.Point != "" {
		parts = append(parts, "point "+e.Point)
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	return strings.Join(parts, " · ")
}

// timelineRow is the canvas objects of one event row.
type timelineRow struct {
	event  sim.Event
	style  eventStyle
	text   string // the full label; label.Text may be shortened to fit
	seq    *canvas.Text
	line   *canvas.Line
	head   *canvas.Polygon
	dot    *canvas.Circle
	cross  [2]*canvas.Line
	label  *canvas.Text
	labelB *canvas.Rectangle // backs the label so lane lines do not cross it
}

func newTimelineRow() *timelineRow {
	return &timelineRow{
		seq:    &canvas.Text{TextStyle: fyne.TextStyle{Monospace: true}, Alignment: fyne.TextAlignTrailing},
		line:   &canvas.Line{},
		head:   &canvas.Polygon{Sides: 3},
		dot:    &canvas.Circle{},
		cross:  [2]*canvas.Line{{}, {}},
		label:  &canvas.Text{},
		labelB: &canvas.Rectangle{},
	}
}

type timelineRenderer struct {
	tl         *timeline
	metrics    timelineMetrics
	lanes      []*canvas.Line
	hover, sel *canvas.Rectangle
	rows       []*timelineRow
	objects    []fyne.CanvasObject
}

func (r *timelineRenderer) Destroy() {}

func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objects }

// MinSize is as tall as every row; as narrow as the lanes allow, so the
// timeline never forces its split wider.
func (r *timelineRenderer) MinSize() fyne.Size {
	m := r.tl.metrics()
	return fyne.NewSize(m.gutter+m.pad+m.minLaneW*float32(len(sim.Lanes)),
		m.rowTop(len(r.tl.events))+m.pad)
}

// Refresh rebuilds the rows from the widget's events and the theme.
func (r *timelineRenderer) Refresh() {
	tl := r.tl
	r.metrics = tl.metrics()
	th := tl.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()

	if len(r.rows) != len(tl.events) || r.objects == nil {
		for len(r.rows) < len(tl.events) {
			r.rows = append(r.rows, newTimelineRow())
		}
		r.rows = r.rows[:len(tl.events)]
		r.objects = r.objects[:0]
		for _, l := range r.lanes {
			r.objects = append(r.objects, l)
		}
		for _, row := range r.rows {
			r.objects = append(r.objects, row.labelB)
		}
		r.objects = append(r.objects, r.hover, r.sel)
		for _, row := range r.rows {
			r.objects = append(r.objects, row.line, row.head, row.dot, row.cross[0], row.cross[1], row.seq, row.label)
		}
	}

	laneC := th.Color(theme.ColorNameSeparator, v)
	for _, l := range r.lanes {
		l.StrokeColor = laneC
	}
	r.hover.FillColor = th.Color(theme.ColorNameHover, v)
	r.sel.FillColor = th.Color(theme.ColorNameSelection, v)
	bg := th.Color(theme.ColorNameBackground, v)
	muted := th.Color(theme.ColorNamePlaceHolder, v)

	for i, row := range r.rows {
		e := tl.events[i]
		row.event, row.style, row.text = e, styleOf(e), rowLabel(e)
		c := r.styleColor(row.style, th, v)
		row.seq.Text, row.seq.Color, row.seq.TextSize = strconv.Itoa(e.Seq), muted, r.metrics.label
		row.label.Color, row.label.TextSize = c, r.metrics.label
		row.label.TextStyle = fyne.TextStyle{Bold: row.style >= styleBroken}
		row.labelB.FillColor = bg
		row.line.StrokeColor, row.line.StrokeWidth = c, 1.5
		row.head.FillColor = c
		row.dot.FillColor = c
		for _, x := range row.cross {
			x.StrokeColor, x.StrokeWidth = c, 2.5
		}
		arrow := e.From != e.To
		crash := row.style == styleCrash
		setVisible(row.line, arrow)
		setVisible(row.head, arrow)
		setVisible(row.dot, !arrow && !crash)
		setVisible(row.cross[0], !arrow && crash)
		setVisible(row.cross[1], !arrow && crash)
	}
	r.Layout(tl.Size())
}

func (r *timelineRenderer) styleColor(s eventStyle, th fyne.Theme, v fyne.ThemeVariant) color.Color {
	switch s {
	case styleCrash, styleBroken:
		return themeColor(colorBad)
	case styleTrouble:
		return th.Color(theme.ColorNameWarning, v)
	case styleLab:
		return th.Color(theme.ColorNamePrimary, v)
	}
	return th.Color(theme.ColorNameForeground, v)
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// Layout places the lanes and every row for the widget's size.
func (r *timelineRenderer) Layout(size fyne.Size) {
	m := r.metrics
	xs := m.laneXs(size.Width)
	for i, l := range r.lanes {
		l.Position1 = fyne.NewPos(xs[i], 0)
		l.Position2 = fyne.NewPos(xs[i], size.Height)
	}
	right := size.Width - m.pad // labels stay left of this
	for i, row := range r.rows {
		top := m.rowTop(i)
		e := row.event
		from, to := xs[laneIndex(e.From)], xs[laneIndex(e.To)]

		row.seq.Move(fyne.NewPos(0, top+(m.rowH-m.labelH)/2))
		row.seq.Resize(fyne.NewSize(m.gutter-m.pad, m.labelH))

		var labelX, labelY, room float32
		if from != to {
			y := top + m.pad/2 + m.labelH + m.head/2
			dir := float32(1)
			if to < from {
				dir = -1
			}
			row.line.Position1 = fyne.NewPos(from, y)
			row.line.Position2 = fyne.NewPos(to-dir*m.head*0.8, y)
			row.head.Resize(fyne.NewSize(m.head*1.3, m.head*1.3))
			row.head.Move(fyne.NewPos(to-dir*m.head*0.65-m.head*0.65, y-m.head*0.65))
			row.head.Angle = 90 * dir
			// the label sits above the arrow, centred on it, kept on screen
			room = right - m.gutter
			text := fitText(row.text, room, m.label, row.label.TextStyle)
			w := fyne.MeasureText(text, m.label, row.label.TextStyle).Width
			labelX = min(max((from+to-w)/2, m.gutter), right-w)
			labelY = top + m.pad/2
			row.label.Text = text
		} else {
			// a note: a dot (or an ✖ for a crash) on the lane, the label
			// beside it on the side with more room
			cy := top + m.rowH/2
			d := m.head * 1.2
			row.dot.Move(fyne.NewPos(from-d/2, cy-d/2))
			row.dot.Resize(fyne.NewSize(d, d))
			x := d * 0.6
			row.cross[0].Position1, row.cross[0].Position2 = fyne.NewPos(from-x, cy-x), fyne.NewPos(from+x, cy+x)
			row.cross[1].Position1, row.cross[1].Position2 = fyne.NewPos(from-x, cy+x), fyne.NewPos(from+x, cy-x)
			gap := d*0.6 + m.pad
			leftRoom, rightRoom := from-gap-m.gutter, right-from-gap
			labelY = cy - m.labelH/2
			if full := fyne.MeasureText(row.text, m.label, row.label.TextStyle).Width; full <= rightRoom || rightRoom >= leftRoom {
				row.label.Text = fitText(row.text, rightRoom, m.label, row.label.TextStyle)
				labelX = from + gap
			} else {
				row.label.Text = fitText(row.text, leftRoom, m.label, row.label.TextStyle)
				labelX = from - gap - fyne.MeasureText(row.label.Text, m.label, row.label.TextStyle).Width
			}
		}
		w := fyne.MeasureText(row.label.Text, m.label, row.label.TextStyle).Width
		row.label.Move(fyne.NewPos(labelX, labelY))
		row.label.Resize(fyne.NewSize(w, m.labelH))
		row.labelB.Move(fyne.NewPos(labelX-m.pad/2, labelY))
		row.labelB.Resize(fyne.NewSize(w+m.pad, m.labelH))
		for _, o := range []fyne.CanvasObject{row.seq, row.line, row.head, row.dot, row.cross[0], row.cross[1], row.label, row.labelB} {
			o.Refresh()
		}
	}
	for _, l := range r.lanes {
		l.Refresh()
	}
	r.layoutHighlights(m)
}

// layoutHighlights puts the hover and selection bands on their rows.
func (r *timelineRenderer) layoutHighlights(m timelineMetrics) {
	width := r.tl.Size().Width
	for _, h := range []struct {
		rect *canvas.Rectangle
		seq  int
	}{{r.hover, r.tl.hovered}, {r.sel, r.tl.selected}} {
		i := r.tl.indexOf(h.seq)
		if h.seq == 0 || i < 0 {
			h.rect.Hide()
			continue
		}
		h.rect.Move(fyne.NewPos(0, m.rowTop(i)))
		h.rect.Resize(fyne.NewSize(width, m.rowH))
		h.rect.Show()
		h.rect.Refresh()
	}
}
