package ui

import "fyne.io/fyne/v2"

// onUI hands fn to the UI goroutine. It is the only place the package calls
// fyne.Do: the controller's worker delivers every View through it.
func onUI(fn func()) { fyne.Do(fn) }
