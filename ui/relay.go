package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// relayPanel drives everything after the commit: the relay (step, drain,
// automatic), the broker's faults, the consumers and the infrastructure
// (Redis restart, lab time), and shows the counts that move.
type relayPanel struct {
	c    *Controller
	root fyne.CanvasObject

	pending, published, dead *countTile
	log, fault, clock        *countTile
	queued, effects          map[string]*countTile

	step, drain, auto, requeue *widget.Button
	rate, batch, broker        *syncedSelect
	consumers                  map[string]*widget.Button
	consumeAll, redis, advance *widget.Button
	advanceBy                  *widget.Select

	lab     *sim.Lab // the lab of the last view
	running bool     // the relay runs by itself (from the last View)
}

// Relay speeds offered for the automatic mode, as steps per second.
var relayRates = []string{"1 step/s", "5 steps/s", "20 steps/s"}

// relayBatches are the batch sizes offered.
var relayBatches = []string{"1", "10", "100", "1000"}

// advanceSteps are the lab-time jumps offered: a second, the relay's first
// backoffs, just past the 30 s lock TTL, a minute, the 24 h retention.
var advanceSteps = []string{"1s", "10s", "31s", "1m", "24h"}

// newRelayPanel builds the relay, broker and consumers panel.
func newRelayPanel(c *Controller) fyne.CanvasObject { return buildRelayPanel(c).root }

func buildRelayPanel(c *Controller) *relayPanel {
	p := &relayPanel{c: c, queued: map[string]*countTile{}, effects: map[string]*countTile{}, consumers: map[string]*widget.Button{}}

	p.pending, p.published, p.dead = newCountTile("pending"), newCountTile("published"), newCountTile("dead")
	p.log, p.fault, p.clock = newCountTile("log"), newCountTile("fault"), newCountTile("lab time")
	queuedRow := container.NewGridWithColumns(len(sim.ConsumerNames))
	effectsRow := container.NewGridWithColumns(len(sim.ConsumerNames))
	for _, name := range sim.ConsumerNames {
		p.queued[name] = newCountTile(name)
		p.effects[name] = newCountTile(effectCaption(name))
		queuedRow.Add(p.queued[name])
		effectsRow.Add(p.effects[name])
	}
	counts := container.New(layout.NewFormLayout(),
		panelSection("outbox"), container.NewGridWithColumns(3, p.pending, p.published, p.dead),
		panelSection("broker"), container.NewGridWithColumns(3, p.log, p.fault, p.clock),
		panelSection("queued"), queuedRow,
		panelSection("effects"), effectsRow,
	)

	// Relay.
	p.step = widget.NewButtonWithIcon("Step", theme.MediaSkipNextIcon(), p.doStep)
	p.step.Importance = widget.HighImportance
	p.drain = widget.NewButtonWithIcon("Drain", theme.MediaFastForwardIcon(), p.doDrain)
	p.auto = widget.NewButtonWithIcon("Run", theme.MediaPlayIcon(), p.toggleAuto)
	p.rate = newSyncedSelect(relayRates, p.rateChanged)
	p.rate.show(relayRates[1])
	p.batch = newSyncedSelect(relayBatches, p.batchChanged)
	p.requeue = widget.NewButtonWithIcon("Requeue dead", theme.ContentUndoIcon(), p.doRequeue)

	// Broker.
	faults := make([]string, len(sim.BrokerFaults))
	for i, f := range sim.BrokerFaults {
		faults[i] = string(f)
	}
	p.broker = newSyncedSelect(faults, p.faultChanged)
	p.broker.show(string(sim.BrokerUp))

	// Consumers.
	consumerButtons := newButtonFlow()
	for _, name := range sim.ConsumerNames {
		b := widget.NewButton("Step "+name, func() { p.doStepConsumer(name) })
		p.consumers[name] = b
		consumerButtons.Add(b)
	}
	p.consumeAll = widget.NewButton("Consume all", p.doConsumeAll)
	consumerButtons.Add(p.consumeAll)

	// Infrastructure.
	p.redis = widget.NewButtonWithIcon("Restart Redis", theme.ViewRefreshIcon(), p.doRestartRedis)
	p.advanceBy = widget.NewSelect(advanceSteps, nil)
	fitOptions(p.advanceBy)
	p.advanceBy.SetSelected("31s")
	p.advance = widget.NewButtonWithIcon("Advance time", theme.HistoryIcon(), p.doAdvance)

	wrap := newButtonFlow
	// The buttons a presenter uses most come first, the counts they move
	// right under them; the rarer controls follow.
	content := container.NewVBox(
		panelHeading("Relay", "outbox → broker → consumers"),
		wrap(p.step, p.drain, p.auto, p.rate.Select),
		counts,
		widget.NewSeparator(),
		panelSection("relay"),
		wrap(withLabel("batch", p.batch.Select), p.requeue),
		panelSection("broker"),
		wrap(withLabel("fault", p.broker.Select)),
		panelSection("consumers"),
		consumerButtons,
		panelSection("infrastructure"),
		wrap(p.redis, p.advance, p.advanceBy),
	)
	p.root = container.NewScroll(content)
	c.Subscribe(p.refresh)
	return p
}

func (p *relayPanel) refresh(v View) {
	counts := v.Snap.Counts
	p.pending.SetValue(strconv.Itoa(counts.OutboxPending))
	p.published.SetValue(strconv.Itoa(counts.OutboxPublished))
	p.dead.SetValue(strconv.Itoa(counts.OutboxDead))
	p.log.SetValue(strconv.Itoa(counts.Broker.Log))
	p.fault.SetValue(string(counts.Broker.Fault))
	p.clock.SetValue(labTime(v.Snap.Elapsed))
	for _, name := range sim.ConsumerNames {
		p.queued[name].SetValue(strconv.Itoa(counts.Broker.Queued[name]))
		p.effects[name].SetValue(strconv.Itoa(counts.Effects[name]))
	}
	p.broker.show(string(counts.Broker.Fault))
	p.lab = v.Lab
	if v.Lab != nil {
		p.batch.show(strconv.Itoa(v.Lab.RelayBatch()))
	}
	p.running = v.AutoRelay
	p.showAuto()
	p.requeue.Disable()
	if counts.OutboxDead > 0 {
		p.requeue.Enable()
	}
}

func (p *relayPanel) showAuto() {
	if p.running {
		p.auto.SetText("Pause")
		p.auto.SetIcon(theme.MediaPauseIcon())
	} else {
		p.auto.SetText("Run")
		p.auto.SetIcon(theme.MediaPlayIcon())
	}
}

func (p *relayPanel) doStep() {
	p.c.Run(func(l *sim.Lab) (string, error) {
		r, err := l.StepRelay()
		if err != nil {
			return "", err
		}
		return "relay step: " + relayReportText(r), nil
	})
}

func (p *relayPanel) doDrain() {
	p.c.Run(func(l *sim.Lab) (string, error) {
		r, err := l.Drain()
		if err != nil {
			return "", err
		}
		return "drain: " + drainReportText(r), nil
	})
}

func (p *relayPanel) toggleAuto() {
	p.c.SetAutoRelay(!p.running, rateInterval(p.rate.Selected))
}

func (p *relayPanel) rateChanged(string) {
	if p.running {
		p.c.SetAutoRelay(true, rateInterval(p.rate.Selected))
	}
}

func (p *relayPanel) batchChanged(value string) {
	n, _ := strconv.Atoi(value)
	p.c.Run(func(l *sim.Lab) (string, error) {
		if err := l.SetRelayBatch(n); err != nil {
			return "", err
		}
		return fmt.Sprintf("the relay now reads %d outbox rows per step", n), nil
	})
}

func (p *relayPanel) faultChanged(value string) {
	f := sim.BrokerFault(value)
	p.c.Run(func(l *sim.Lab) (string, error) {
		if err := l.SetBrokerFault(f); err != nil {
			return "", err
		}
		switch f {
		case sim.BrokerDown:
			return "broker down: every publish fails, outbox rows wait and retry", nil
		case sim.BrokerDuplicate:
			return "broker duplicates: every publish is delivered twice", nil
		}
		return "broker up", nil
	})
}

func (p *relayPanel) doRequeue() {
	p.c.Run(func(l *sim.Lab) (string, error) {
		n, err := l.RequeueDead()
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("requeued %s: pending again, due now", nounCount(n, "dead row")), nil
	})
}

func (p *relayPanel) doStepConsumer(name string) {
	p.c.Run(func(l *sim.Lab) (string, error) {
		r, err := l.StepConsumer(name)
		if err != nil {
			return "", err
		}
		return name + " step: " + consumerReportText(r), nil
	})
}

func (p *relayPanel) doConsumeAll() {
	p.c.Run(func(l *sim.Lab) (string, error) {
		r, err := l.ConsumeAll()
		if err != nil {
			return "", err
		}
		return "consume all: " + drainReportText(r), nil
	})
}

func (p *relayPanel) doRestartRedis() {
	Do(p.c, "Redis restarted and lost every key: in-flight and completed keys are gone", func(l *sim.Lab) error {
		return l.RestartRedis()
	})
}

func (p *relayPanel) doAdvance() {
	d, err := time.ParseDuration(p.advanceBy.Selected)
	p.c.Run(func(l *sim.Lab) (string, error) {
		if err != nil {
			return "", fmt.Errorf("advance by what? pick a duration")
		}
		if err := l.Advance(d); err != nil {
			return "", err
		}
		return fmt.Sprintf("advanced lab time by %s, now %s", d, labTime(l.Clock().Since())), nil
	})
}

// rateInterval turns "5 steps/s" into the interval between steps.
func rateInterval(rate string) time.Duration {
	n, err := strconv.Atoi(strings.Fields(rate + " 1")[0])
	if err != nil || n < 1 {
		n = 1
	}
	return time.Second / time.Duration(n)
}

// effectCaption names a consumer's visible effect.
func effectCaption(consumer string) string {
	switch consumer {
	case "warehouse":
		return "shipments"
	case "email":
		return "emails"
	}
	return consumer
}

func relayReportText(r sim.RelayReport) string {
	if r.Crashed != "" {
		return fmt.Sprintf("the relay crashed at %s after fetching %s; the rows stay pending", r.Crashed, nounCount(r.Fetched, "row"))
	}
	if r.Paused {
		return fmt.Sprintf("paused after fetching %s", nounCount(r.Fetched, "row"))
	}
	if r.Fetched == 0 && r.Waiting == 0 {
		return "nothing pending in the outbox"
	}
	parts := []string{"fetched " + strconv.Itoa(r.Fetched), "published " + strconv.Itoa(r.Published)}
	if r.Failed > 0 {
		parts = append(parts, "failed "+strconv.Itoa(r.Failed))
	}
	if r.Dead > 0 {
		parts = append(parts, "dead "+strconv.Itoa(r.Dead))
	}
	if r.Waiting > 0 {
		parts = append(parts, fmt.Sprintf("%d waiting for backoff until %s", r.Waiting, labTime(r.NextDue)))
	}
	return strings.Join(parts, ", ")
}

func drainReportText(r sim.DrainReport) string {
	parts := []string{nounCount(r.RelaySteps, "relay step"), "published " + strconv.Itoa(r.Published)}
	if r.Dead > 0 {
		parts = append(parts, "dead "+strconv.Itoa(r.Dead))
	}
	for _, name := range reportNames(r.Applied) {
		parts = append(parts, fmt.Sprintf("%s applied %d", name, r.Applied[name]))
	}
	for _, name := range reportNames(r.Duplicates) {
		if r.Duplicates[name] > 0 {
			parts = append(parts, fmt.Sprintf("%s absorbed %s", name, nounCount(r.Duplicates[name], "duplicate")))
		}
	}
	if len(r.Crashes) > 0 {
		parts = append(parts, "crashed at "+strings.Join(r.Crashes, ", "))
	}
	if r.Waited > 0 {
		parts = append(parts, "skipped "+r.Waited.String()+" of backoff")
	}
	if r.Stopped != "" {
		parts = append(parts, "stopped: "+r.Stopped)
	}
	return strings.Join(parts, ", ")
}

func consumerReportText(r sim.ConsumerReport) string {
	if r.Crashed != "" {
		return fmt.Sprintf("crashed at %s; %s handed back", r.Crashed, nounCount(r.Requeued, "delivery"))
	}
	s := fmt.Sprintf("took %d, applied %d", r.Taken, r.Applied)
	if r.Duplicates > 0 {
		s += fmt.Sprintf(", inbox absorbed %s", nounCount(r.Duplicates, "duplicate"))
	}
	if r.Paused {
		s += ", paused"
	}
	if r.Taken == 0 {
		s = "nothing queued"
	}
	return s
}

func reportNames(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// nounCount writes "1 row", "3 rows".
func nounCount(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(what, "y"))
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// panelSection is a section name inside a panel.
func panelSection(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// withLabel puts a small label before a control.
func withLabel(text string, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(widget.NewLabel(text), obj)
}
