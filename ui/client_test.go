package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// testPanels is the client, flow, relay panels and the switches bar on one
// controller, in a test window, with the last view they were sent.
type testPanels struct {
	c        *Controller
	client   *clientPanel
	flow     *flowPanel
	relay    *relayPanel
	switches *switchesBar
	view     View
}

func newTestPanels(t *testing.T) *testPanels {
	t.Helper()
	test.NewTempApp(t)
	c, err := NewController(sim.Options{Seed: 1}, onUI)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	p := &testPanels{c: c}
	p.switches = buildSwitchesBar(c)
	p.client = buildClientPanel(c)
	p.flow = buildFlowPanel(c)
	p.relay = buildRelayPanel(c)
	c.Subscribe(func(v View) { p.view = v })
	w := test.NewTempWindow(t, container.NewBorder(p.switches.root, nil, nil, nil,
		container.NewHSplit(container.NewVSplit(p.client.root, p.flow.root), p.relay.root)))
	w.Resize(fyne.NewSize(1280, 800))
	c.Refresh()
	c.Wait()
	return p
}

// responseText is the i-th row of the response list (0 is the newest) as
// the list draws it.
func responseText(t *testing.T, p *clientPanel, i int) string {
	t.Helper()
	require.Less(t, i, p.responses.Length(), "the response list is too short")
	item := p.createItem()
	p.updateItem(i, item)
	return item.(*responseItem).text.Text
}

func TestArmingACrashAndSendingShowsTheDroppedConnection(t *testing.T) {
	p := newTestPanels(t)
	p.flow.rows["db.committed"].mode.SetSelected(string(sim.ModeCrashOnce))
	p.c.Wait()
	require.Equal(t, sim.ModeCrashOnce, p.c.Lab().ArmedPoints()["db.committed"])

	test.Tap(p.client.send)
	p.c.Wait()

	assert.Contains(t, responseText(t, p.client, 0), "connection dropped")
	assert.Equal(t, string(sim.ModeRun), p.flow.rows["db.committed"].mode.Selected, "a crash-once point disarms after firing")
}

func TestSendingTwiceWithReuseLastKeyGetsTheReplay(t *testing.T) {
	p := newTestPanels(t)
	p.client.keyMode.SetSelected(keyReuse)

	test.Tap(p.client.send)
	p.c.Wait()
	test.Tap(p.client.send)
	p.c.Wait()

	require.Equal(t, 2, p.client.responses.Length())
	assert.Contains(t, responseText(t, p.client, 1), "k1 · 201 created")
	assert.Contains(t, responseText(t, p.client, 0), "k1 · 201 replayed")
}

func TestNewKeysCountUpAndRetryReusesTheLastOne(t *testing.T) {
	p := newTestPanels(t)
	assert.Equal(t, "next: k1", p.client.key.PlaceHolder)

	test.Tap(p.client.send)
	p.c.Wait()
	test.Tap(p.client.send)
	p.c.Wait()
	test.Tap(p.client.retry)
	p.c.Wait()

	hist := p.c.Lab().Client().History()
	require.Len(t, hist, 3)
	assert.Equal(t, []string{"k1", "k2", "k2"}, []string{hist[0].Key, hist[1].Key, hist[2].Key})
	assert.Equal(t, sim.ResultReplayed, hist[2].Result)
	assert.Equal(t, "next: k3", p.client.key.PlaceHolder)
}

func TestATypedKeyIsSentAsTyped(t *testing.T) {
	p := newTestPanels(t)
	p.client.keyMode.SetSelected(keyTyped)
	require.False(t, p.client.key.Disabled())
	p.client.key.SetText("order-42")

	test.Tap(p.client.send)
	p.c.Wait()

	assert.Contains(t, responseText(t, p.client, 0), "order-42 · 201 created")
}

func TestAQtyThatIsNotANumberIsAnErrorInTheStatus(t *testing.T) {
	p := newTestPanels(t)
	p.client.qty.SetText("two")

	test.Tap(p.client.send)
	p.c.Wait()

	assert.True(t, p.view.Failed)
	assert.Contains(t, p.view.Status, `qty must be a whole number`)
	assert.Empty(t, p.c.Lab().Client().History(), "nothing was sent")
}

func TestSendAgainWhilePausedGetsTheInFlightConflict(t *testing.T) {
	p := newTestPanels(t)
	assert.True(t, p.client.sendPaused.Disabled(), "nothing is paused yet")
	p.flow.rows["idem.reserved"].mode.SetSelected(string(sim.ModePause))
	p.c.Wait()

	test.Tap(p.client.send)
	p.c.Wait()
	require.False(t, p.client.sendPaused.Disabled())
	assert.Contains(t, p.client.sendPaused.Text, "k1")

	test.Tap(p.client.sendPaused)
	p.c.Wait()

	assert.Contains(t, responseText(t, p.client, 0), "k1 · 409 in-flight")
	assert.Contains(t, responseText(t, p.client, 1), "waiting (paused)")
}

func TestLosingTheNextResponseDropsItThoughTheOrderExists(t *testing.T) {
	p := newTestPanels(t)
	test.Tap(p.client.lose)
	p.c.Wait()
	test.Tap(p.client.send)
	p.c.Wait()

	assert.Contains(t, responseText(t, p.client, 0), "connection dropped")
	assert.Equal(t, 1, p.view.Snap.Counts.Orders)
}

func TestNewKeyComesAfterTheHighestKN(t *testing.T) {
	hist := []sim.Outcome{{Key: "k2"}, {Key: "k10"}, {Key: "k007"}, {Key: "bulk-1"}}
	assert.Equal(t, "k11", nextKey(hist))
	assert.Equal(t, "k1", nextKey(nil))
}

func TestClampedTextWrapsAndEndsInAnEllipsis(t *testing.T) {
	perRune := func(s string) float32 { return float32(len([]rune(s))) }
	tests := []struct {
		name  string
		text  string
		width float32
		want  []string
	}{
		{"short text stays on one line", "201 created", 20, []string{"201 created"}},
		{"text wraps at spaces", "one two three", 8, []string{"one two", "three"}},
		{"the last line is cut short", "one two three four five", 8, []string{"one two", "three f…"}},
		{"a word longer than the line is cut", "abcdefghijkl", 5, []string{"abcd…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, clampLines(tt.text, tt.width, 2, perRune))
		})
	}
}

func TestAnEmptyTypedKeyReachesTheServiceWhichRefusesIt(t *testing.T) {
	p := newTestPanels(t)
	p.client.keyMode.SetSelected(keyTyped)

	test.Tap(p.client.send)
	p.c.Wait()

	assert.Contains(t, responseText(t, p.client, 0), "400")
	assert.Equal(t, sim.ResultBadRequest, p.c.Lab().Client().History()[0].Result)
}
