package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/explore"
	"outboxlab/scenarios"
	"outboxlab/sim"
)

// maxChaosConfigs is how many configurations sit side by side.
const maxChaosConfigs = 4

// chaosView is the Chaos run view: how many runs and which switch
// configurations, a Run with a progress bar and Cancel, and a table of what
// each configuration broke under the same seeds. A counterexample opens in
// the main window's course player.
type chaosView struct {
	mw   *Window
	win  fyne.Window // where its dialogs show
	root fyne.CanvasObject

	runs, seed *widget.Entry
	configs    []*chaosConfig
	configRow  *fyne.Container
	add        *widget.Button
	start      *widget.Button
	cancel     *widget.Button
	bar        *widget.ProgressBar
	status     *widget.Label
	table      *fyne.Container

	run     *chaosRun
	names   []string          // the configurations of the current results
	reports []*explore.Report // their reports, nil until finished
	total   int               // runs in all configurations of the current run
}

// chaosConfig is one column: a value for every switch.
type chaosConfig struct {
	selects map[string]*widget.Select
	card    *widget.Card
}

func newChaosView(mw *Window, win fyne.Window) *chaosView {
	v := &chaosView{mw: mw, win: win}
	v.runs = widget.NewEntry()
	v.runs.SetText("1000")
	v.seed = widget.NewEntry()
	v.seed.SetText("1")
	v.configRow = container.NewHBox()
	v.add = widget.NewButtonWithIcon("Add a configuration", theme.ContentAddIcon(), func() { v.addConfig(nil) })
	v.addConfig([]string{"publish=after-commit"})
	v.addConfig(nil)
	v.start = widget.NewButtonWithIcon("Run", theme.MediaPlayIcon(), v.Run)
	v.start.Importance = widget.HighImportance
	v.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), v.Cancel)
	v.cancel.Disable()
	v.bar = widget.NewProgressBar()
	v.status = widget.NewLabel("Each configuration gets the same random schedules; the table shows what each one broke.")
	v.status.Wrapping = fyne.TextWrapWord
	v.table = container.NewVBox()
	v.showResults()

	settings := container.New(layout.NewFormLayout(),
		widget.NewLabel("Runs"), v.runs,
		widget.NewLabel("Seed"), v.seed)
	controls := container.NewHBox(v.start, v.cancel)
	top := container.NewVBox(
		container.NewHBox(container.NewGridWrap(fyne.NewSize(260, settings.MinSize().Height), settings), controls),
		container.NewHScroll(container.NewHBox(v.configRow, container.NewVBox(v.add))),
		v.bar, v.status, widget.NewSeparator())
	v.root = container.NewBorder(top, nil, nil, nil, container.NewScroll(v.table))
	return v
}

// addConfig adds a column with the given switches set (the rest on).
func (v *chaosView) addConfig(set []string) {
	if len(v.configs) >= maxChaosConfigs {
		return
	}
	sw := sim.DefaultSwitches()
	for _, s := range set {
		_ = sw.ParseSwitch(s) // the presets are valid
	}
	values := sw.Values()
	cfg := &chaosConfig{selects: map[string]*widget.Select{}}
	form := container.New(layout.NewFormLayout())
	for _, choice := range sim.SwitchChoices {
		sel := widget.NewSelect(choice.Values, nil)
		sel.Selected = values[choice.Name]
		cfg.selects[choice.Name] = sel
		form.Add(widget.NewLabel(choice.Name))
		form.Add(sel)
	}
	remove := widget.NewButtonWithIcon("Remove", theme.ContentRemoveIcon(), func() { v.removeConfig(cfg) })
	cfg.card = widget.NewCard("", "", container.NewVBox(form, remove))
	v.configs = append(v.configs, cfg)
	v.relabel()
}

func (v *chaosView) removeConfig(cfg *chaosConfig) {
	if len(v.configs) <= 1 {
		return
	}
	for i, c := range v.configs {
		if c == cfg {
			v.configs = append(v.configs[:i], v.configs[i+1:]...)
		}
	}
	v.relabel()
}

// relabel names the columns A, B, C... and rebuilds the row.
func (v *chaosView) relabel() {
	v.configRow.RemoveAll()
	for i, c := range v.configs {
		c.card.SetTitle(string(rune('A' + i)))
		v.configRow.Add(c.card)
	}
	if len(v.configs) >= maxChaosConfigs {
		v.add.Disable()
	} else {
		v.add.Enable()
	}
	v.configRow.Refresh()
}

// switches lists what differs from the defaults, as explore takes it.
func (c *chaosConfig) switches() []string {
	def := sim.DefaultSwitches().Values()
	var out []string
	for _, choice := range sim.SwitchChoices {
		if value := c.selects[choice.Name].Selected; value != def[choice.Name] {
			out = append(out, choice.Name+"="+value)
		}
	}
	return out
}

func configName(i int, switches []string) string {
	name := string(rune('A' + i))
	if len(switches) == 0 {
		return name + ": every pattern on"
	}
	return name + ": " + strings.Join(switches, " ")
}

// Run starts exploring every configuration under the same seed.
func (v *chaosView) Run() {
	if v.run != nil {
		return
	}
	runs, err := strconv.Atoi(strings.TrimSpace(v.runs.Text))
	if err != nil || runs < 1 || runs > explore.MaxRuns {
		v.fail(fmt.Sprintf("Runs must be a whole number from 1 to %d, not %q.", explore.MaxRuns, v.runs.Text))
		return
	}
	seed, err := strconv.ParseUint(strings.TrimSpace(v.seed.Text), 10, 64)
	if err != nil {
		v.fail(fmt.Sprintf("Seed must be a whole number, not %q.", v.seed.Text))
		return
	}
	cfgs := make([]explore.Config, len(v.configs))
	v.names = make([]string, len(v.configs))
	for i, c := range v.configs {
		cfgs[i] = explore.Config{Runs: runs, Seed: seed, Switches: c.switches()}
		v.names[i] = configName(i, cfgs[i].Switches)
	}
	v.reports = make([]*explore.Report, len(cfgs))
	v.total = runs * len(cfgs)
	v.bar.SetValue(0)
	v.start.Disable()
	v.cancel.Enable()
	v.status.Importance = widget.MediumImportance
	v.showResults()
	v.run = startChaos(cfgs, v.update)
}

// Cancel stops the run; finished configurations keep their results.
func (v *chaosView) Cancel() {
	if v.run != nil {
		v.run.Cancel()
	}
}

func (v *chaosView) fail(msg string) {
	v.status.Importance = widget.DangerImportance
	v.status.SetText(msg)
}

// update shows one chaosUpdate; it runs on the UI goroutine.
func (v *chaosView) update(u chaosUpdate) {
	switch {
	case u.Finished:
		v.run = nil
		v.start.Enable()
		v.cancel.Disable()
		v.status.Importance = widget.MediumImportance
		v.status.SetText(v.summary())
	case u.Err != nil:
		v.fail(fmt.Sprintf("%s: %s", v.names[u.Config], u.Err))
	case u.Report != nil:
		v.reports[u.Config] = u.Report
		v.bar.SetValue(float64((u.Config+1)*u.Report.Runs) / float64(max(v.total, 1)))
		v.showResults()
	default:
		p := u.Progress
		done := u.Config*p.Runs + p.Done
		v.bar.SetValue(float64(done) / float64(max(v.total, 1)))
		text := fmt.Sprintf("%s: %d of %d runs, %.0f runs/s, %d broke an invariant", v.names[u.Config], p.Done, p.Runs, p.Rate(), p.Violations)
		if p.Shrinking != "" {
			text += "; shrinking the first " + p.Shrinking + " counterexample"
		}
		v.status.SetText(text)
	}
}

func (v *chaosView) summary() string {
	var parts []string
	cancelled := false
	for i, r := range v.reports {
		if r == nil {
			cancelled = true
			continue
		}
		cancelled = cancelled || r.Cancelled
		verdict := "every invariant held"
		if r.Failing > 0 {
			verdict = fmt.Sprintf("%d of %d runs broke an invariant", r.Failing, r.Runs)
		}
		parts = append(parts, fmt.Sprintf("%s: %s", string(rune('A'+i)), verdict))
	}
	s := "Done. " + strings.Join(parts, "; ") + "."
	if cancelled {
		s = "Cancelled. " + strings.Join(parts, "; ")
	}
	return s
}

// showResults rebuilds the comparison table: a row per invariant, a
// column per configuration.
func (v *chaosView) showResults() {
	v.table.RemoveAll()
	if len(v.names) == 0 {
		v.table.Add(widget.NewLabel("No results yet: press Run."))
		v.table.Refresh()
		return
	}
	cols := len(v.names) + 1
	grid := container.NewGridWithColumns(cols)
	head := func(s string) *widget.Label {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	grid.Add(head(""))
	for _, n := range v.names {
		grid.Add(head(n))
	}
	grid.Add(head("Runs"))
	for _, r := range v.reports {
		grid.Add(widget.NewLabel(cell(r, func(r *explore.Report) string {
			return fmt.Sprintf("%d (%d broke something)", r.Runs, r.Failing)
		})))
	}
	for _, name := range sim.InvariantNames {
		grid.Add(head(capitalize(explore.RowNouns[name][1])))
		for _, r := range v.reports {
			l := widget.NewLabel(cell(r, func(r *explore.Report) string {
				t, ok := r.Broken[name]
				if !ok {
					return "none"
				}
				return fmt.Sprintf("%d, in %d runs", t.Rows, t.Runs)
			}))
			if r != nil {
				if _, broke := r.Broken[name]; broke {
					l.Importance = widget.DangerImportance
					l.TextStyle.Bold = true
				}
			}
			grid.Add(l)
		}
	}
	grid.Add(head("Counterexamples"))
	for _, r := range v.reports {
		box := container.NewVBox()
		if r != nil {
			for _, f := range r.Findings {
				box.Add(widget.NewButton(fmt.Sprintf("Open %s (%d actions)", f.Invariant, len(f.Steps)), func() { v.open(f) }))
			}
			if len(r.Findings) == 0 {
				box.Add(widget.NewLabel("none: nothing broke"))
			}
		} else {
			box.Add(widget.NewLabel("…"))
		}
		grid.Add(box)
	}
	v.table.Add(grid)
	v.table.Refresh()
}

func cell(r *explore.Report, text func(*explore.Report) string) string {
	if r == nil {
		return "…"
	}
	return text(r)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// open loads a counterexample into the main window's course player.
func (v *chaosView) open(f *explore.Finding) {
	s, err := scenarios.Parse(f.FileName(), []byte(f.Scenario))
	if err != nil {
		dialog.ShowError(err, v.win)
		return
	}
	v.mw.ctl.LoadScript(s)
	v.status.Importance = widget.MediumImportance
	v.status.SetText(fmt.Sprintf("Opened %s in the course player: step through it in the main window.", f.FileName()))
	v.mw.win.RequestFocus()
}

// showChaos opens the Chaos run window, or brings it forward when open.
func (mw *Window) showChaos() {
	if mw.chaos != nil {
		mw.chaos.RequestFocus()
		return
	}
	w := mw.app.NewWindow("Outbox Lab: Chaos run")
	v := newChaosView(mw, w)
	w.SetContent(v.root)
	w.Resize(fyne.NewSize(1180, 780))
	w.SetOnClosed(func() {
		v.Cancel()
		mw.chaos, mw.chaosView = nil, nil
	})
	mw.chaos, mw.chaosView = w, v
	w.Show()
}
