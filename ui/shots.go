package ui

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// ShotOptions say how a Shooter draws the window.
type ShotOptions struct {
	Width, Height int     // window size in pixels; zero means 1600x1000
	Scale         float32 // presenter text scale, one of Scales (0 means 1)
	Dark          bool    // dark theme
	Caption       bool    // add the current narration as a band below the window
}

// DefaultShotWidth and DefaultShotHeight are the window size a Shooter
// draws when none is given.
const (
	DefaultShotWidth  = 1600
	DefaultShotHeight = 1000
)

// Shooter draws the real main window (NewMainWindow) with Fyne's software
// renderer: no display and no GL. It drives its Controller synchronously:
// every View is queued by the worker and applied to the widgets before Step
// returns, so Capture always sees the state the last step left.
//
// All of a Shooter's Fyne work runs on one goroutine of its own (its "UI
// goroutine"), never on the caller's: Fyne's test driver runs fyne.Do work
// asynchronously when called from the main goroutine, which would make a
// theme change race with the next picture. A Shooter is not safe for
// concurrent use, and only one should exist at a time: it installs Fyne's
// in-memory app as the current app.
type Shooter struct {
	opts  ShotOptions
	app   fyne.App
	win   fyne.Window
	ctl   *Controller
	q     *uiQueue
	calls chan func()
	last  View

	script *scenarios.Script
	next   int
}

// uiQueue stands in for the UI goroutine where there is no real one: the
// controller's worker pushes each View delivery, and the owner (the
// Shooter, or the tests) runs them on its own goroutine.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) push(fn func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.fns = append(q.fns, fn)
}

func (q *uiQueue) flush() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// Validate reports what is wrong with o, if anything. Zero values mean
// the defaults.
func (o ShotOptions) Validate() error {
	w, h := o.Width, o.Height
	if w == 0 && h == 0 {
		w, h = DefaultShotWidth, DefaultShotHeight
	}
	if w < 200 || h < 150 || w > 10000 || h > 10000 {
		return fmt.Errorf("window size %dx%d: each side must be between 200x150 and 10000x10000", w, h)
	}
	if o.Scale != 0 && !slices.Contains(Scales, o.Scale) {
		return fmt.Errorf("scale %g: want one of %v", o.Scale, Scales)
	}
	return nil
}

// NewShooter builds the main window in memory, sized and themed as o asks.
func NewShooter(o ShotOptions) (*Shooter, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = DefaultShotWidth, DefaultShotHeight
	}
	if o.Scale == 0 {
		o.Scale = 1
	}
	s := &Shooter{opts: o, q: &uiQueue{}, calls: make(chan func())}
	ctl, err := NewController(sim.Options{Seed: 1}, s.q.push)
	if err != nil {
		return nil, err
	}
	s.ctl = ctl
	go s.loop()
	s.do(func() {
		s.app = test.NewApp()
		s.win = s.app.NewWindow("Outbox Lab")
		NewMainWindow(s.app, s.win, ctl, Options{Scale: o.Scale, Dark: o.Dark})
		ctl.Subscribe(func(v View) { s.last = v })
		s.win.Resize(fyne.NewSize(float32(o.Width), float32(o.Height)))
		s.settle()
	})
	return s, nil
}

// loop is the Shooter's UI goroutine: it runs each call in turn until
// Close closes calls.
func (s *Shooter) loop() {
	for fn := range s.calls {
		fn()
	}
}

// do runs fn on the UI goroutine and waits for it.
func (s *Shooter) do(fn func()) {
	done := make(chan struct{})
	s.calls <- func() {
		defer close(done)
		fn()
	}
	<-done
}

// settle waits for the worker and applies every queued View.
func (s *Shooter) settle() {
	s.ctl.pending.Wait()
	s.q.flush()
}

// Close stops the controller and its lab.
func (s *Shooter) Close() {
	s.do(func() {
		s.ctl.Close()
		s.q.flush()
		s.win.Close()
	})
	close(s.calls)
}

// Load starts script in the course player on a fresh lab, as the window's
// course panel does.
func (s *Shooter) Load(script *scenarios.Script) error {
	var err error
	s.do(func() {
		s.script, s.next = script, 0
		s.ctl.LoadScript(script)
		s.settle()
		if s.last.Failed {
			err = errors.New(s.last.Status)
		}
	})
	return err
}

// Done reports whether every step of the loaded script has run.
func (s *Shooter) Done() bool { return s.script == nil || s.next >= len(s.script.Steps) }

// Step runs the next step of the loaded script and brings the window up to
// date. It returns the step it ran (its Shots are what to capture now), or
// the error that stopped it: an action that could not run or a failed
// expectation.
func (s *Shooter) Step() (*scenarios.Step, error) {
	if s.Done() {
		return nil, errors.New("no step left to run")
	}
	st := &s.script.Steps[s.next]
	s.next++
	var err error
	s.do(func() {
		s.ctl.StepForward()
		s.settle()
		if f := s.last.Course.Failure; f != "" {
			err = errors.New(f)
		} else if s.last.Failed {
			err = errors.New(s.last.Status)
		}
	})
	return st, err
}

// Play runs every step of script and calls shot at each shot mark with the
// picture at that moment.
func (s *Shooter) Play(script *scenarios.Script, shot func(name string, img image.Image) error) error {
	if err := s.Load(script); err != nil {
		return err
	}
	for !s.Done() {
		st, err := s.Step()
		if err != nil {
			return err
		}
		for _, sh := range st.Shots {
			if err := shot(sh.Name, s.Capture()); err != nil {
				return fmt.Errorf("%s:%d: shot %s: %w", script.File, sh.Line, sh.Name, err)
			}
		}
	}
	return nil
}

// Capture draws the window as it is now. With Caption, the narration of
// the step last run is drawn as a band below the window, which keeps the
// window's own picture the same with and without a caption.
func (s *Shooter) Capture() image.Image {
	var img, band image.Image
	s.do(func() {
		img = clippedCapture(s.win.Canvas())
		if s.opts.Caption {
			band = s.captionBand(img.Bounds().Dx())
		}
	})
	if band == nil {
		return img
	}
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()+band.Bounds().Dy()))
	draw.Draw(out, b, img, b.Min, draw.Src)
	draw.Draw(out, image.Rect(0, b.Dy(), b.Dx(), out.Bounds().Dy()), band, band.Bounds().Min, draw.Src)
	return out
}

// captionText is what the caption says: the narration, or the title.
func (s *Shooter) captionText() string {
	cv := s.last.Course
	if len(cv.Narration) > 0 {
		return strings.Join(cv.Narration, " ")
	}
	if cv.Script != nil {
		return cv.Script.Title
	}
	return ""
}

// captionBand renders the caption in its own in-memory window, width
// pixels wide and as tall as the wrapped text needs.
func (s *Shooter) captionBand(width int) image.Image {
	text := widget.NewLabel(s.captionText())
	text.Wrapping = fyne.TextWrapWord
	text.TextStyle = fyne.TextStyle{Bold: true}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	line := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	line.SetMinSize(fyne.NewSize(0, 4))
	content := container.NewBorder(line, nil, nil, nil, container.NewStack(bg, container.NewPadded(text)))
	w := s.app.NewWindow("caption")
	defer w.Close()
	w.SetPadded(false)
	w.SetContent(content)
	// A wrapping label knows its height only once it knows its width.
	w.Resize(fyne.NewSize(float32(width), 10))
	w.Resize(fyne.NewSize(float32(width), content.MinSize().Height))
	return w.Canvas().Capture()
}
