package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

var dataBook = sim.OrderRequest{Item: "book", Qty: 1}

// newTestDataPanel builds the data panel alone on Fyne's test driver, with
// a controller on a fresh lab (as newTestWindow does, without the other
// panels), so the test can reach its tables.
func newTestDataPanel(t *testing.T) (*dataPanel, *Controller) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newLabTheme(1, false))
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	p := buildDataPanel(c)
	w := test.NewTempWindow(t, p.tabs)
	w.Resize(fyne.NewSize(1000, 500))
	c.Refresh()
	c.Wait()
	return p, c
}

// dataDo runs a lab command on the controller and waits for its view.
func dataDo(t *testing.T, c *Controller, cmd func(l *sim.Lab) error) {
	t.Helper()
	var err error
	c.Run(func(l *sim.Lab) (string, error) { err = cmd(l); return "", err })
	c.Wait()
	require.NoError(t, err)
}

func dataSend(keys ...string) func(l *sim.Lab) error {
	return func(l *sim.Lab) error {
		for _, k := range keys {
			if o := l.Send(k, dataBook); o.Result != sim.ResultCreated {
				return fmt.Errorf("send %s: %s", k, o.Result)
			}
		}
		return nil
	}
}

// show selects a tab by name, as a user clicking it would.
func (p *dataPanel) show(t *testing.T, name string) *dataPageTab {
	t.Helper()
	for i, pg := range p.pages {
		if pg.name == name {
			p.tabs.SelectIndex(i)
			return pg
		}
	}
	t.Fatalf("no tab %q", name)
	return nil
}

// shownCell finds the cell the table draws on screen for row, col.
func dataShownCell(t testing.TB, dt *dataTab, row, col int) *dataCell {
	t.Helper()
	var found *dataCell
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *dataCell:
			if o.id.Row == row && o.id.Col == col && o.Visible() {
				found = o
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c)
			}
		}
	}
	walk(dt.table)
	require.NotNilf(t, found, "row %d, column %d is not on screen", row, col)
	return found
}

func dataColumnIndex(t testing.TB, dt *dataTab, title string) int {
	t.Helper()
	for i, c := range dt.cols {
		if c.title == title {
			return i
		}
	}
	t.Fatalf("no column %q", title)
	return -1
}

func dataCellText(t testing.TB, dt *dataTab, row int, title string) string {
	t.Helper()
	return dataShownCell(t, dt, row, dataColumnIndex(t, dt, title)).text
}

func TestDataSendingAnOrderShowsItsRow(t *testing.T) {
	p, c := newTestDataPanel(t)
	orders := p.show(t, "Orders")
	require.Equal(t, "Orders (0)", orders.item.Text)

	dataDo(t, c, dataSend("k1"))

	require.Equal(t, "Orders (1)", orders.item.Text)
	require.Equal(t, "Outbox (1)", p.show(t, "Outbox").item.Text)
	require.Equal(t, "Redis keys (1)", p.show(t, "Redis keys").item.Text)
	p.show(t, "Orders")
	table := orders.tables[0]
	require.Equal(t, "k1", dataCellText(t, table, 0, "key"))
	require.Equal(t, "book", dataCellText(t, table, 0, "item"))
	require.Equal(t, short(c.Lab().Client().History()[0].OrderID), dataCellText(t, table, 0, "id"))
	require.True(t, dataShownCell(t, table, 0, 0).fresh, "a new row is highlighted")

	c.Refresh()
	c.Wait()
	require.False(t, dataShownCell(t, table, 0, 0).fresh, "until the next view")
}

func TestDataARelayStepPublishesTheOutboxRow(t *testing.T) {
	p, c := newTestDataPanel(t)
	outbox := p.show(t, "Outbox").tables[0]
	dataDo(t, c, dataSend("k1"))
	require.Equal(t, "pending", dataCellText(t, outbox, 0, "status"))
	require.Equal(t, "—", dataCellText(t, outbox, 0, "published at"))

	dataDo(t, c, func(l *sim.Lab) error { _, err := l.StepRelay(); return err })

	require.Equal(t, "published", dataCellText(t, outbox, 0, "status"))
	require.Equal(t, toneGood, dataShownCell(t, outbox, 0, dataColumnIndex(t, outbox, "status")).tone)
	require.Equal(t, "1", dataCellText(t, outbox, 0, "attempts"))
	require.True(t, dataShownCell(t, outbox, 0, 0).fresh, "a row that changed is highlighted like a new one")
	require.Equal(t, "Broker log (1)", p.show(t, "Broker log").item.Text)
	require.Equal(t, "Deliveries (2)", p.show(t, "Deliveries").item.Text)
}

func TestDataRedisKeysShowStateAndTTL(t *testing.T) {
	p, c := newTestDataPanel(t)
	keys := p.show(t, "Redis keys").tables[0]
	dataDo(t, c, dataSend("k2", "k1"))

	require.Equal(t, "k1", dataCellText(t, keys, 0, "key"), "keys are sorted")
	require.Equal(t, "k2", dataCellText(t, keys, 1, "key"))
	require.Equal(t, sim.KeyCompleted, dataCellText(t, keys, 0, "state"))
	require.Equal(t, "201", dataCellText(t, keys, 0, "status"))
	require.Equal(t, "24h0m0s", dataCellText(t, keys, 0, "ttl"))
	require.Len(t, dataCellText(t, keys, 0, "fp"), 8)

	dataDo(t, c, dataSend("k0"))
	require.Equal(t, "k0", dataCellText(t, keys, 0, "key"))
	require.True(t, dataShownCell(t, keys, 0, 0).fresh, "the new key is highlighted")
	require.False(t, dataShownCell(t, keys, 1, 0).fresh, "k1 only moved down")
}

func TestDataConsumerTabsShowEffectsAndInbox(t *testing.T) {
	p, c := newTestDataPanel(t)
	warehouse := p.show(t, "Warehouse")
	dataDo(t, c, dataSend("k1"))
	dataDo(t, c, func(l *sim.Lab) error { _, err := l.Drain(); return err })

	require.Equal(t, "Warehouse (1)", warehouse.item.Text)
	require.Equal(t, "Shipments (1)", warehouse.captions[0].Text)
	require.Equal(t, "Inbox · processed_events (1)", warehouse.captions[1].Text)
	require.Equal(t, "ship 1 × book", dataCellText(t, warehouse.tables[0], 0, "effect"))
	require.Equal(t, "×1", dataCellText(t, warehouse.tables[0], 0, "applied"))
	order := short(c.Lab().Client().History()[0].OrderID)
	require.Equal(t, order, dataCellText(t, warehouse.tables[1], 0, "order"))
	require.Equal(t, "Email (1)", p.show(t, "Email").item.Text)
}

func TestDataAnOrderAppliedTwiceIsMarkedInRed(t *testing.T) {
	p, c := newTestDataPanel(t)
	warehouse := p.show(t, "Warehouse").tables[0]
	dataDo(t, c, func(l *sim.Lab) error {
		if err := l.Set("dedup", "off"); err != nil {
			return err
		}
		if err := l.SetBrokerFault(sim.BrokerDuplicate); err != nil {
			return err
		}
		l.Send("k1", dataBook)
		_, err := l.Drain()
		return err
	})

	require.Equal(t, 2, warehouse.rows)
	for row := range 2 {
		cell := dataShownCell(t, warehouse, row, dataColumnIndex(t, warehouse, "applied"))
		require.Equal(t, "×2", cell.text)
		require.Equal(t, toneBad, cell.tone)
	}
}

func TestDataAPhantomEventIsMarked(t *testing.T) {
	p, c := newTestDataPanel(t)
	log := p.show(t, "Broker log").tables[0]
	dataDo(t, c, func(l *sim.Lab) error {
		if err := l.Set("publish", "before-commit"); err != nil {
			return err
		}
		if err := l.Arm("publish.after", sim.ModeCrashOnce); err != nil {
			return err
		}
		l.Send("k1", dataBook) // the publish is out, then the request dies: the order rolls back
		return nil
	})
	dataDo(t, c, dataSend("k2")) // before-commit still, but this one commits

	require.Equal(t, "Broker log (2)", p.pages[3].item.Text)
	require.Equal(t, "phantom", dataCellText(t, log, 0, "committed"))
	require.Equal(t, toneBad, dataShownCell(t, log, 0, dataColumnIndex(t, log, "committed")).tone)
	require.Equal(t, "yes", dataCellText(t, log, 1, "committed"))
}

func TestDataNewRowsScrollIntoView(t *testing.T) {
	p, c := newTestDataPanel(t)
	orders := p.show(t, "Orders").tables[0]
	for i := range 30 {
		dataDo(t, c, dataSend(fmt.Sprintf("k%02d", i)))
	}
	require.Equal(t, "k29", dataCellText(t, orders, 29, "key"), "the table followed the newest row")
	require.True(t, dataShownCell(t, orders, 29, 0).fresh)
}

func TestDataTablesReadOnlyThePageTheyShow(t *testing.T) {
	p, c := newTestDataPanel(t)
	orders := p.show(t, "Orders").tables[0].src.(*dataList[sim.OrderRow])
	outbox := p.pages[2].tables[0].src.(*dataList[sim.OutboxRow])
	dataDo(t, c, func(l *sim.Lab) error { return l.Populate(context.Background(), 5000) })

	require.Equal(t, "Orders (5000)", p.pages[1].item.Text)
	require.Equal(t, "Outbox (5000)", p.pages[2].item.Text)
	require.LessOrEqual(t, len(orders.page.rows), dataPageSize, "one page, not the whole table")
	require.LessOrEqual(t, orders.page.reads, 2, "the top page, then the bottom the table follows")
	require.Zero(t, outbox.page.reads, "a hidden tab reads nothing")
	require.Equal(t, "bulk-005000", dataCellText(t, p.pages[1].tables[0], 4999, "key"), "the table followed the newest row")
	dataDo(t, c, dataSend("k0"))
	require.Equal(t, "k0", dataCellText(t, p.pages[1].tables[0], 5000, "key"), "and follows it still")

	p.show(t, "Outbox")
	require.Equal(t, 1, outbox.page.reads)
	c.Refresh()
	c.Wait()
	require.Equal(t, 1, outbox.page.reads, "a view that changed nothing reads nothing")

	p.show(t, "Orders").tables[0].table.ScrollToTop()
	reads := orders.page.reads
	require.Equal(t, "bulk-000001", dataCellText(t, p.pages[1].tables[0], 0, "key"))
	reads = orders.page.reads - reads
	require.LessOrEqual(t, reads, 1, "the top page, once")
	before := orders.page.reads
	dataDo(t, c, dataSend("k1"))
	require.Equal(t, "Orders (5002)", p.pages[1].item.Text)
	require.Equal(t, before, orders.page.reads, "orders never change once written: a new one leaves the top page as it was")
}

func TestDataANewLabEmptiesTheTables(t *testing.T) {
	p, c := newTestDataPanel(t)
	p.show(t, "Orders")
	dataDo(t, c, dataSend("k1", "k2"))
	c.Reset()
	c.Wait()
	require.Equal(t, "Orders (0)", p.pages[1].item.Text)
	require.Equal(t, "Redis keys (0)", p.pages[0].item.Text)
	dataDo(t, c, dataSend("k9"))
	require.Equal(t, "k9", dataCellText(t, p.pages[1].tables[0], 0, "key"))
	require.True(t, dataShownCell(t, p.pages[1].tables[0], 0, 0).fresh)
}

func TestDataTheMainWindowShowsTheDataTabs(t *testing.T) {
	mw, c := newTestWindow(t)
	dataDo(t, c, dataSend("k1"))
	var titles []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *container.AppTabs:
			for _, it := range o.Items {
				titles = append(titles, it.Text)
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c)
			}
		}
	}
	walk(mw.win.Content())
	require.Contains(t, titles, "Orders (1)")
	require.Contains(t, titles, "Redis keys (1)")
}

// dataCounting is a source of n rows that says "row i" everywhere.
type dataCounting struct{ n int }

func (s *dataCounting) sync(View) (int, bool) { return s.n, true }
func (s *dataCounting) cell(row, _ int) (string, dataTone) {
	return fmt.Sprintf("row %d", row), tonePlain
}
func (s *dataCounting) fresh(int) bool { return false }

func TestDataATableOfAHundredThousandRowsFollowsToItsLastRow(t *testing.T) {
	a := test.NewTempApp(t)
	for _, scale := range Scales {
		t.Run(fmt.Sprintf("at scale %v", scale), func(t *testing.T) {
			a.Settings().SetTheme(newLabTheme(scale, false))
			src := &dataCounting{}
			dt := newDataTab([]dataColumn{{"n", "row 100000"}}, src)
			w := test.NewTempWindow(t, dt)
			w.Resize(fyne.NewSize(400, 500))
			for _, n := range []int{3, 100_000, 100_001} {
				src.n = n
				dt.sync(View{})
				dt.draw()
				require.Equal(t, fmt.Sprintf("row %d", n-1), dataShownCell(t, dt, n-1, 0).text)
			}
		})
	}
}

func TestDataInvariantTextsAreReadForMarks(t *testing.T) {
	results := []sim.InvariantResult{
		{Name: sim.NoPhantomEvent, Count: 2, Broken: []string{
			"event c4027b85 for order b7d64880, which was never committed",
			"event 11111111 for order b7d64880, which was never committed",
		}},
		{Name: sim.ExactlyOnceEffect, Count: 2, Broken: []string{
			"email applied order 5e7a086a 2 times",
			"warehouse applied order 5e7a086a 3 times",
		}},
	}
	phantoms, all := dataPhantoms(results)
	require.Equal(t, map[string]bool{"b7d64880": true}, phantoms)
	require.True(t, all, "two events of one order, both named")

	results[0].Count = 25 // "… and 23 more"
	_, all = dataPhantoms(results)
	require.False(t, all)

	require.Equal(t, map[string]int{"5e7a086a": 3}, dataDuplicates(results, "warehouse"))
	require.Equal(t, map[string]int{"5e7a086a": 2}, dataDuplicates(results, "email"))
}
