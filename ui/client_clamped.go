package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// clampedText is text wrapped at word boundaries onto at most Lines lines,
// the last one ending in "…" when the text is longer. It does what a Label
// with both Wrapping and Truncation means to do, without needing a height
// of its own: the response list and the switches note use it in fixed
// boxes, where a stale size after a theme change is harmless.
type clampedText struct {
	widget.BaseWidget
	Text     string
	Lines    int
	SizeName fyne.ThemeSizeName
	Style    fyne.TextStyle
	WidthEm  float32 // minimum width, in ems of the text size; 0 for none
}

func newClampedText(lines int, size fyne.ThemeSizeName) *clampedText {
	t := &clampedText{Lines: lines, SizeName: size}
	t.ExtendBaseWidget(t)
	return t
}

// SetText shows s.
func (t *clampedText) SetText(s string) {
	if s == t.Text {
		return
	}
	t.Text = s
	t.Refresh()
}

func (t *clampedText) CreateRenderer() fyne.WidgetRenderer {
	r := &clampedRenderer{t: t}
	for range max(t.Lines, 1) {
		r.lines = append(r.lines, canvas.NewText("", theme.Color(theme.ColorNameForeground)))
	}
	return r
}

type clampedRenderer struct {
	t     *clampedText
	lines []*canvas.Text
	size  fyne.Size
}

func (r *clampedRenderer) metrics() (textSize, lineHeight, pad float32) {
	th := r.t.Theme()
	textSize = th.Size(r.t.SizeName)
	lineHeight = fyne.MeasureText("Mg", textSize, r.t.Style).Height
	return textSize, lineHeight, th.Size(theme.SizeNameInnerPadding)
}

func (r *clampedRenderer) MinSize() fyne.Size {
	ts, lh, pad := r.metrics()
	return fyne.NewSize(r.t.WidthEm*ts+2*pad, lh*float32(len(r.lines)))
}

func (r *clampedRenderer) Layout(size fyne.Size) {
	r.size = size
	ts, lh, pad := r.metrics()
	width := size.Width - 2*pad
	measure := func(s string) float32 { return fyne.MeasureText(s, ts, r.t.Style).Width }
	wrapped := clampLines(r.t.Text, width, len(r.lines), measure)
	top := (size.Height - lh*float32(len(wrapped))) / 2
	for i, line := range r.lines {
		line.Text = ""
		if i < len(wrapped) {
			line.Text = wrapped[i]
		}
		line.Move(fyne.NewPos(pad, top+float32(i)*lh))
		line.Resize(fyne.NewSize(width, lh))
	}
}

func (r *clampedRenderer) Refresh() {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for _, line := range r.lines {
		line.TextSize = th.Size(r.t.SizeName)
		line.TextStyle = r.t.Style
		line.Color = th.Color(theme.ColorNameForeground, v)
	}
	r.Layout(r.size)
	for _, line := range r.lines {
		line.Refresh()
	}
}

func (r *clampedRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(r.lines))
	for i, l := range r.lines {
		objs[i] = l
	}
	return objs
}

func (r *clampedRenderer) Destroy() {}

// clampLines wraps text at spaces into lines no wider than width and keeps
// at most n of them, ending the last in "…" when text was cut.
func clampLines(text string, width float32, n int, measure func(string) float32) []string {
	words := strings.Fields(text)
	var lines []string
	cur := ""
	for i, w := range words {
		next := w
		if cur != "" {
			next = cur + " " + w
		}
		if cur == "" || measure(next) <= width {
			cur = next
			continue
		}
		if len(lines)+1 == n { // the last line: the rest goes on it, cut short
			return ellipsize(append(lines, cur), strings.Join(words[i:], " "), width, measure)
		}
		lines = append(lines, cur)
		cur = w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, line := range lines { // a word longer than a line
		if measure(line) > width {
			lines[i] = ellipsize(nil, line, width, measure)[0]
		}
	}
	return lines
}

// ellipsize appends rest to the last line (or as a new one when lines is
// short) cut to width with "…".
func ellipsize(lines []string, rest string, width float32, measure func(string) float32) []string {
	last := rest
	if len(lines) > 0 {
		last = lines[len(lines)-1] + " " + rest
		lines = lines[:len(lines)-1]
	}
	runes := []rune(last)
	for len(runes) > 0 && measure(string(runes)+"…") > width {
		runes = runes[:len(runes)-1]
	}
	return append(lines, strings.TrimRight(string(runes), " ")+"…")
}
