package ui

import (
	"os"
	"sync"
	"testing"
)

// uiQueue stands in for the UI goroutine in tests: the controller's worker
// queues each View delivery, and Controller.Wait runs them on the test's
// goroutine, so widgets are only ever touched from one goroutine.
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

func TestMain(m *testing.M) {
	q := &uiQueue{}
	onUI, afterWait = q.push, q.flush
	os.Exit(m.Run())
}
