// Package ui is the Fyne desktop window of Outbox Lab. It draws what the lab
// in package sim reports and sends it commands; it holds no lab logic.
//
// One Controller owns the lab. Panels call Controller.Run with a command;
// commands run one at a time on the controller's worker goroutine, never on
// the UI goroutine, so a request paused on a named point never freezes the
// window. After each command the worker reads a View (counts, paused work,
// invariants, client history, narration) and bridge.go, the only file that
// calls fyne.Do, hands it to every panel's refresh function.
//
// Each panel is one constructor in its own file (newClientPanel,
// newFlowPanel, ...) returning a fyne.CanvasObject.
package ui
