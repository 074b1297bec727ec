package ui

import (
	"os"
	"testing"
)

// TestMain runs every View delivery on the test's goroutine (see uiQueue
// in shots.go), so widgets are only ever touched from one goroutine.
func TestMain(m *testing.M) {
	q := &uiQueue{}
	onUI, afterWait = q.push, q.flush
	os.Exit(m.Run())
}
