package sim

import (
	"context"
	"time"
)

// RunAuto makes the lab run by itself, the way the headless `serve` mode
// does: every interval the lab clock follows the wall clock (so Redis TTLs
// and relay backoff pass in real time), the relay runs a cycle and the
// consumers take what is queued. StopAuto or Close ends it.
func (l *Lab) RunAuto(interval time.Duration) {
	l.StopAuto()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	l.act.Lock()
	l.autoCancel, l.autoDone = cancel, done
	l.act.Unlock()
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case t := <-tick.C:
				l.autoStep(t.Sub(last))
				last = t
			}
		}
	}()
}

func (l *Lab) autoStep(elapsed time.Duration) {
	l.act.Lock()
	defer l.act.Unlock()
	if elapsed > 0 {
		_ = l.advanceLocked(elapsed)
	}
	rep := DrainReport{Applied: map[string]int{}, Duplicates: map[string]int{}}
	never := func(string) bool { return false }
	for range 50 { // bounded, so one tick never starves the driver
		r, err := l.stepRelayLocked()
		if err != nil || r.Paused || r.Fetched == 0 {
			break
		}
	}
	_, _ = l.drainConsumersLocked(&rep, never)
	l.afterStep()
}

// StopAuto stops RunAuto and waits for its current tick to end.
func (l *Lab) StopAuto() {
	l.act.Lock()
	cancel, done := l.autoCancel, l.autoDone
	l.autoCancel, l.autoDone = nil, nil
	l.act.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}
