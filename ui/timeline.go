package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// timelinePanel is the timeline: lane names, the scrolling sequence diagram
// of the latest trace events, and the details of the event tapped or
// hovered.
type timelinePanel struct {
	diagram *timeline
	header  *timelineHeader
	scroll  *container.Scroll
	details *widget.Label
	content *fyne.Container

	lab   *sim.Lab // the lab the events came from; a new one starts afresh
	total int      // events the lab's trace had at the last refresh
}

// newTimeline draws the lab's trace as sequence lanes.
func newTimeline(c *Controller) fyne.CanvasObject { return buildTimeline(c).content }

func buildTimeline(c *Controller) *timelinePanel {
	p := &timelinePanel{diagram: newTimelineDiagram(), details: widget.NewLabel("")}
	p.header = newTimelineHeader(p.diagram)
	p.scroll = container.NewVScroll(p.diagram)
	p.details.Wrapping = fyne.TextWrapWord
	p.diagram.onShow = p.showDetails
	p.content = container.New(&timelineLayout{header: p.header}, p.header, p.scroll, p.details)
	p.showDetails(nil)
	c.Subscribe(p.refresh)
	return p
}

// refresh reads the events added since the last view; on the UI goroutine.
func (p *timelinePanel) refresh(v View) {
	if v.Lab == nil {
		return
	}
	if v.Lab != p.lab {
		p.lab, p.total = v.Lab, 0
		p.diagram.reset()
		p.header.Refresh()
	}
	tr := v.Lab.Trace()
	after := p.diagram.lastSeq()
	p.total = tr.Total()
	if p.total-after > timelineCap {
		after = p.total - timelineCap // older ones would be dropped at once
	}
	evs := tr.Events(after)
	if len(evs) == 0 {
		return
	}
	p.diagram.add(evs)
	p.header.Refresh() // the gutter may have grown
	p.scroll.Refresh()
	p.scroll.ScrollToBottom()
}

// showDetails puts one event's details under the diagram, or a hint.
func (p *timelinePanel) showDetails(e *sim.Event) {
	text := p.hint()
	if e != nil {
		text = eventDetails(*e)
	}
	if text == p.details.Text {
		return
	}
	p.details.SetText(text)
	if p.content != nil {
		p.content.Refresh() // the details may wrap to more or fewer lines
	}
}

// hint is what the details say when no event is tapped or hovered.
func (p *timelinePanel) hint() string {
	const how = "Tap or hover an event to see its details."
	switch n := len(p.diagram.events); {
	case n == 0:
		return "No events yet. " + how
	case p.total > n:
		return fmt.Sprintf("The last %d of %d events. %s", n, p.total, how)
	default:
		return fmt.Sprintf("%d events. %s", n, how)
	}
}

// timelineLayout stacks the header (as tall as its names need at the
// panel's width), the diagram, and the details (as many lines as they wrap
// to).
type timelineLayout struct{ header *timelineHeader }

func (l *timelineLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	header, scroll, details := objs[0], objs[1], objs[2]
	hh := l.header.heightFor(size.Width)
	details.Resize(fyne.NewSize(size.Width, details.Size().Height))
	dh := details.MinSize().Height
	header.Move(fyne.NewPos(0, 0))
	header.Resize(fyne.NewSize(size.Width, hh))
	scroll.Move(fyne.NewPos(0, hh))
	scroll.Resize(fyne.NewSize(size.Width, max(size.Height-hh-dh, 0)))
	details.Move(fyne.NewPos(0, size.Height-dh))
	details.Resize(fyne.NewSize(size.Width, dh))
}

func (l *timelineLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	header, scroll, details := objs[0], objs[1], objs[2]
	w := max(header.MinSize().Width, scroll.MinSize().Width)
	return fyne.NewSize(w, header.MinSize().Height+scroll.MinSize().Height+details.MinSize().Height)
}
