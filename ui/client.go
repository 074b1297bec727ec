package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/sim"
)

// clientPanel is the HTTP client: the order body, how the Idempotency-Key
// is chosen, the send and retry buttons, and every answer the client got,
// newest first.
type clientPanel struct {
	c    *Controller
	root fyne.CanvasObject

	item, qty  *widget.Entry
	keyMode    *widget.Select
	key        *widget.Entry
	typed      string // what the user typed while "type one" was chosen
	send       *widget.Button
	retry      *widget.Button
	sendPaused *widget.Button
	lose       *widget.Button
	responses  *widget.List

	outcomes []sim.Outcome // as the client saw them, oldest first
	lab      *sim.Lab      // the lab outcomes came from
	version  int64         // its client version when they were read
}

// newClientPanel builds the client panel.
func newClientPanel(c *Controller, w fyne.Window) fyne.CanvasObject {
	return buildClientPanel(c).root
}

func buildClientPanel(c *Controller) *clientPanel {
	p := &clientPanel{c: c}
	p.item = widget.NewEntry()
	p.item.SetText("book")
	p.qty = widget.NewEntry()
	p.qty.SetText("1")
	p.key = widget.NewEntry()
	p.keyMode = widget.NewSelect(keyModes, p.keyModeChanged)
	fitOptions(p.keyMode)
	p.keyMode.SetSelected(keyNew)

	p.send = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), p.doSend)
	p.send.Importance = widget.HighImportance
	p.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), p.doRetry)
	p.sendPaused = widget.NewButtonWithIcon("Send again while paused", theme.ContentCopyIcon(), p.doSendWhilePaused)
	p.sendPaused.Disable()
	p.lose = widget.NewButtonWithIcon("Lose next response", theme.VisibilityOffIcon(), p.doLose)

	p.responses = widget.NewList(p.count, p.createItem, p.updateItem)
	for _, e := range []*widget.Entry{p.item, p.qty, p.key} {
		e.OnSubmitted = func(string) { p.doSend() } // Enter sends
	}

	body := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel("item"), nil, p.item),
		container.NewBorder(nil, nil, widget.NewLabel("qty"), nil, p.qty),
	)
	keyRow := container.NewBorder(nil, nil, p.keyMode, nil, p.key)
	buttons := newButtonFlow(p.send, p.retry, p.lose, p.sendPaused)
	top := container.NewVBox(
		panelHeading("Client", "POST /orders"),
		body,
		keyRow,
		buttons,
		widget.NewSeparator(),
	)
	// The list fills what the form leaves and keeps room for a few answers;
	// when the panel is short, the whole panel scrolls.
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(0, 3*p.createItem().MinSize().Height))
	p.root = container.NewScroll(container.NewBorder(top, nil, nil, nil, container.NewStack(room, p.responses)))
	c.Subscribe(p.refresh)
	return p
}

func (p *clientPanel) refresh(v View) {
	if v.Lab != p.lab || v.Snap.Versions.Client != p.version {
		grew := len(v.Client) > len(p.outcomes)
		p.lab, p.version, p.outcomes = v.Lab, v.Snap.Versions.Client, v.Client
		p.responses.Refresh()
		if grew {
			p.responses.ScrollToTop() // the newest answer is on top
		}
	}
	if pr, ok := pausedRequest(v.Snap.Paused); ok {
		p.sendPaused.SetText(fmt.Sprintf("Send again while paused (%s)", pr.Subject))
		p.sendPaused.Enable()
	} else {
		p.sendPaused.SetText("Send again while paused")
		p.sendPaused.Disable()
	}
	p.showKeyHint()
}

// keyModeChanged switches the key field between typing and showing which
// key the next send will use.
func (p *clientPanel) keyModeChanged(mode string) {
	if mode == keyTyped {
		p.key.SetText(p.typed)
		p.key.Enable()
	} else {
		if !p.key.Disabled() {
			p.typed = p.key.Text
		}
		p.key.SetText("")
		p.key.Disable()
	}
	p.showKeyHint()
}

// showKeyHint tells in the key field which key the next send will use.
func (p *clientPanel) showKeyHint() {
	switch p.keyMode.Selected {
	case keyTyped:
		p.key.SetPlaceHolder("type a key")
	case keyReuse:
		if k, ok := lastKey(p.outcomes); ok {
			p.key.SetPlaceHolder("last: " + k)
		} else {
			p.key.SetPlaceHolder("new: " + nextKey(p.outcomes))
		}
	default:
		p.key.SetPlaceHolder("next: " + nextKey(p.outcomes))
	}
}

// body reads the form on the UI goroutine; a bad qty becomes the command's error.
func (p *clientPanel) body() (sim.OrderRequest, error) {
	qty, err := parseQty(p.qty.Text)
	return sim.OrderRequest{Item: p.item.Text, Qty: qty}, err
}

func (p *clientPanel) doSend() {
	req, err := p.body()
	mode, typed := p.keyMode.Selected, p.key.Text
	p.c.Run(func(l *sim.Lab) (string, error) {
		if err != nil {
			return "", err
		}
		key, note := pickKey(mode, typed, l.Client().History())
		o := l.Send(key, req)
		return fmt.Sprintf("%ssent %d × %s with key %q → %s", note, req.Qty, req.Item, key, outcomeText(o)), nil
	})
}

func (p *clientPanel) doRetry() {
	p.c.Run(func(l *sim.Lab) (string, error) {
		key, ok := lastKey(l.Client().History())
		if !ok {
			return "", fmt.Errorf("nothing to retry yet: send an order first")
		}
		o, err := l.Retry(key)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("retried key %q with the same body → %s", key, outcomeText(o)), nil
	})
}

func (p *clientPanel) doSendWhilePaused() {
	p.c.Run(func(l *sim.Lab) (string, error) {
		pr, ok := pausedRequest(l.Paused())
		if !ok {
			return "", fmt.Errorf("no request is paused: arm a point with pause and send first")
		}
		o, err := l.Retry(pr.Subject)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("sent key %q again while %s waits at %s → %s", pr.Subject, pr.Work, pr.Point, outcomeText(o)), nil
	})
}

func (p *clientPanel) doLose() {
	Do(p.c, "the next response will be lost on its way back: the service does its work, the client sees a dropped connection",
		func(l *sim.Lab) error { l.LoseNextResponse(); return nil })
}

func (p *clientPanel) count() int { return len(p.outcomes) }

// outcomeAt is the i-th row of the list: newest first.
func (p *clientPanel) outcomeAt(i int) sim.Outcome { return p.outcomes[len(p.outcomes)-1-i] }

// responseItem is one row of the response list: a coloured stripe and tint
// for the kind of answer, and the answer in words on up to two lines.
type responseItem struct {
	widget.BaseWidget
	row          *fyne.Container
	tint, stripe *canvas.Rectangle
	text         *clampedText
}

func (it *responseItem) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(it.row)
}

func (p *clientPanel) createItem() fyne.CanvasObject {
	text := newClampedText(2, theme.SizeNameText)
	tint := canvas.NewRectangle(color.Transparent)
	stripe := canvas.NewRectangle(color.Transparent)
	stripe.SetMinSize(fyne.NewSize(theme.Padding()*1.5, 0))
	row := container.NewStack(tint, container.NewBorder(nil, nil, stripe, nil, container.NewPadded(text)))
	it := &responseItem{row: row, tint: tint, stripe: stripe, text: text}
	it.ExtendBaseWidget(it)
	return it
}

func (p *clientPanel) updateItem(i widget.ListItemID, obj fyne.CanvasObject) {
	it := obj.(*responseItem)
	o := p.outcomeAt(i)
	c := outcomeColor(o.Result)
	it.stripe.FillColor = c
	it.tint.FillColor = withAlpha(c, 0x30)
	it.text.SetText(outcomeText(o))
	it.text.Style = fyne.TextStyle{Bold: i == 0}
	it.stripe.Refresh()
	it.tint.Refresh()
	it.text.Refresh()
}

// outcomeColor codes an answer: green for an order (new or replayed),
// orange for a refusal the client must act on, red for no answer.
func outcomeColor(r sim.Result) color.Color {
	switch r {
	case sim.ResultCreated, sim.ResultReplayed:
		return labColor(colorGood, theme.ColorNameSuccess)
	case sim.ResultInFlight, sim.ResultKeyReused, sim.ResultBadRequest, sim.ResultTooLarge, sim.ResultUnavailable:
		return themeColor(theme.ColorNameWarning)
	case sim.ResultWaiting:
		return themeColor(theme.ColorNamePrimary)
	}
	return labColor(colorBad, theme.ColorNameError)
}

// labColor is one of the lab theme's own colours, or fallback under a theme
// that does not know it (the test theme).
func labColor(name, fallback fyne.ThemeColorName) color.Color {
	if c := themeColor(name); c != nil {
		return c
	}
	return themeColor(fallback)
}

// withAlpha is c at the given opacity, for a tint that reads on light and
// dark backgrounds alike.
func withAlpha(c color.Color, a uint8) color.Color {
	if c == nil {
		return color.Transparent
	}
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// panelHeading is a panel's bold title with a short subtitle, which gives
// way (truncates) when the panel is narrow.
func panelHeading(title, subtitle string) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.SizeName = theme.SizeNameSubHeadingText
	s := widget.NewLabel(subtitle)
	s.SizeName = theme.SizeNameCaptionText
	s.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, t, nil, s)
}
