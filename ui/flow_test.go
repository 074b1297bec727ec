package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

func TestPauseAtIdemReservedShowsThePausedRequestWithResume(t *testing.T) {
	p := newTestPanels(t)
	p.flow.rows["idem.reserved"].mode.SetSelected(string(sim.ModePause))
	p.c.Wait()
	test.Tap(p.client.send)
	p.c.Wait()

	row := p.flow.rows["idem.reserved"]
	require.Len(t, row.items, 1, "the paused request sits on its point")
	var parked *parkedItem
	for _, it := range row.items {
		parked = it
	}
	assert.Equal(t, "req-1 waiting (key k1)", parked.label.Text)
	assert.Equal(t, 1, len(row.parked.Objects))
	assert.Contains(t, responseText(t, p.client, 0), "waiting (paused)")

	t.Run("Resume completes it", func(t *testing.T) {
		test.Tap(parked.resume)
		p.c.Wait()

		assert.Empty(t, row.items)
		assert.Empty(t, row.parked.Objects)
		assert.Contains(t, responseText(t, p.client, 0), "k1 · 201 created")
		assert.Contains(t, p.view.Status, "resumed req-1 at idem.reserved")
	})
}

func TestCrashingPausedWorkDropsTheConnection(t *testing.T) {
	p := newTestPanels(t)
	p.flow.rows["db.order_inserted"].mode.SetSelected(string(sim.ModePause))
	p.c.Wait()
	test.Tap(p.client.send)
	p.c.Wait()
	row := p.flow.rows["db.order_inserted"]
	require.Len(t, row.items, 1)

	for _, it := range row.items {
		test.Tap(it.crash)
	}
	p.c.Wait()

	assert.Empty(t, row.items)
	assert.Contains(t, responseText(t, p.client, 0), "connection dropped")
	assert.Equal(t, 0, p.view.Snap.Counts.Orders, "the open transaction rolled back")
}

func TestTheFlowShowsWhatTheLabArmed(t *testing.T) {
	p := newTestPanels(t)
	Do(p.c, "", func(l *sim.Lab) error { return l.Arm("relay.fetched", sim.ModeCrashAlways) })
	p.c.Wait()

	assert.Equal(t, string(sim.ModeCrashAlways), p.flow.rows["relay.fetched"].mode.Selected)
	assert.Len(t, p.c.Lab().Actions(), 1, "showing the lab's mode does not arm it again")

	p.c.Reset()
	p.c.Wait()
	assert.Equal(t, string(sim.ModeRun), p.flow.rows["relay.fetched"].mode.Selected, "a fresh lab has nothing armed")
	assert.Empty(t, p.c.Lab().Actions())
}

func TestPausedRelayWorkIsNamedByItsBatch(t *testing.T) {
	assert.Equal(t, "relay waiting (2 rows)", pausedText(sim.Paused{Work: "relay", Subject: "2 rows"}))
	assert.Equal(t, "consumer:email waiting (event 89abcdef)",
		pausedText(sim.Paused{Work: "consumer:email", Subject: "01234567-89abcdef"}))
}

func TestTheFlowListsEveryPointInFlowOrder(t *testing.T) {
	p := newTestPanels(t)
	require.Len(t, p.flow.rows, len(sim.Points))
	for _, pt := range sim.Points {
		assert.Equal(t, []string{"run", "pause", "crash-once", "crash-always"}, p.flow.rows[pt.Name].mode.Options, pt.Name)
	}
}

func TestWorkPausedFarDownTheStripIsScrolledIntoView(t *testing.T) {
	p := newTestPanels(t)
	p.flow.rows["consumer.received"].mode.SetSelected(string(sim.ModePause))
	test.Tap(p.client.send)
	p.c.Wait()
	require.Zero(t, p.flow.scroll.Offset.Y)

	test.Tap(p.relay.drain)
	p.c.Wait()

	row := p.flow.rows["consumer.received"]
	require.Len(t, row.items, 1)
	top := row.box.Position().Y
	assert.LessOrEqual(t, p.flow.scroll.Offset.Y, top)
	assert.GreaterOrEqual(t, p.flow.scroll.Offset.Y+p.flow.scroll.Size().Height, top+row.box.Size().Height)
	assert.Positive(t, p.flow.scroll.Offset.Y)
}
