package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"outboxlab/sim"
)

func TestChoosingASwitchSetsItOnTheLab(t *testing.T) {
	tests := []struct {
		name, value string
		check       func(sim.Switches) bool
	}{
		{"idempotency", "off", func(s sim.Switches) bool { return s.Idempotency == sim.IdempotencyOff }},
		{"publish", "after-commit", func(s sim.Switches) bool { return s.Publish == sim.PublishAfterCommit }},
		{"dedup", "off", func(s sim.Switches) bool { return !s.Dedup }},
		{"conflicts", "409", func(s sim.Switches) bool { return s.Conflicts == sim.Conflicts409 }},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value+" reaches the lab and is explained", func(t *testing.T) {
			p := newTestPanels(t)
			p.switches.selects[tt.name].SetSelected(tt.value)
			p.c.Wait()

			assert.True(t, tt.check(p.c.Lab().Switches()), "lab switches: %s", p.c.Lab().Switches())
			assert.Contains(t, p.switches.explain.Text, switchDoc(tt.name, tt.value))
		})
	}
}

func TestTheBarShowsTheLabsSwitchesWithoutSettingThemAgain(t *testing.T) {
	p := newTestPanels(t)
	Do(p.c, "", func(l *sim.Lab) error { return l.Set("dedup", "off") })
	p.c.Wait()

	assert.Equal(t, "off", p.switches.selects["dedup"].Selected)
	assert.Contains(t, p.switches.explain.Text, "duplicates included", "the changed switch is explained")
	assert.Len(t, p.c.Lab().Actions(), 1, "no second set from the bar")

	p.c.Reset()
	p.c.Wait()
	assert.Equal(t, "on", p.switches.selects["dedup"].Selected)
	assert.Empty(t, p.c.Lab().Actions(), "a fresh lab is shown, not changed")
}

func TestEverySwitchHasItsChoices(t *testing.T) {
	p := newTestPanels(t)
	for _, sw := range sim.SwitchChoices {
		assert.Equal(t, sw.Values, p.switches.selects[sw.Name].Options)
		assert.Equal(t, sim.DefaultSwitches().Values()[sw.Name], p.switches.selects[sw.Name].Selected)
	}
}
