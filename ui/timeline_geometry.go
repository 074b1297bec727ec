package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"outboxlab/sim"
)

// timelineMetrics are the sizes the timeline's header and rows share, read
// from the theme so the presenter scale enlarges the whole diagram.
type timelineMetrics struct {
	pad      float32 // theme padding
	label    float32 // text size of row labels and sequence numbers
	lane     float32 // text size of lane names
	labelH   float32 // height of one line of row label text
	head     float32 // arrowhead length (and width)
	rowH     float32 // height of one event row
	gutter   float32 // width of the sequence-number column on the left
	minLaneW float32 // narrowest lane spacing the diagram asks for
}

// newTimelineMetrics reads the sizes from th; maxSeq sizes the gutter, so
// it grows only when sequence numbers get longer.
func newTimelineMetrics(th fyne.Theme, maxSeq int) timelineMetrics {
	m := timelineMetrics{
		pad:   th.Size(theme.SizeNamePadding),
		label: th.Size(theme.SizeNameCaptionText),
		lane:  th.Size(theme.SizeNameText),
	}
	m.labelH = fyne.MeasureText("Mg", m.label, fyne.TextStyle{}).Height
	m.head = m.label * 0.6
	m.rowH = m.pad/2 + m.labelH + m.head + m.pad
	digits := max(len(strconv.Itoa(maxSeq)), 2)
	m.gutter = fyne.MeasureText(strings.Repeat("0", digits), m.label, fyne.TextStyle{Monospace: true}).Width + m.pad*2
	m.minLaneW = m.label * 2
	return m
}

// laneXs spreads the lanes evenly over width, right of the gutter: the
// centre of each sim.Lanes entry, in order.
func (m timelineMetrics) laneXs(width float32) []float32 {
	n := float32(len(sim.Lanes))
	gap := max(width-m.gutter-m.pad, m.minLaneW*n) / n
	xs := make([]float32, len(sim.Lanes))
	for i := range xs {
		xs[i] = m.gutter + gap*(float32(i)+0.5)
	}
	return xs
}

// laneIndex finds a lane's column; unknown lanes fall on the lab lane, the
// last one, rather than disappearing.
func laneIndex(l sim.Lane) int {
	for i, lane := range sim.Lanes {
		if lane == l {
			return i
		}
	}
	return len(sim.Lanes) - 1
}

// fitText shortens s with an ellipsis until it is at most width wide.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if width <= 0 {
		return ""
	}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix that fits, with "…", is in [lo, hi)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "…"
	}
	return strings.TrimRight(string(r[:lo]), " ·") + "…"
}
