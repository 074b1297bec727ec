package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

func newTestInvariantLights(t *testing.T) (*invariantLights, *Controller) {
	t.Helper()
	_, c := newThemedTestController(t, 1)
	l := buildInvariantLights(c)
	w := test.NewTempWindow(t, l.content)
	w.Resize(fyne.NewSize(400, 700))
	c.Refresh()
	c.Wait()
	return l, c
}

func TestEveryLightIsGreenOnAFreshLab(t *testing.T) {
	l, _ := newTestInvariantLights(t)
	require.Len(t, l.rows, len(sim.InvariantNames))
	for _, name := range sim.InvariantNames {
		row := l.rows[name]
		assert.True(t, row.light.ok, name)
		assert.Equal(t, themeColor(colorGood), lightColor(row), name)
		assert.Equal(t, "holds", row.status.Text, name)
		assert.Equal(t, sim.InvariantDocs[name], row.doc.Text, name)
		assert.False(t, row.broken.Visible(), name)
	}
}

func TestARetryWithoutIdempotencyTurnsOneOrderPerKeyRed(t *testing.T) {
	l, c := newTestInvariantLights(t)
	c.Run(func(l *sim.Lab) (string, error) {
		if err := l.Set("idempotency", "off"); err != nil {
			return "", err
		}
		l.LoseNextResponse()
		l.Send("k1", sim.OrderRequest{Item: "book", Qty: 1})
		_, err := l.Retry("k1")
		return "", err
	})
	c.Wait()

	row := l.rows[sim.OneOrderPerKey]
	assert.False(t, row.light.ok)
	assert.Equal(t, themeColor(colorBad), lightColor(row))
	assert.True(t, row.broken.Visible())
	assert.Contains(t, row.broken.Text, "key k1")
	assert.Contains(t, row.status.Text, "broken")

	for _, name := range sim.InvariantNames[1:] {
		assert.True(t, l.rows[name].light.ok, "%s stays green", name)
	}

	t.Run("and a fresh lab turns it green again", func(t *testing.T) {
		c.Reset()
		c.Wait()
		assert.True(t, row.light.ok)
		assert.Equal(t, themeColor(colorGood), lightColor(row))
		assert.False(t, row.broken.Visible())
	})
}

// lightColor is the fill of a row's drawn circle.
func lightColor(row *invariantRow) any {
	r := test.WidgetRenderer(row.light).(*lightDotRenderer)
	return r.circle.FillColor
}
