package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

// sendOrder sends one order with key straight to the lab.
func sendOrder(t *testing.T, c *Controller, key string) {
	t.Helper()
	c.Run(func(l *sim.Lab) (string, error) {
		l.Send(key, sim.OrderRequest{Item: "book", Qty: 1})
		return "", nil
	})
	c.Wait()
}

func TestARelayStepPublishesTheOutboxRow(t *testing.T) {
	p := newTestPanels(t)
	sendOrder(t, p.c, "k1")
	assert.Equal(t, "1", p.relay.pending.Value())
	assert.Equal(t, "0", p.relay.published.Value())

	test.Tap(p.relay.step)
	p.c.Wait()

	assert.Equal(t, "1", p.relay.published.Value())
	assert.Equal(t, "0", p.relay.pending.Value())
	assert.Equal(t, "1", p.relay.log.Value())
	assert.Equal(t, "1", p.relay.queued["warehouse"].Value())
	assert.Contains(t, p.view.Status, "relay step: fetched 1, published 1")
}

func TestDrainAndTheConsumerButtonsApplyTheEffects(t *testing.T) {
	p := newTestPanels(t)
	sendOrder(t, p.c, "k1")
	test.Tap(p.relay.step)
	p.c.Wait()

	test.Tap(p.relay.consumers["warehouse"])
	p.c.Wait()
	assert.Equal(t, "1", p.relay.effects["warehouse"].Value())
	assert.Equal(t, "0", p.relay.effects["email"].Value())

	test.Tap(p.relay.consumeAll)
	p.c.Wait()
	assert.Equal(t, "1", p.relay.effects["email"].Value())

	sendOrder(t, p.c, "k2")
	test.Tap(p.relay.drain)
	p.c.Wait()
	assert.Equal(t, "2", p.relay.effects["warehouse"].Value())
	assert.Equal(t, "2", p.relay.effects["email"].Value())
	assert.Contains(t, p.view.Status, "drain:")
}

func TestABrokerDownMakesRowsWaitAndDieThenRequeue(t *testing.T) {
	p := newTestPanels(t)
	sendOrder(t, p.c, "k1")
	assert.True(t, p.relay.requeue.Disabled(), "nothing is dead yet")
	p.relay.broker.SetSelected(string(sim.BrokerDown))
	p.c.Wait()
	assert.Equal(t, "down", p.relay.fault.Value())

	test.Tap(p.relay.drain)
	p.c.Wait()
	assert.Equal(t, "1", p.relay.dead.Value())
	require.False(t, p.relay.requeue.Disabled())

	p.relay.broker.SetSelected(string(sim.BrokerUp))
	test.Tap(p.relay.requeue)
	p.c.Wait()
	assert.Equal(t, "1", p.relay.pending.Value())
	test.Tap(p.relay.step)
	p.c.Wait()
	assert.Equal(t, "1", p.relay.published.Value())
}

func TestBatchAndTimeAndRedisReachTheLab(t *testing.T) {
	p := newTestPanels(t)
	assert.Equal(t, "100", p.relay.batch.Selected, "the lab's default batch")

	p.relay.batch.SetSelected("10")
	p.c.Wait()
	assert.Equal(t, 10, p.c.Lab().RelayBatch())

	p.relay.advanceBy.SetSelected("31s")
	test.Tap(p.relay.advance)
	p.c.Wait()
	assert.Equal(t, "+31s", p.relay.clock.Value())

	sendOrder(t, p.c, "k1")
	test.Tap(p.relay.redis)
	p.c.Wait()
	keys, n, err := p.c.Lab().RedisKeys(t.Context(), 0, 10)
	require.NoError(t, err)
	assert.Zero(t, n, "Redis lost its keys: %v", keys)
}

func TestRunAndPauseTheAutomaticRelay(t *testing.T) {
	p := newTestPanels(t)
	assert.Equal(t, "Run", p.relay.auto.Text)

	test.Tap(p.relay.auto)
	p.c.Wait()
	assert.Equal(t, "Pause", p.relay.auto.Text)

	test.Tap(p.relay.auto)
	p.c.Wait()
	assert.Equal(t, "Run", p.relay.auto.Text)

	test.Tap(p.relay.auto)
	p.c.Wait()
	p.c.Reset()
	p.c.Wait()
	assert.Equal(t, "Run", p.relay.auto.Text, "a fresh lab is not running by itself")
}

func TestRatesAreStepsPerSecond(t *testing.T) {
	assert.Equal(t, []time.Duration{time.Second, 200 * time.Millisecond, 50 * time.Millisecond},
		[]time.Duration{rateInterval(relayRates[0]), rateInterval(relayRates[1]), rateInterval(relayRates[2])})
}
