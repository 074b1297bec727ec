package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Scales are the presenter font scales offered in the toolbar.
var Scales = []float32{1, 1.5, 2}

// labTheme is Fyne's default theme with a size scale, for projectors, and a
// fixed light or dark variant, so screenshots do not depend on the desktop.
type labTheme struct {
	fyne.Theme
	scale float32
	dark  bool
}

func newLabTheme(scale float32, dark bool) *labTheme {
	return &labTheme{Theme: theme.DefaultTheme(), scale: scale, dark: dark}
}

func (t *labTheme) variant() fyne.ThemeVariant {
	if t.dark {
		return theme.VariantDark
	}
	return theme.VariantLight
}

// Color uses the chosen variant whatever the desktop asks for, and adds the
// lab's own colours for invariant lights and highlights.
func (t *labTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case colorGood:
		return color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4f, A: 0xff}
	case colorBad:
		return color.NRGBA{R: 0xd6, G: 0x3a, B: 0x3a, A: 0xff}
	case colorFresh:
		if t.dark {
			return color.NRGBA{R: 0x3b, G: 0x5b, B: 0x2a, A: 0xff}
		}
		return color.NRGBA{R: 0xe3, G: 0xf6, B: 0xd3, A: 0xff}
	}
	return t.Theme.Color(n, t.variant())
}

// Size scales every text size and padding by the presenter scale.
func (t *labTheme) Size(n fyne.ThemeSizeName) float32 {
	return t.Theme.Size(n) * t.scale
}

// The lab's colour names.
const (
	colorGood  fyne.ThemeColorName = "outboxlab-good"
	colorBad   fyne.ThemeColorName = "outboxlab-bad"
	colorFresh fyne.ThemeColorName = "outboxlab-fresh"
)

// themeColor reads a colour of the app's current theme.
func themeColor(n fyne.ThemeColorName) color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(n, fyne.CurrentApp().Settings().ThemeVariant())
}
