package ui

import "fyne.io/fyne/v2"

// onUI hands fn to the UI goroutine. It is the only place the package calls
// fyne.Do: the controller's worker delivers every View through it. Tests
// replace it with a queue they run on the test goroutine (main_test.go),
// since Fyne's test driver would run fn on the worker itself.
var onUI = func(fn func()) { fyne.Do(fn) }

// afterWait runs at the end of Controller.Wait; tests set it to run the
// queued UI work. Nil in the app.
var afterWait func()
