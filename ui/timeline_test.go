package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// newThemedTestController starts a test app with the lab's theme at scale and a
// controller on a fresh lab, for testing one panel on its own.
func newThemedTestController(t *testing.T, scale float32) (fyne.App, *Controller) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newLabTheme(scale, false))
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return a, c
}

// newTestTimeline shows the timeline alone in a window of the given size.
func newTestTimeline(t *testing.T, size fyne.Size, scale float32) (*timelinePanel, *Controller, fyne.Window) {
	t.Helper()
	_, c := newThemedTestController(t, scale)
	p := buildTimeline(c)
	w := test.NewTempWindow(t, p.content)
	w.SetPadded(false)
	w.Resize(size)
	c.Refresh()
	c.Wait()
	return p, c, w
}

func timelineSend(key string) func(*sim.Lab) (string, error) {
	return func(l *sim.Lab) (string, error) {
		o := l.Send(key, sim.OrderRequest{Item: "book", Qty: 1})
		return outcomeText(o), nil
	}
}

// timelineRowCentre is the middle of row i, in the diagram's coordinates.
func timelineRowCentre(p *timelinePanel, i int) fyne.Position {
	m := p.diagram.metrics()
	return fyne.NewPos(p.diagram.Size().Width/2, m.rowTop(i)+m.rowH/2)
}

func TestTimelineDrawsOneRowPerTraceEvent(t *testing.T) {
	p, c, _ := newTestTimeline(t, fyne.NewSize(900, 600), 1)
	c.Run(timelineSend("k1"))
	c.Wait()

	want := c.Lab().Trace().Events(0)
	require.NotEmpty(t, want)
	require.Less(t, len(want), timelineCap)
	assert.Equal(t, want, p.diagram.events)
	assert.Len(t, p.diagram.r.rows, len(want), "one drawn row per event")

	t.Run("and a second send adds only the new events", func(t *testing.T) {
		c.Run(timelineSend("k2"))
		c.Wait()
		all := c.Lab().Trace().Events(0)
		assert.Equal(t, all, p.diagram.events)
		assert.Len(t, p.diagram.r.rows, len(all))
	})
}

func TestTappingAnEventShowsItsDetails(t *testing.T) {
	p, c, _ := newTestTimeline(t, fyne.NewSize(900, 600), 1)
	c.Run(timelineSend("k1"))
	c.Wait()
	evs := p.diagram.events
	require.NotEmpty(t, evs)
	assert.Contains(t, p.details.Text, "Tap or hover", "a hint before anything is tapped")

	for i, e := range evs {
		test.TapAt(p.diagram, timelineRowCentre(p, i))
		assert.Contains(t, p.details.Text, e.What, "row %d", i)
		assert.Contains(t, p.details.Text, fmt.Sprintf("#%d", e.Seq), "row %d", i)
		if e.Key != "" {
			assert.Contains(t, p.details.Text, "key "+e.Key, "row %d", i)
		}
	}

	t.Run("hovering shows another event until the pointer leaves", func(t *testing.T) {
		last := len(evs) - 1
		test.TapAt(p.diagram, timelineRowCentre(p, 0))
		p.diagram.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: timelineRowCentre(p, last)}})
		assert.Contains(t, p.details.Text, fmt.Sprintf("#%d ", evs[last].Seq))
		p.diagram.MouseOut()
		assert.Contains(t, p.details.Text, fmt.Sprintf("#%d ", evs[0].Seq))
	})

	t.Run("tapping the selected event again clears it", func(t *testing.T) {
		test.TapAt(p.diagram, timelineRowCentre(p, 0))
		assert.Contains(t, p.details.Text, "Tap or hover")
	})
}

func TestTimelineKeepsTheLatestEventsAndScrollsToThem(t *testing.T) {
	p, c, _ := newTestTimeline(t, fyne.NewSize(900, 600), 1)
	for i := range 30 {
		c.Run(timelineSend(fmt.Sprintf("k%d", i)))
	}
	c.Wait()

	total := c.Lab().Trace().Total()
	require.Greater(t, total, timelineCap)
	require.Len(t, p.diagram.events, timelineCap)
	assert.Equal(t, total, p.diagram.lastSeq(), "the newest event is the last row")
	assert.Equal(t, total-timelineCap+1, p.diagram.events[0].Seq, "the oldest kept is the cap-th newest")
	assert.Contains(t, p.details.Text, fmt.Sprintf("The last %d of %d events", timelineCap, total))

	// scrolled to the end: the bottom of the diagram is in view
	assert.InDelta(t, p.diagram.MinSize().Height-p.scroll.Size().Height, p.scroll.Offset.Y, 1)
}

func TestTimelineStartsAfreshOnANewLab(t *testing.T) {
	p, c, _ := newTestTimeline(t, fyne.NewSize(900, 600), 1)
	c.Run(timelineSend("k1"))
	c.Wait()
	test.TapAt(p.diagram, timelineRowCentre(p, 0))

	c.Reset()
	c.Wait()
	assert.Equal(t, c.Lab().Trace().Events(0), p.diagram.events)
	assert.Zero(t, p.diagram.selected)
	assert.NotContains(t, p.details.Text, "POST /orders")
}

func TestTimelineDrawsCrashesInTheBadColour(t *testing.T) {
	p, c, _ := newTestTimeline(t, fyne.NewSize(900, 600), 1)
	c.Run(func(l *sim.Lab) (string, error) { return "", l.Arm("db.committed", sim.ModeCrashOnce) })
	c.Run(timelineSend("k1"))
	c.Wait()

	var crashes int
	for _, row := range p.diagram.r.rows {
		if row.event.What != "crash" {
			continue
		}
		crashes++
		assert.Equal(t, themeColor(colorBad), row.label.Color)
		assert.Contains(t, row.label.Text, "db.committed")
		assert.True(t, row.cross[0].Visible() && row.cross[1].Visible(), "an ✖ on the lane")
		assert.False(t, row.dot.Visible())
	}
	assert.Equal(t, 1, crashes)
}

// TestTimelineLabelsStayInsideAndApart checks the widths the panel is used
// at, at every presenter scale: labels stay on screen, lane names do not
// overlap, and rows do not overlap each other.
func TestTimelineLabelsStayInsideAndApart(t *testing.T) {
	for _, scale := range Scales {
		for _, width := range []float32{700, 900, 1200} {
			t.Run(fmt.Sprintf("%.0f px wide at scale %.1f", width, scale), func(t *testing.T) {
				p, c, _ := newTestTimeline(t, fyne.NewSize(width, 700), scale)
				c.Run(func(l *sim.Lab) (string, error) {
					l.Set("idempotency", "off")
					l.LoseNextResponse()
					l.Send("a-rather-long-idempotency-key-0001", sim.OrderRequest{Item: "book", Qty: 1})
					l.Retry("a-rather-long-idempotency-key-0001")
					l.StepRelay()
					l.Arm("consumer.applied", sim.ModeCrashOnce)
					_, err := l.Drain()
					return "", err
				})
				c.Wait()
				size := p.diagram.Size()
				require.InDelta(t, width, size.Width, 1)
				m := p.diagram.metrics()
				for i, row := range p.diagram.r.rows {
					x, w := row.label.Position().X, row.label.Size().Width
					assert.GreaterOrEqual(t, x, m.gutter-m.pad, "row %d %q starts in the gutter", i, row.label.Text)
					assert.LessOrEqual(t, x+w, size.Width, "row %d %q runs off the right", i, row.label.Text)
					assert.GreaterOrEqual(t, row.label.Position().Y, m.rowTop(i), "row %d", i)
					assert.LessOrEqual(t, row.label.Position().Y+row.label.Size().Height, m.rowTop(i+1), "row %d", i)
				}

				hr := test.WidgetRenderer(p.header).(*timelineHeaderRenderer)
				for i := range hr.names {
					for j := i + 1; j < len(hr.names); j++ {
						a, b := hr.names[i], hr.names[j]
						if a.Position().Y != b.Position().Y {
							continue
						}
						assert.LessOrEqual(t, a.Position().X+a.Size().Width, b.Position().X,
							"lane names %q and %q overlap", a.Text, b.Text)
					}
				}
			})
		}
	}
}

func TestTimelineRowsGrowWithThePresenterScale(t *testing.T) {
	_, c := newThemedTestController(t, 1)
	tl := newTimelineDiagram()
	test.NewTempWindow(t, tl)
	small := tl.metrics().rowH
	fyne.CurrentApp().Settings().SetTheme(newLabTheme(2, false))
	assert.Greater(t, tl.metrics().rowH, small*1.8)
	_ = c
}
