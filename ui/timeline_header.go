package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// timelineHeader names the timeline's lanes above the scrolling rows, at
// the same x as the diagram's lane lines. When the names do not fit side by
// side (a narrow panel, a large presenter scale) every other name drops to
// a second line.
type timelineHeader struct {
	widget.BaseWidget
	tl *timeline // shares its metrics, so the lanes line up
}

func newTimelineHeader(tl *timeline) *timelineHeader {
	h := &timelineHeader{tl: tl}
	h.ExtendBaseWidget(h)
	return h
}

var laneNameStyle = fyne.TextStyle{Bold: true}

// staggered reports whether the lane names need two lines at width.
func (h *timelineHeader) staggered(m timelineMetrics, width float32) bool {
	xs := m.laneXs(width)
	gap := xs[1] - xs[0]
	for _, l := range sim.Lanes {
		if fyne.MeasureText(string(l), m.lane, laneNameStyle).Width+m.pad > gap {
			return true
		}
	}
	return false
}

// heightFor is the header's height at width.
func (h *timelineHeader) heightFor(width float32) float32 {
	m := h.tl.metrics()
	lineH := fyne.MeasureText("Mg", m.lane, laneNameStyle).Height
	lines := float32(1)
	if h.staggered(m, width) {
		lines = 2
	}
	return lines*lineH + m.pad*2
}

// CreateRenderer builds one name and one tick per lane.
func (h *timelineHeader) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineHeaderRenderer{h: h}
	for _, l := range sim.Lanes {
		name := &canvas.Text{Text: string(l), TextStyle: laneNameStyle}
		tick := &canvas.Line{StrokeWidth: 1}
		r.names = append(r.names, name)
		r.ticks = append(r.ticks, tick)
		r.objects = append(r.objects, tick, name)
	}
	r.Refresh()
	return r
}

type timelineHeaderRenderer struct {
	h       *timelineHeader
	names   []*canvas.Text
	ticks   []*canvas.Line
	objects []fyne.CanvasObject
}

func (r *timelineHeaderRenderer) Destroy() {}

func (r *timelineHeaderRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *timelineHeaderRenderer) MinSize() fyne.Size {
	w := r.h.Size().Width
	m := r.h.tl.metrics()
	return fyne.NewSize(m.gutter+m.pad+m.minLaneW*float32(len(sim.Lanes)), r.h.heightFor(w))
}

func (r *timelineHeaderRenderer) Refresh() {
	th := r.h.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for i := range r.names {
		r.names[i].Color = th.Color(theme.ColorNameForeground, v)
		r.ticks[i].StrokeColor = th.Color(theme.ColorNameSeparator, v)
	}
	r.Layout(r.h.Size())
}

// Layout centres each name over its lane; staggered names alternate lines.
// A name wider than the room it has is shortened with an ellipsis.
func (r *timelineHeaderRenderer) Layout(size fyne.Size) {
	m := r.h.tl.metrics()
	xs := m.laneXs(size.Width)
	gap := xs[1] - xs[0]
	lineH := fyne.MeasureText("Mg", m.lane, laneNameStyle).Height
	stagger := r.h.staggered(m, size.Width)
	room := gap - m.pad
	if stagger {
		room = 2*gap - m.pad
	}
	for i, name := range r.names {
		name.TextSize = m.lane
		name.Text = fitText(string(sim.Lanes[i]), room, m.lane, laneNameStyle)
		w := fyne.MeasureText(name.Text, m.lane, laneNameStyle).Width
		y := m.pad
		if stagger && i%2 == 1 {
			y += lineH
		}
		name.Move(fyne.NewPos(xs[i]-w/2, y))
		name.Resize(fyne.NewSize(w, lineH))
		r.ticks[i].Position1 = fyne.NewPos(xs[i], y+lineH)
		r.ticks[i].Position2 = fyne.NewPos(xs[i], size.Height)
		name.Refresh()
		r.ticks[i].Refresh()
	}
}
