package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// flowPanel is the service flow: every named point in flow order, grouped
// by component, each with what it does when work reaches it (run, pause,
// crash) and the work paused on it, with Resume and Crash.
type flowPanel struct {
	c      *Controller
	root   fyne.CanvasObject
	scroll *container.Scroll
	rows   map[string]*pointRow
}

// pointRow is one named point in the strip.
type pointRow struct {
	point  sim.Point
	box    fyne.CanvasObject // the row in the strip
	mode   *syncedSelect
	stripe *canvas.Rectangle // coloured when the point is armed
	parked *fyne.Container   // the work paused here
	ids    []int             // the paused IDs parked shows
	items  map[int]*parkedItem
}

// parkedItem is one piece of paused work sitting on its point.
type parkedItem struct {
	paused        sim.Paused
	label         *widget.Label
	resume, crash *widget.Button
}

// componentTitles names the strip's groups.
var componentTitles = map[string]string{
	"api":      "API · order service",
	"relay":    "Relay · outbox → broker",
	"consumer": "Consumers · warehouse, email",
}

// newFlowPanel builds the service flow strip.
func newFlowPanel(c *Controller) fyne.CanvasObject { return buildFlowPanel(c).root }

func buildFlowPanel(c *Controller) *flowPanel {
	p := &flowPanel{c: c, rows: map[string]*pointRow{}}
	modes := make([]string, len(sim.Modes))
	for i, m := range sim.Modes {
		modes[i] = string(m)
	}
	strip := container.NewVBox(panelHeading("Service flow", "named points"))
	component := ""
	for _, pt := range sim.Points {
		if pt.Component != component {
			component = pt.Component
			title := componentTitles[component]
			if title == "" {
				title = component
			}
			g := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			g.Importance = widget.HighImportance
			strip.Add(container.NewVBox(widget.NewSeparator(), g))
		}
		row := p.newPointRow(pt, modes)
		p.rows[pt.Name] = row
		row.box = row.view()
		strip.Add(row.box)
	}
	p.scroll = container.NewScroll(strip)
	p.root = p.scroll
	c.Subscribe(p.refresh)
	return p
}

func (p *flowPanel) newPointRow(pt sim.Point, modes []string) *pointRow {
	row := &pointRow{point: pt, parked: container.NewVBox(), items: map[int]*parkedItem{}}
	name := pt.Name
	row.mode = newSyncedSelect(modes, func(mode string) {
		p.c.Run(func(l *sim.Lab) (string, error) {
			if err := l.Arm(name, sim.Mode(mode)); err != nil {
				return "", err
			}
			if mode == string(sim.ModeRun) {
				return "disarmed " + name, nil
			}
			return fmt.Sprintf("armed %s: %s", name, mode), nil
		})
	})
	row.mode.show(string(sim.ModeRun))
	row.stripe = canvas.NewRectangle(color.Transparent)
	row.stripe.SetMinSize(fyne.NewSize(theme.Padding()*1.5, 0))
	return row
}

// view lays a point out: its name and mode on one line, its doc in small
// text under it, then any work paused on it.
func (r *pointRow) view() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(r.point.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis // only when the strip is narrower than the names
	doc := widget.NewLabel(r.point.Doc)
	doc.SizeName = theme.SizeNameCaptionText
	doc.Wrapping = fyne.TextWrapWord
	head := container.NewBorder(nil, nil, nil, r.mode.Select, title)
	body := container.NewVBox(head, container.New(&pullUpLayout{}, doc), r.parked)
	return container.NewBorder(nil, nil, r.stripe, nil, body)
}

func (p *flowPanel) refresh(v View) {
	moved := false
	var arrived *pointRow // the first row that got new paused work
	for _, pt := range sim.Points {
		row := p.rows[pt.Name]
		mode, ok := v.Snap.Armed[pt.Name]
		if !ok {
			mode = sim.ModeRun
		}
		row.mode.show(string(mode))
		row.stripe.FillColor = modeColor(mode)
		row.stripe.Refresh()
		var here []sim.Paused
		for _, pw := range v.Snap.Paused {
			if pw.Point == pt.Name {
				here = append(here, pw)
			}
		}
		before := row.ids
		if p.showParked(row, here) {
			moved = true
			if arrived == nil && hasNew(before, row.ids) {
				arrived = row
			}
		}
	}
	if moved {
		p.scroll.Refresh() // rows grew or shrank: lay the strip out again
	}
	if arrived != nil {
		p.reveal(arrived)
	}
}

// reveal scrolls the strip so a row is in view, so work that just paused
// (a relay or consumer point far down the strip) is seen at once.
func (p *flowPanel) reveal(row *pointRow) {
	top, height := row.box.Position().Y, row.box.Size().Height
	off, view := p.scroll.Offset, p.scroll.Size().Height
	switch {
	case top < off.Y:
		p.scroll.ScrollToOffset(fyne.NewPos(off.X, top))
	case top+height > off.Y+view:
		p.scroll.ScrollToOffset(fyne.NewPos(off.X, max(0, min(top, top+height-view))))
	}
}

// hasNew says whether after holds an ID that before did not.
func hasNew(before, after []int) bool {
	for _, id := range after {
		if !slices.Contains(before, id) {
			return true
		}
	}
	return false
}

// showParked rebuilds a point's paused work when it changed, and says so.
func (p *flowPanel) showParked(row *pointRow, here []sim.Paused) bool {
	ids := make([]int, len(here))
	for i, pw := range here {
		ids[i] = pw.ID
	}
	if slices.Equal(ids, row.ids) {
		return false
	}
	row.ids = ids
	row.items = map[int]*parkedItem{}
	row.parked.RemoveAll()
	for _, pw := range here {
		it := p.newParkedItem(pw)
		row.items[pw.ID] = it
		row.parked.Add(it.view())
	}
	row.parked.Refresh()
	return true
}

func (p *flowPanel) newParkedItem(pw sim.Paused) *parkedItem {
	it := &parkedItem{paused: pw}
	it.label = widget.NewLabelWithStyle(pausedText(pw), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	it.label.Wrapping = fyne.TextWrapWord
	it.resume = widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { p.release(pw, false) })
	it.resume.Importance = widget.HighImportance
	it.crash = widget.NewButtonWithIcon("Crash", theme.CancelIcon(), func() { p.release(pw, true) })
	it.crash.Importance = widget.DangerImportance
	return it
}

func (it *parkedItem) view() fyne.CanvasObject {
	warn := themeColor(theme.ColorNameWarning)
	bg := canvas.NewRectangle(withAlpha(warn, 0x38))
	bg.StrokeColor = warn
	bg.StrokeWidth = 2
	bg.CornerRadius = theme.InputRadiusSize()
	buttons := container.NewHBox(it.resume, it.crash)
	return container.NewStack(bg, container.NewPadded(container.NewVBox(it.label, buttons)))
}

// release resumes or crashes paused work and reports where it ended up.
func (p *flowPanel) release(pw sim.Paused, crash bool) {
	p.c.Run(func(l *sim.Lab) (string, error) {
		verb := "resumed"
		var err error
		if crash {
			verb = "crashed"
			err = l.Crash(pw.ID)
		} else {
			err = l.Resume(pw.ID)
		}
		if err != nil {
			return "", err
		}
		status := fmt.Sprintf("%s %s at %s", verb, pw.Work, pw.Point)
		if o, ok := l.Client().Request(pw.Work); ok {
			status += " → " + outcomeText(o)
		}
		return status, nil
	})
}

// pausedText words paused work the way the strip shows it:
// "req-3 waiting (key k1)".
func pausedText(pw sim.Paused) string {
	subject := pw.Subject
	switch {
	case strings.HasPrefix(pw.Work, "req-"):
		subject = "key " + subject
	case subject != "" && !strings.Contains(subject, " "):
		subject = "event " + short(subject)
	}
	if subject == "" {
		return fmt.Sprintf("%s waiting since %s", pw.Work, labTime(pw.Since))
	}
	return fmt.Sprintf("%s waiting (%s)", pw.Work, subject)
}

// modeColor marks an armed point: orange pauses, red crashes.
func modeColor(m sim.Mode) color.Color {
	switch m {
	case sim.ModePause:
		return themeColor(theme.ColorNameWarning)
	case sim.ModeCrashOnce, sim.ModeCrashAlways:
		return labColor(colorBad, theme.ColorNameError)
	}
	return color.Transparent
}

// pullUpLayout tucks a small-text line up under the line above it, taking
// back the padding a label puts above its text.
type pullUpLayout struct{}

func (pullUpLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(s.Width, max(0, s.Height-2*theme.InnerPadding()))
}

func (pullUpLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.InnerPadding()
	objs[0].Move(fyne.NewPos(0, -pad))
	objs[0].Resize(fyne.NewSize(size.Width, size.Height+2*pad))
}
