package sim

import (
	"fmt"
	"sync"
)

// workSet tracks the pieces of work a driver action started (a request, a
// relay cycle, a consumer step) so the action can return as soon as its
// work has settled: finished, or parked on a paused point.
type workSet struct {
	mu sync.Mutex
	m  map[string]*workState
}

type workState struct {
	name    string
	settled chan struct{} // a signal per park
	done    chan struct{} // closed when the work returns
}

// start runs fn as work called name and waits until it settles. It reports
// whether the work parked; parked work is resumed through the point set.
func (w *workSet) start(name string, fn func()) (parked bool, err error) {
	w.mu.Lock()
	if w.m == nil {
		w.m = map[string]*workState{}
	}
	if _, busy := w.m[name]; busy {
		w.mu.Unlock()
		return false, fmt.Errorf("%s is paused on a point; resume or crash it first", name)
	}
	ws := &workState{name: name, settled: make(chan struct{}, 1), done: make(chan struct{})}
	w.m[name] = ws
	w.mu.Unlock()
	go func() {
		defer func() {
			w.mu.Lock()
			delete(w.m, name)
			w.mu.Unlock()
			close(ws.done)
		}()
		fn()
	}()
	return ws.wait(), nil
}

// parked is the point set's callback when work blocks on a paused point.
func (w *workSet) parked(p Paused) {
	w.mu.Lock()
	ws := w.m[p.Work]
	w.mu.Unlock()
	if ws != nil {
		select {
		case ws.settled <- struct{}{}:
		default:
		}
	}
}

// get returns running work by name, or nil (work the lab did not start,
// such as a curl request).
func (w *workSet) get(name string) *workState {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m[name]
}

// wait blocks until the work parks again or finishes; true means parked.
func (ws *workState) wait() bool {
	select {
	case <-ws.done:
		return false
	case <-ws.settled:
		return true
	}
}
