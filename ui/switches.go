package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// switchesBar is the toolbar's row of pattern switches: one Select per
// sim.SwitchChoices entry, and one shared line saying what the switch last
// changed now does, so the bar stays narrow enough for 1280 px.
type switchesBar struct {
	root    fyne.CanvasObject
	selects map[string]*syncedSelect
	explain *clampedText
	shown   map[string]string // the lab's switches as the last view had them
	last    string            // the switch whose explanation is shown
}

// newSwitchesBar builds the pattern switches for the toolbar.
func newSwitchesBar(c *Controller) fyne.CanvasObject { return buildSwitchesBar(c).root }

func buildSwitchesBar(c *Controller) *switchesBar {
	b := &switchesBar{selects: map[string]*syncedSelect{}, shown: sim.DefaultSwitches().Values()}
	b.explain = newClampedText(2, theme.SizeNameCaptionText)
	b.explain.Style = fyne.TextStyle{Italic: true}
	b.explain.WidthEm = 20

	row := container.NewHBox()
	for _, sw := range sim.SwitchChoices {
		name := sw.Name
		sel := newSyncedSelect(sw.Values, func(value string) {
			b.last = name
			b.showExplanation()
			c.Run(func(l *sim.Lab) (string, error) {
				if err := l.Set(name, value); err != nil {
					return "", err
				}
				return fmt.Sprintf("set %s=%s: %s", name, value, switchDoc(name, value)), nil
			})
		})
		sel.show(b.shown[name])
		b.selects[name] = sel
		title := widget.NewLabelWithStyle(switchTitle(name), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		title.SizeName = theme.SizeNameCaptionText
		row.Add(title)
		row.Add(sel.Select)
	}
	b.last = "publish"
	b.showExplanation()
	row.Add(b.explain)
	b.root = row
	c.Subscribe(b.refresh)
	return b
}

// refresh shows the lab's switches (after a reset or a lesson's set line)
// without running Set again.
func (b *switchesBar) refresh(v View) {
	values := v.Snap.Switches.Values()
	for _, sw := range sim.SwitchChoices {
		if values[sw.Name] != b.shown[sw.Name] {
			b.last = sw.Name
		}
	}
	b.shown = values
	for name, sel := range b.selects {
		sel.show(values[name])
	}
	b.showExplanation()
}

func (b *switchesBar) showExplanation() {
	value := b.selects[b.last].Selected
	b.explain.SetText(fmt.Sprintf("%s: %s", b.last, switchDoc(b.last, value)))
}

// switchTitle is the label shown before a switch.
func switchTitle(name string) string {
	switch name {
	case "idempotency":
		return "Idempotency"
	case "publish":
		return "Publish"
	case "dedup":
		return "Dedup"
	case "conflicts":
		return "Conflicts"
	}
	return name
}

// switchDoc is SwitchChoices' one-line explanation of name=value.
func switchDoc(name, value string) string {
	for _, sw := range sim.SwitchChoices {
		if sw.Name != name {
			continue
		}
		for i, v := range sw.Values {
			if v == value && i < len(sw.Doc) {
				return sw.Doc[i]
			}
		}
	}
	return ""
}

// syncedSelect is a Select that reflects the lab's state without calling
// its OnChanged: show moves the selection quietly, a user's pick runs pick.
type syncedSelect struct {
	*widget.Select
	syncing bool
}

func newSyncedSelect(options []string, pick func(string)) *syncedSelect {
	s := &syncedSelect{}
	s.Select = widget.NewSelect(options, func(value string) {
		if !s.syncing {
			pick(value)
		}
	})
	fitOptions(s.Select)
	return s
}

// fitOptions makes a Select as wide as its longest option: a Select sizes
// itself by its placeholder, and would otherwise cut long options short.
func fitOptions(s *widget.Select) {
	longest := ""
	for _, o := range s.Options {
		if len([]rune(o)) > len([]rune(longest)) {
			longest = o
		}
	}
	s.PlaceHolder = longest
}

// show selects value without running the pick function.
func (s *syncedSelect) show(value string) {
	if s.Selected == value {
		return
	}
	s.syncing = true
	defer func() { s.syncing = false }()
	s.SetSelected(value)
}
