package main

import (
	"fmt"
	"io"
	"os"
	"runtime"

	"outboxlab/ui"
)

// gui opens the lab's window and returns when it is closed.
func gui(stderr io.Writer) int {
	if !hasDisplay() {
		fmt.Fprintln(stderr, "outboxlab: no display to open the window on (DISPLAY is not set); 'outboxlab serve' runs the lab without one")
		return 1
	}
	if err := ui.Run(); err != nil {
		fmt.Fprintf(stderr, "outboxlab: %s\n", oneLine(err))
		return 1
	}
	return 0
}

// hasDisplay reports whether a window can be opened. On X11/Wayland systems
// the GL driver panics without a display, so look before opening.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
	}
	return true
}
