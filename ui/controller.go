package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// View is what panels draw after a command: read off the UI goroutine, so a
// refresh only copies values into widgets. Rows are not in it: tables page
// them from Lab as they scroll.
type View struct {
	Lab       *sim.Lab
	Snap      sim.Snapshot
	Client    []sim.Outcome
	Course    CourseView
	Status    string // what the last command did, or what went wrong
	Failed    bool   // Status is an error
	AutoRelay bool   // the relay runs by itself
	Revision  int    // counts views, so a panel can tell a new one
}

// CourseView is the course player's state.
type CourseView struct {
	Script    *scenarios.Script // nil when no scenario is loaded
	Next      int               // index of the next step to run
	Narration []string          // the say lines of the step last run
	Failure   string            // the last failed expectation, if any
}

// Controller owns the lab the window shows and runs commands on it one at a
// time, off the UI goroutine.
type Controller struct {
	opts  sim.Options
	queue chan func()
	done  chan struct{}

	qmu    sync.Mutex // guards sending on queue against its closing
	closed bool

	mu           sync.Mutex // guards the fields below
	lab          *sim.Lab
	course       CourseView
	subs         []func(View)
	deliver      func(func()) // runs a function on the UI goroutine (bridge)
	revision     int
	stopAuto     chan struct{} // non-nil while the relay runs by itself
	autoInterval time.Duration
	pending      sync.WaitGroup
}

// NewController opens a lab and starts the worker. deliver hands a
// function to the UI goroutine; the window passes fyne.Do (bridge.go).
func NewController(opts sim.Options, deliver func(func())) (*Controller, error) {
	lab, err := sim.Open(opts)
	if err != nil {
		return nil, err
	}
	c := &Controller{opts: opts, lab: lab, queue: make(chan func(), 64), done: make(chan struct{}), deliver: deliver, autoInterval: autoRelayInterval}
	go c.work()
	return c, nil
}

func (c *Controller) work() {
	defer close(c.done)
	for fn := range c.queue {
		fn()
		c.pending.Done()
	}
}

// Subscribe registers a panel's refresh; it runs on the UI goroutine.
func (c *Controller) Subscribe(refresh func(View)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.subs = append(c.subs, refresh)
}

// Lab returns the current lab (it changes on Reset and on Back).
func (c *Controller) Lab() *sim.Lab {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lab
}

// Run queues a command. It returns at once; the command runs on the worker
// and every panel refreshes after it. The string it returns is shown in
// the status line.
func (c *Controller) Run(cmd func(lab *sim.Lab) (string, error)) {
	c.enqueue(func() {
		lab := c.Lab()
		status, err := safely(func() (string, error) { return cmd(lab) })
		c.publish(status, err)
	})
}

// Refresh publishes a fresh view without running anything.
func (c *Controller) Refresh() { c.Run(func(*sim.Lab) (string, error) { return "", nil }) }

// Wait blocks until every queued command has run and its view has been
// delivered. Tests use it; the window never does.
func (c *Controller) Wait() {
	c.pending.Wait()
	if afterWait != nil {
		afterWait()
	}
}

func (c *Controller) enqueue(fn func()) {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if c.closed {
		return // the window is closing; late refreshes are dropped
	}
	c.pending.Add(1)
	c.queue <- fn
}

// safely runs a command and turns a panic into an error, so a bug in one
// command never takes the window down.
func safely(cmd func() (string, error)) (status string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return cmd()
}

// publish reads a View and hands it to the panels.
func (c *Controller) publish(status string, err error) {
	lab := c.Lab()
	snap, serr := lab.Snapshot(context.Background())
	err = errors.Join(err, serr)
	c.mu.Lock()
	c.revision++
	v := View{Lab: lab, Snap: snap, Client: lab.Client().History(), Course: c.course, Status: status, Revision: c.revision, AutoRelay: c.stopAuto != nil}
	if err != nil {
		v.Status, v.Failed = err.Error(), true
	}
	subs := append([]func(View){}, c.subs...)
	c.mu.Unlock()
	c.deliver(func() {
		for _, s := range subs {
			s(v)
		}
	})
}

// Reset replaces the lab with a fresh one (same options) and forgets the
// course position.
func (c *Controller) Reset() {
	c.enqueue(func() {
		err := c.replaceLab(nil)
		c.publish("a fresh lab", err)
	})
}

// replaceLab opens a fresh lab, seeded as script asks when given.
func (c *Controller) replaceLab(script *scenarios.Script) error {
	opts := c.opts
	if script != nil {
		opts.Seed = script.Seed
	}
	lab, err := sim.Open(opts)
	if err != nil {
		return err
	}
	c.stopAutoRelay()
	c.mu.Lock()
	old := c.lab
	c.lab = lab
	c.mu.Unlock()
	old.Close()
	return nil
}

// Close stops the worker and the lab.
func (c *Controller) Close() {
	c.stopAutoRelay()
	c.qmu.Lock()
	c.closed = true
	close(c.queue)
	c.qmu.Unlock()
	<-c.done
	c.Lab().Close()
}

// ToggleAutoRelay starts or stops the automatic relay (the P key).
func (c *Controller) ToggleAutoRelay() {
	c.Run(func(l *sim.Lab) (string, error) {
		c.mu.Lock()
		on, interval := c.stopAuto == nil, c.autoInterval
		c.mu.Unlock()
		return c.setAutoRelay(l, on, interval), nil
	})
}

// SetAutoRelay starts (or restarts, at a new pace) or stops the relay and
// consumers running by themselves (Lab.RunAuto). While they run, the window
// refreshes at the same pace.
func (c *Controller) SetAutoRelay(on bool, interval time.Duration) {
	c.Run(func(l *sim.Lab) (string, error) { return c.setAutoRelay(l, on, interval), nil })
}

func (c *Controller) setAutoRelay(l *sim.Lab, on bool, interval time.Duration) string {
	c.stopAutoRelay()
	if !on {
		return "the relay is paused"
	}
	l.RunAuto(interval)
	stop := make(chan struct{})
	c.mu.Lock()
	c.stopAuto, c.autoInterval = stop, interval
	c.mu.Unlock()
	go c.refreshEvery(interval, stop)
	return fmt.Sprintf("the relay and consumers run by themselves, a cycle every %s; lab time follows the wall clock", interval)
}

// refreshEvery publishes a view at each tick until stop closes: the lab
// moves on its own while the relay runs automatically.
func (c *Controller) refreshEvery(d time.Duration, stop chan struct{}) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			c.Refresh()
		}
	}
}

func (c *Controller) stopAutoRelay() {
	c.mu.Lock()
	stop := c.stopAuto
	c.stopAuto = nil
	lab := c.lab
	c.mu.Unlock()
	if stop != nil {
		close(stop)
		lab.StopAuto()
	}
}

// AutoRelay reports whether the relay runs by itself.
func (c *Controller) AutoRelay() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopAuto != nil
}

// autoRelayInterval is how often the automatic relay runs a cycle.
const autoRelayInterval = 500 * time.Millisecond
