package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// newDataPanel shows the lab's tables, one tab each: Redis keys, orders,
// outbox, broker log, deliveries, and per consumer its effects above its
// inbox (processed_events). Tab titles carry the row counts; rows new or
// changed since the previous view are highlighted; duplicate effects and
// phantom events are marked in red.
func newDataPanel(c *Controller) fyne.CanvasObject { return buildDataPanel(c).tabs }

// dataPanel is the data tabs and the tables on them.
type dataPanel struct {
	tabs  *container.AppTabs
	pages []*dataPageTab
}

// dataPageTab is one top-level tab: its title carries a count, and it
// holds one table, or two (a consumer's effects and inbox).
type dataPageTab struct {
	name     string
	item     *container.TabItem
	tables   []*dataTab
	captions []*widget.Label // one per table when there are two
	names    []string        // the captions' names
}

func (pg *dataPageTab) title() string { return fmt.Sprintf("%s (%d)", pg.name, pg.tables[0].rows) }

// buildDataPanel builds the panel and subscribes it to the controller.
// Tests use it to reach the tables.
func buildDataPanel(c *Controller) *dataPanel {
	p := &dataPanel{}
	single := func(name string, t *dataTab) *dataPageTab {
		return &dataPageTab{name: name, tables: []*dataTab{t}}
	}
	p.pages = []*dataPageTab{
		single("Redis keys", newRedisTable()),
		single("Orders", newOrdersTable()),
		single("Outbox", newOutboxTable()),
		single("Broker log", newBrokerTable()),
		single("Deliveries", newDeliveriesTable()),
	}
	for _, name := range sim.ConsumerNames {
		p.pages = append(p.pages, newConsumerPage(name))
	}
	items := make([]*container.TabItem, len(p.pages))
	for i, pg := range p.pages {
		pg.item = container.NewTabItem(pg.title(), pg.content())
		items[i] = pg.item
	}
	p.tabs = container.NewAppTabs(items...)
	p.tabs.OnSelected = func(item *container.TabItem) {
		for _, pg := range p.pages {
			if pg.item == item {
				pg.draw()
			}
		}
	}
	c.Subscribe(p.refresh)
	return p
}

// refresh takes a view: every table syncs (counts and versions, no rows),
// titles update, and only the visible tables redraw, reading the pages
// they show.
func (p *dataPanel) refresh(v View) {
	retitle := false
	for _, pg := range p.pages {
		for _, t := range pg.tables {
			t.sync(v)
		}
		if title := pg.title(); pg.item.Text != title {
			pg.item.Text, retitle = title, true
		}
		for i, l := range pg.captions {
			if text := fmt.Sprintf("%s (%d)", pg.names[i], pg.tables[i].rows); l.Text != text {
				l.SetText(text)
			}
		}
	}
	if retitle {
		p.tabs.Refresh()
	}
	for _, pg := range p.pages {
		if pg.item == p.tabs.Selected() {
			pg.draw()
		}
	}
}

func (pg *dataPageTab) draw() {
	for _, t := range pg.tables {
		t.draw()
	}
}

func (pg *dataPageTab) content() fyne.CanvasObject {
	if len(pg.tables) == 1 {
		return pg.tables[0]
	}
	split := container.NewVSplit(
		container.NewBorder(pg.captions[0], nil, nil, nil, pg.tables[0]),
		container.NewBorder(pg.captions[1], nil, nil, nil, pg.tables[1]))
	split.SetOffset(0.55)
	return newDataQuiet(split)
}

// dataQuiet holds a tab's content without passing Refresh on: AppTabs
// refreshes every tab's content when a title changes, and the panel
// redraws its visible tables itself. Theme changes still reach everything
// inside, since Fyne walks every renderer's objects to apply a theme.
type dataQuiet struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func newDataQuiet(content fyne.CanvasObject) *dataQuiet {
	q := &dataQuiet{content: content}
	q.ExtendBaseWidget(q)
	return q
}

func (q *dataQuiet) CreateRenderer() fyne.WidgetRenderer { return &dataQuietRenderer{q: q} }

type dataQuietRenderer struct{ q *dataQuiet }

func (r *dataQuietRenderer) Layout(s fyne.Size)           { r.q.content.Resize(s) }
func (r *dataQuietRenderer) MinSize() fyne.Size           { return r.q.content.MinSize() }
func (r *dataQuietRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.q.content} }
func (r *dataQuietRenderer) Destroy()                     {}
func (r *dataQuietRenderer) Refresh()                     {}

// Column samples are as wide as the usual value; longer values end in an
// ellipsis. Eight characters is what short() shows of an ID.
const dataIDSample = "0123abcd"

func newRedisTable() *dataTab {
	cols := []dataColumn{{"key", "key-12345"}, {"state", "completed"}, {"fp", "0123abcd"}, {"order", dataIDSample}, {"status", "201"}, {"ttl", "23h59m59s"}}
	src := &dataKeys{text: func(k sim.KeyView, col int) (string, dataTone) {
		switch col {
		case 0:
			return k.Key, tonePlain
		case 1:
			return k.State, tonePlain
		case 2:
			return dataShortFP(k.Fingerprint), tonePlain
		case 3:
			return dataShortID(k.OrderID), tonePlain
		case 4:
			if k.Status == 0 {
				return "—", toneFaint
			}
			return strconv.Itoa(k.Status), tonePlain
		}
		return ttl(k.TTL), tonePlain
	}}
	src.page.read = readRedisKeys
	return newDataTab(cols, src)
}

func newOrdersTable() *dataTab {
	cols := []dataColumn{{"#", "99999"}, {"id", dataIDSample}, {"key", "bulk-000001"}, {"item", "chair"}, {"qty", "999"}, {"published by", "before-commit"}, {"UNIQUE", "yes"}, {"created", "+10m30s"}}
	src := &dataList[sim.OrderRow]{
		written: true,
		count:   func(s sim.Snapshot) int { return s.Counts.Orders },
		version: func(s sim.Snapshot) dataStamp { return dataStamp{s.Versions.Orders} },
		text: func(o sim.OrderRow, col int) (string, dataTone) {
			switch col {
			case 0:
				return strconv.FormatInt(o.Seq, 10), tonePlain
			case 1:
				return short(o.ID), tonePlain
			case 2:
				return o.Key, tonePlain
			case 3:
				return o.Item, tonePlain
			case 4:
				return strconv.Itoa(o.Qty), tonePlain
			case 5:
				return o.PublishMode, tonePlain
			case 6:
				if o.UniqueGuard {
					return "yes", tonePlain
				}
				return "no", toneFaint
			}
			return dataTime(o.CreatedAt), tonePlain
		},
	}
	src.page.read = func(ctx context.Context, lab *sim.Lab, offset, limit int) ([]sim.OrderRow, error) {
		return lab.Orders(ctx, offset, limit)
	}
	return newDataTab(cols, src)
}

func newOutboxTable() *dataTab {
	cols := []dataColumn{{"id", "99999"}, {"order", dataIDSample}, {"event", dataIDSample}, {"status", "published"}, {"attempts", "9"},
		{"last error", "broker is down"}, {"next attempt", "+10m30s"}, {"published at", "+10m30s"}}
	src := &dataList[sim.OutboxRow]{
		count: func(s sim.Snapshot) int {
			return s.Counts.OutboxPending + s.Counts.OutboxPublished + s.Counts.OutboxDead
		},
		version: func(s sim.Snapshot) dataStamp { return dataStamp{s.Versions.Outbox} },
		text: func(o sim.OutboxRow, col int) (string, dataTone) {
			switch col {
			case 0:
				return strconv.FormatInt(o.ID, 10), tonePlain
			case 1:
				return short(o.OrderID), tonePlain
			case 2:
				return short(o.EventID), tonePlain
			case 3:
				switch o.Status {
				case "published":
					return o.Status, toneGood
				case "dead":
					return o.Status, toneBad
				}
				return o.Status, tonePlain
			case 4:
				return strconv.Itoa(o.Attempts), tonePlain
			case 5:
				if o.LastError == "" {
					return "—", toneFaint
				}
				return o.LastError, toneBad
			case 6:
				if o.Status != "pending" {
					return "—", toneFaint
				}
				return dataTime(o.NextAttemptAt), tonePlain
			}
			return dataTime(o.PublishedAt), tonePlain
		},
	}
	src.page.read = func(ctx context.Context, lab *sim.Lab, offset, limit int) ([]sim.OutboxRow, error) {
		return lab.Outbox(ctx, offset, limit)
	}
	return newDataTab(cols, src)
}

// newBrokerTable is the topic's log. An event published directly by the
// API (before-commit mode) may belong to an order that never committed:
// its row says "phantom". Only the visible page's API-published events
// are looked up; relay-published events come from committed outbox rows.
func newBrokerTable() *dataTab {
	cols := []dataColumn{{"offset", "99999"}, {"event", dataIDSample}, {"order", dataIDSample}, {"type", "OrderCreated"}, {"source", "relay"}, {"at", "+10m30s"}, {"committed", "not yet"}}
	var (
		missing  = map[string]bool{} // orders of the page's API events that are not in the orders table
		phantoms = map[string]bool{} // short order IDs no-phantom-event names
		allNamed = true              // the invariant named every phantom
	)
	src := &dataList[sim.Message]{
		count: func(s sim.Snapshot) int { return s.Counts.Broker.Log },
		// A phantom can become a committed order: the orders version
		// matters to this table too.
		version: func(s sim.Snapshot) dataStamp { return dataStamp{s.Versions.Broker, s.Versions.Orders} },
		onView: func(v View) {
			phantoms, allNamed = dataPhantoms(v.Snap.Invariants)
		},
		text: func(m sim.Message, col int) (string, dataTone) {
			switch col {
			case 0:
				return strconv.Itoa(m.Offset), tonePlain
			case 1:
				return short(m.EventID), tonePlain
			case 2:
				return short(m.OrderID), tonePlain
			case 3:
				return m.Type, tonePlain
			case 4:
				return m.Source, tonePlain
			case 5:
				return labTime(m.At), tonePlain
			}
			switch {
			case !missing[m.OrderID]:
				return "yes", tonePlain
			case phantoms[short(m.OrderID)] || !allNamed:
				return "phantom", toneBad
			}
			return "not yet", toneFaint // its request is still running
		},
	}
	src.page.read = func(_ context.Context, lab *sim.Lab, offset, limit int) ([]sim.Message, error) {
		return lab.Broker().Messages(offset, limit), nil
	}
	src.page.loaded = func(lab *sim.Lab, rows []sim.Message) {
		clear(missing)
		for _, m := range rows {
			if m.Source == "relay" {
				continue
			}
			if o, err := lab.Order(context.Background(), m.OrderID); err == nil && o == nil {
				missing[m.OrderID] = true
			}
		}
	}
	return newDataTab(cols, src)
}

// newDeliveriesTable lists every consumer's hand-overs, one consumer after
// the other. A delivery changes state in place (queued, in-flight, acked),
// and the changed rows light up like new ones.
func newDeliveriesTable() *dataTab {
	cols := []dataColumn{{"id", "99999"}, {"consumer", "warehouse"}, {"event", dataIDSample}, {"order", dataIDSample}, {"attempt", "9"}, {"state", "in-flight"}}
	join := &dataJoin{sizes: make([]int, len(sim.ConsumerNames))}
	for _, name := range sim.ConsumerNames {
		src := &dataList[sim.Delivery]{
			count:   func(s sim.Snapshot) int { return s.Counts.Broker.Deliveries[name] },
			version: func(s sim.Snapshot) dataStamp { return dataStamp{s.Versions.Broker} },
			text: func(d sim.Delivery, col int) (string, dataTone) {
				switch col {
				case 0:
					return strconv.Itoa(d.ID), tonePlain
				case 1:
					return d.Consumer, tonePlain
				case 2:
					return short(d.EventID), tonePlain
				case 3:
					return short(d.OrderID), tonePlain
				case 4:
					if d.Attempt > 1 {
						return strconv.Itoa(d.Attempt), toneBad
					}
					return strconv.Itoa(d.Attempt), tonePlain
				}
				if d.State == sim.DeliveryAcked {
					return d.State, toneGood
				}
				return d.State, tonePlain
			},
		}
		src.page.read = func(_ context.Context, lab *sim.Lab, offset, limit int) ([]sim.Delivery, error) {
			return lab.Broker().Deliveries(name, offset, limit), nil
		}
		join.parts = append(join.parts, src)
	}
	return newDataTab(cols, join)
}

// newConsumerPage is a consumer's tab: its effects (shipments, emails)
// above its inbox (processed_events). An order applied more than once
// says "×2" in red.
func newConsumerPage(name string) *dataPageTab {
	effectName := map[string]string{"warehouse": "Shipments", "email": "Emails sent"}[name]
	if effectName == "" {
		effectName = "Effects"
	}
	var (
		onPage = map[string]int{} // how often the page holds each order
		named  = map[string]int{} // short order ID → times applied, as exactly-once-effect names them
	)
	effects := &dataList[sim.EffectRow]{
		written: true,
		count:   func(s sim.Snapshot) int { return s.Counts.Effects[name] },
		version: func(s sim.Snapshot) dataStamp { return dataStamp{s.Versions.Consumers} },
		onView:  func(v View) { named = dataDuplicates(v.Snap.Invariants, name) },
		text: func(e sim.EffectRow, col int) (string, dataTone) {
			switch col {
			case 0:
				return strconv.FormatInt(e.ID, 10), tonePlain
			case 1:
				return short(e.OrderID), tonePlain
			case 2:
				return short(e.EventID), tonePlain
			case 3:
				return e.Detail, tonePlain
			case 4:
				if n := max(onPage[e.OrderID], named[short(e.OrderID)]); n > 1 {
					return fmt.Sprintf("×%d", n), toneBad
				}
				return "×1", tonePlain
			}
			return dataTime(e.CreatedAt), tonePlain
		},
	}
	effects.page.read = func(ctx context.Context, lab *sim.Lab, offset, limit int) ([]sim.EffectRow, error) {
		return lab.Effects(ctx, name, offset, limit)
	}
	effects.page.loaded = func(_ *sim.Lab, rows []sim.EffectRow) {
		clear(onPage)
		for _, e := range rows {
			onPage[e.OrderID]++
		}
	}
	detail := "ship 3 × chair"
	if name == "email" {
		detail = "email: your order 0123abcd (1 × book) is confirmed"
	}
	effectCols := []dataColumn{{"id", "99999"}, {"order", dataIDSample}, {"event", dataIDSample}, {"effect", detail}, {"applied", "×1"}, {"at", "+10m30s"}}

	inbox := &dataList[sim.InboxRow]{
		written: true,
		count:   func(s sim.Snapshot) int { return s.Counts.Inbox[name] },
		version: func(s sim.Snapshot) dataStamp { return dataStamp{s.Versions.Consumers} },
		text: func(r sim.InboxRow, col int) (string, dataTone) {
			switch col {
			case 0:
				return short(r.EventID), tonePlain
			case 1:
				return short(r.OrderID), tonePlain
			}
			return dataTime(r.ProcessedAt), tonePlain
		},
	}
	inbox.page.read = func(ctx context.Context, lab *sim.Lab, offset, limit int) ([]sim.InboxRow, error) {
		return lab.Inbox(ctx, name, offset, limit)
	}
	inboxCols := []dataColumn{{"event (primary key)", dataIDSample}, {"order", dataIDSample}, {"processed at", "+10m30s"}}

	names := []string{effectName, "Inbox · processed_events"}
	pg := &dataPageTab{
		name:   strings.ToUpper(name[:1]) + name[1:],
		tables: []*dataTab{newDataTab(effectCols, effects), newDataTab(inboxCols, inbox)},
		names:  names,
	}
	for _, n := range names {
		l := widget.NewLabel(n + " (0)")
		l.TextStyle.Bold = true
		pg.captions = append(pg.captions, l)
	}
	return pg
}

// dataTime shows a stored lab timestamp as lab time since the start, the
// way the trace does ("+1m30s"); "—" when there is none.
func dataTime(s string) string {
	if s == "" {
		return "—"
	}
	t, err := time.Parse("2006-01-02T15:04:05.000Z", s)
	if err != nil {
		return s
	}
	return labTime(t.Sub(sim.LabEpoch))
}

func dataShortID(id string) string {
	if id == "" {
		return "—"
	}
	return short(id)
}

// dataShortFP shows the first eight hex digits of a body fingerprint:
// enough to see that two requests had different bodies.
func dataShortFP(fp string) string {
	if len(fp) > 8 {
		return fp[:8]
	}
	return fp
}

// dataPhantoms reads which orders no-phantom-event names ("event X for
// order Y, which was never committed"), and whether it named them all.
func dataPhantoms(results []sim.InvariantResult) (map[string]bool, bool) {
	out := map[string]bool{}
	for _, r := range results {
		if r.Name != sim.NoPhantomEvent {
			continue
		}
		named := 0
		for _, b := range r.Broken {
			if _, rest, ok := strings.Cut(b, " for order "); ok {
				id, _, _ := strings.Cut(rest, ",")
				out[id] = true
				named++
			}
		}
		return out, named >= r.Count
	}
	return out, true
}

// dataDuplicates reads which orders exactly-once-effect says consumer
// applied more than once ("warehouse applied order X 2 times").
func dataDuplicates(results []sim.InvariantResult, consumer string) map[string]int {
	out := map[string]int{}
	for _, r := range results {
		if r.Name != sim.ExactlyOnceEffect {
			continue
		}
		for _, b := range r.Broken {
			var who, id string
			var n int
			if _, err := fmt.Sscanf(b, "%s applied order %s %d times", &who, &id, &n); err == nil && who == consumer {
				out[id] = n
			}
		}
	}
	return out
}
