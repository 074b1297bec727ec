package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// BenchmarkRefreshAfterStepWith100kRows times what the UI goroutine does
// after one step on a big lab: 100,000 orders and outbox rows, published,
// so 200,000 deliveries, effects and inbox rows. Each iteration sends one
// order through the whole pipeline (send, relay step, consumers), so every
// table's version moves; the step and the View (the controller's worker
// reads it) run outside the timer. The timer covers the data panel's
// refresh: every table syncs, titles change, and the visible table reads
// the page it shows and redraws its cells.
//
// "bottom" is a table following its newest rows, so the page at offset
// ~100,000 is read after every step; "top" is a table left at its first
// rows (orders never change once written, so that page is kept). The
// sim's row accessors page with LIMIT/OFFSET, and SQLite walks every row
// before the offset: one page at the end of 100,000 rows costs about 10 ms
// (orders, effects, inbox) to 30 ms (outbox), most of the "bottom" figures
// for those tables.
//
//	go test ./ui -run '^$' -bench RefreshAfterStepWith100kRows -benchtime 100x
func BenchmarkRefreshAfterStepWith100kRows(b *testing.B) {
	a := test.NewTempApp(b)
	a.Settings().SetTheme(newLabTheme(1, false))
	var deliver func() // the latest view's delivery, held until the timer runs
	c, err := NewController(sim.Options{Seed: 1}, func(fn func()) { deliver = fn })
	require.NoError(b, err)
	b.Cleanup(c.Close)

	var setupErr error
	c.Run(func(l *sim.Lab) (string, error) {
		if setupErr = l.Populate(context.Background(), 100_000); setupErr != nil {
			return "", setupErr
		}
		_, setupErr = l.Drain()
		return "", setupErr
	})
	c.Wait()
	require.NoError(b, setupErr)

	p := buildDataPanel(c)
	w := a.NewWindow("data")
	b.Cleanup(w.Close)
	w.SetContent(p.tabs)
	w.Resize(fyne.NewSize(1200, 600))
	c.Refresh()
	c.Wait()
	deliver()
	require.Equal(b, "Deliveries (200000)", p.pages[4].item.Text)

	n := 0
	step := func(b *testing.B) {
		b.Helper()
		n++
		key := fmt.Sprintf("bench-%d", n)
		var err error
		c.Run(func(l *sim.Lab) (string, error) {
			if o := l.Send(key, sim.OrderRequest{Item: "book", Qty: 1}); o.Result != sim.ResultCreated {
				return "", fmt.Errorf("send: %s", o.Result)
			}
			if _, err = l.StepRelay(); err != nil {
				return "", err
			}
			_, err = l.ConsumeAll()
			return "", err
		})
		c.Wait()
		require.NoError(b, err)
	}

	for _, bc := range []struct {
		tab    string
		bottom bool
	}{
		{"Orders", true}, {"Orders", false}, {"Outbox", true}, {"Broker log", true},
		{"Deliveries", true}, {"Warehouse", true}, {"Redis keys", true},
	} {
		where := "top"
		if bc.bottom {
			where = "bottom"
		}
		b.Run(bc.tab+"/"+where, func(b *testing.B) {
			var pg *dataPageTab
			for i, it := range p.pages {
				if it.name == bc.tab {
					p.tabs.SelectIndex(i)
					pg = it
				}
			}
			for _, t := range pg.tables {
				if bc.bottom {
					t.table.ScrollToBottom()
				} else {
					t.table.ScrollToTop()
				}
			}
			reads := pageReads(pg)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				step(b)
				b.StartTimer()
				deliver() // every subscriber: sync, titles, the visible tables redraw
				w.Canvas().Refresh(p.tabs)
			}
			b.StopTimer()
			b.ReportMetric(float64(pageReads(pg)-reads)/float64(b.N), "pages/op")
			require.Equal(b, fmt.Sprintf("Orders (%d)", 100_000+n), p.pages[1].item.Text)
			if bc.bottom && bc.tab == "Orders" {
				last := pg.tables[0].shown - 1
				require.Equal(b, fmt.Sprintf("bench-%d", n), dataCellText(b, pg.tables[0], last, "key"), "the newest order is on screen")
			}
		})
	}
}

// pageReads counts the pages a tab's tables have read.
func pageReads(pg *dataPageTab) int {
	n := 0
	for _, t := range pg.tables {
		switch s := t.src.(type) {
		case *dataList[sim.OrderRow]:
			n += s.page.reads
		case *dataList[sim.OutboxRow]:
			n += s.page.reads
		case *dataList[sim.Message]:
			n += s.page.reads
		case *dataList[sim.EffectRow]:
			n += s.page.reads
		case *dataList[sim.InboxRow]:
			n += s.page.reads
		case *dataKeys:
			n += s.page.reads
		case *dataJoin:
			for _, part := range s.parts {
				n += part.(*dataList[sim.Delivery]).page.reads
			}
		}
	}
	return n
}
