package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"

	"outboxlab/scenarios"
	"outboxlab/ui"
)

const guiUsage = `Usage: outboxlab [flags]

Opens the lab's window.

Flags:
`

// gui opens the lab's window and returns when it is closed.
func gui(args []string, stdout, stderr io.Writer) int {
	opts, code, ok := windowOptions(args, stdout, stderr)
	if !ok {
		return code
	}
	if !hasDisplay() {
		fmt.Fprintln(stderr, "outboxlab: no display to open the window on (DISPLAY is not set); 'outboxlab serve' runs the lab without one")
		return 1
	}
	if err := ui.Run(opts); err != nil {
		fmt.Fprintf(stderr, "outboxlab: %s\n", oneLine(err))
		return 1
	}
	return 0
}

// windowOptions reads the window's command line. When ok is false the
// command is over: it printed the help or an error, and code is its exit
// code. It opens nothing, so every flag can be checked without a display.
func windowOptions(args []string, stdout, stderr io.Writer) (opts ui.Options, code int, ok bool) {
	fs := flag.NewFlagSet("outboxlab", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scale := fs.Float64("scale", 1, "presenter text scale: 1, 1.5 or 2")
	dark := fs.Bool("dark", false, "start with the dark theme")
	lesson := fs.String("lesson", "", "open a built-in lesson by name or number (see 'outboxlab play --list')")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, guiUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return opts, 0, false
		}
		fmt.Fprintf(stderr, "outboxlab: %s (see 'outboxlab --help')\n", err)
		return opts, 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "outboxlab: unknown command %q\n\n%s", fs.Arg(0), usage)
		return opts, 2, false
	}
	opts = ui.Options{Scale: float32(*scale), Dark: *dark}
	if !slices.Contains(ui.Scales, opts.Scale) {
		fmt.Fprintf(stderr, "outboxlab: --scale must be 1, 1.5 or 2, not %g\n", *scale)
		return opts, 2, false
	}
	if *lesson != "" {
		s, err := scenarios.Builtin(*lesson)
		if err != nil {
			fmt.Fprintf(stderr, "outboxlab: %s\n", oneLine(err))
			return opts, 2, false
		}
		opts.Lesson = s
	}
	return opts, 0, true
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
