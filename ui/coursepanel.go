package ui

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/scenarios"
)

// coursePanel is the course player: pick a lesson, step through it, read
// its narration.
type coursePanel struct {
	ctl       *Controller
	pick      *widget.Select
	progress  *widget.Label
	narration *widget.RichText
	titles    []string
	failure   *widget.Label
	back      *widget.Button
	step      *widget.Button
	course    []*scenarios.Script
}

func newCoursePanel(c *Controller, w fyne.Window) fyne.CanvasObject {
	p := &coursePanel{ctl: c}
	course, err := scenarios.Course()
	if err != nil {
		return widget.NewLabel("The built-in course could not be read: " + err.Error())
	}
	p.course = course
	titles := make([]string, len(course))
	for i, s := range course {
		titles[i] = fmt.Sprintf("%s · %s", strings.SplitN(s.Name, "-", 2)[0], s.Title)
	}
	p.titles = titles
	p.pick = widget.NewSelect(titles, func(choice string) {
		for i, t := range titles {
			if t == choice {
				c.LoadScript(course[i])
			}
		}
	})
	p.pick.PlaceHolder = "Pick a lesson…"
	open := widget.NewButton("Open…", func() { openScenario(c, w) })

	p.progress = widget.NewLabel("No lesson loaded.")
	p.progress.Wrapping = fyne.TextWrapWord
	p.narration = widget.NewRichText()
	p.narration.Wrapping = fyne.TextWrapWord
	p.setNarration("Pick a lesson to follow it step by step, or drive the lab yourself: every panel works at any time.")
	p.failure = widget.NewLabel("")
	p.failure.Wrapping = fyne.TextWrapWord
	p.failure.Importance = widget.DangerImportance
	p.failure.Hide()

	restart := widget.NewButton("Restart", c.Restart)
	p.back = widget.NewButton("◀ Back", c.StepBack)
	p.step = widget.NewButton("Step ▶", c.StepForward)
	p.step.Importance = widget.HighImportance

	c.Subscribe(p.refresh)
	controls := container.NewGridWithColumns(3, restart, p.back, p.step)
	top := container.NewVBox(widget.NewLabelWithStyle("Course", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, open, p.pick), controls, p.progress)
	return container.NewBorder(top, p.failure, nil, nil, container.NewVScroll(p.narration))
}

func (p *coursePanel) refresh(v View) {
	cv := v.Course
	if cv.Script == nil {
		p.back.Disable()
		return
	}
	n := len(cv.Script.Steps)
	p.progress.SetText(fmt.Sprintf("%s — step %d of %d", cv.Script.Title, cv.Next, n))
	text := strings.Join(cv.Narration, " ")
	switch {
	case cv.Next == 0:
		text = cv.Script.Summary
		if text == "" {
			text = "Press Step to begin."
		}
	case text == "":
		text = "(no narration for this step)"
	}
	if cv.Next >= n {
		text += "\n\nThe lesson is over. Restart plays it again; the lab stays as it is for you to explore."
	}
	p.setNarration(text)
	for i, s := range p.course {
		if s.Name == cv.Script.Name && p.pick.Selected != p.titles[i] {
			p.pick.Selected = p.titles[i] // show it without loading it again
			p.pick.Refresh()
		}
	}
	if cv.Failure != "" {
		p.failure.SetText("Expectation failed: " + cv.Failure)
		p.failure.Show()
	} else {
		p.failure.Hide()
	}
	if cv.Next > 0 {
		p.back.Enable()
	} else {
		p.back.Disable()
	}
	if cv.Next < n {
		p.step.Enable()
	} else {
		p.step.Disable()
	}
}

// setNarration shows the narration in sub-heading size: it is what a room
// reads from the projector.
func (p *coursePanel) setNarration(text string) {
	var segs []widget.RichTextSegment
	for _, para := range strings.Split(text, "\n\n") {
		segs = append(segs, &widget.TextSegment{Text: para, Style: widget.RichTextStyle{SizeName: theme.SizeNameSubHeadingText}})
	}
	p.narration.Segments = segs
	p.narration.Refresh()
}

// openScenario lets the user pick a .scn file and loads it into the player.
func openScenario(c *Controller, w fyne.Window) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w)
			return
		}
		if r == nil {
			return // cancelled
		}
		defer r.Close()
		src, err := io.ReadAll(io.LimitReader(r, scenarios.MaxFileBytes+1))
		if err != nil {
			dialog.ShowError(fmt.Errorf("read %s: %w", r.URI().Name(), err), w)
			return
		}
		s, err := scenarios.Parse(r.URI().Name(), src)
		if err != nil {
			dialog.ShowError(err, w)
			return
		}
		c.LoadScript(s)
	}, w)
	d.Show()
}
