package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Fyne's software painter (v2.7.1) clips each drawn object to its nearest
// clipping ancestor only (internal/driver/util.go, walkObjectTree: a
// scroll's bounds replace the clip instead of being intersected with it).
// So a scroll inside a scroll, a list or an entry inside one of the panels'
// scrolls, draws its content past the outer viewport whenever its own
// bounds reach beyond it: a client-panel response drawn over the flow
// panel, an entry's text over the split's divider. The GL painter keeps a
// clip stack (internal.ClipStack.Push intersects), so the real window
// never shows this.
//
// clippedCapture paints c with the same software painter, but over a
// shadow tree: every primitive the painter would draw, in the same order
// and at the same place, grouped under clip boxes whose bounds are already
// the intersection of all the clips around it. The painter then clips each
// primitive exactly as the GL window does. The window's own objects are
// only read, never moved or changed.
func clippedCapture(c fyne.Canvas) image.Image {
	size := c.Size()
	b := &shadowBuilder{}
	screen := clipRect{size: size}
	b.walk(c.Content(), fyne.Position{}, screen)
	for _, o := range c.Overlays().List() {
		b.walk(o, fyne.Position{}, screen)
	}
	sc := software.NewCanvas()
	sc.SetPadded(false)
	sc.SetScale(c.Scale())
	sc.Resize(size)
	sc.SetContent(b.build())
	return sc.Capture()
}

// clipRect is an area in canvas coordinates.
type clipRect struct {
	pos  fyne.Position
	size fyne.Size
}

func (r clipRect) intersect(pos fyne.Position, size fyne.Size) clipRect {
	x0, y0 := max(r.pos.X, pos.X), max(r.pos.Y, pos.Y)
	x1 := min(r.pos.X+r.size.Width, pos.X+size.Width)
	y1 := min(r.pos.Y+r.size.Height, pos.Y+size.Height)
	return clipRect{pos: fyne.NewPos(x0, y0), size: fyne.NewSize(max(x1-x0, 0), max(y1-y0, 0))}
}

func (r clipRect) empty() bool { return r.size.Width <= 0 || r.size.Height <= 0 }

// shadowRun is a run of primitives, in paint order, that share a parent
// position and a clip.
type shadowRun struct {
	clip   clipRect
	parent fyne.Position // the primitives' parent, in canvas coordinates
	objs   []fyne.CanvasObject
}

type shadowBuilder struct{ runs []*shadowRun }

// walk visits obj the way the painter's tree walk does: visible objects
// only, containers' objects and widgets' renderer objects in order.
func (b *shadowBuilder) walk(obj fyne.CanvasObject, offset fyne.Position, clip clipRect) {
	if obj == nil || !obj.Visible() {
		return
	}
	pos := obj.Position().Add(offset)
	var children []fyne.CanvasObject
	isClip := false
	switch o := obj.(type) {
	case *fyne.Container:
		children = o.Objects
	case fyne.Widget:
		r := test.WidgetRenderer(o)
		if r == nil {
			return
		}
		children = r.Objects()
		_, isClip = r.(interface{ IsClip() })
	default:
		b.add(obj, offset, clip)
		return
	}
	if _, ok := obj.(fyne.Scrollable); ok || isClip {
		clip = clip.intersect(pos, obj.Size())
	}
	for _, child := range children {
		b.walk(child, pos, clip)
	}
}

func (b *shadowBuilder) add(obj fyne.CanvasObject, parent fyne.Position, clip clipRect) {
	if clip.empty() {
		return // nothing of it would show
	}
	if n := len(b.runs); n > 0 {
		if last := b.runs[n-1]; last.clip == clip && last.parent == parent {
			last.objs = append(last.objs, obj)
			return
		}
	}
	b.runs = append(b.runs, &shadowRun{clip: clip, parent: parent, objs: []fyne.CanvasObject{obj}})
}

// build makes the shadow tree: one clip box per run, at the run's clip,
// holding a container at the primitives' parent position.
func (b *shadowBuilder) build() fyne.CanvasObject {
	boxes := make([]fyne.CanvasObject, 0, len(b.runs))
	for _, r := range b.runs {
		holder := &fyne.Container{Objects: r.objs}
		holder.Move(r.parent.Subtract(r.clip.pos))
		box := &clipBox{content: holder}
		box.ExtendBaseWidget(box)
		box.Resize(r.clip.size)
		box.Move(r.clip.pos)
		boxes = append(boxes, box)
	}
	return &fyne.Container{Objects: boxes}
}

// clipBox clips what it holds to its bounds: the painter treats every
// fyne.Scrollable as a clip.
type clipBox struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func (*clipBox) Scrolled(*fyne.ScrollEvent) {}

func (b *clipBox) CreateRenderer() fyne.WidgetRenderer {
	return &clipBoxRenderer{objs: []fyne.CanvasObject{b.content}}
}

type clipBoxRenderer struct{ objs []fyne.CanvasObject }

func (*clipBoxRenderer) Destroy()                       {}
func (*clipBoxRenderer) Layout(fyne.Size)               {}
func (*clipBoxRenderer) MinSize() fyne.Size             { return fyne.Size{} }
func (r *clipBoxRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (*clipBoxRenderer) Refresh()                       {}
