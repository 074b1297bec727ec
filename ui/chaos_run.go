package ui

import (
	"context"
	"time"

	"outboxlab/explore"
)

// chaosRun explores several configurations one after the other under the
// same seed, so their counts compare like for like. It runs on its own
// goroutine and reports through onUI; nothing here touches a widget.
type chaosRun struct {
	cancel context.CancelFunc
	done   chan struct{} // closed once the last report has been handed to onUI
}

// chaosUpdate is what the view learns as a chaos run goes on.
type chaosUpdate struct {
	Config   int // which configuration
	Progress explore.Progress
	Report   *explore.Report // set when Config is finished
	Err      error
	Finished bool // every configuration is done, or the run was cancelled
}

// startChaos explores cfgs in order and hands updates to show on the UI
// goroutine, at most about twenty progress updates a second.
func startChaos(cfgs []explore.Config, show func(chaosUpdate)) *chaosRun {
	ctx, cancel := context.WithCancel(context.Background())
	r := &chaosRun{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer cancel()
		for i, cfg := range cfgs {
			var last time.Time
			cfg.Progress = func(p explore.Progress) {
				if p.Shrinking == "" && p.Done < p.Runs && time.Since(last) < 50*time.Millisecond {
					return
				}
				last = time.Now()
				onUI(func() { show(chaosUpdate{Config: i, Progress: p}) })
			}
			rep, err := explore.Run(ctx, cfg)
			onUI(func() { show(chaosUpdate{Config: i, Report: rep, Err: err}) })
			if err != nil || ctx.Err() != nil {
				break
			}
		}
		onUI(func() { show(chaosUpdate{Finished: true}) })
	}()
	return r
}

// Cancel stops the run; what finished stays.
func (r *chaosRun) Cancel() { r.cancel() }
