package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"outboxlab/scenarios"
	"outboxlab/ui"
)

// shotFlags are play's screenshot options.
type shotFlags struct {
	dir     string
	size    string
	scale   string
	theme   string
	caption bool
}

// options checks the flags and turns them into the renderer's options.
func (f shotFlags) options() (ui.ShotOptions, error) {
	var o ui.ShotOptions
	w, h, ok := strings.Cut(f.size, "x")
	var errW, errH error
	if ok {
		o.Width, errW = strconv.Atoi(w)
		o.Height, errH = strconv.Atoi(h)
	}
	if !ok || errW != nil || errH != nil || o.Width <= 0 || o.Height <= 0 {
		return o, fmt.Errorf("--size %q: want WIDTHxHEIGHT in pixels, like 1600x1000", f.size)
	}
	switch f.scale {
	case "1":
		o.Scale = 1
	case "1.5":
		o.Scale = 1.5
	case "2":
		o.Scale = 2
	default:
		return o, fmt.Errorf("--scale %q: want 1, 1.5 or 2", f.scale)
	}
	switch f.theme {
	case "light":
	case "dark":
		o.Dark = true
	default:
		return o, fmt.Errorf("--theme %q: want light or dark", f.theme)
	}
	o.Caption = f.caption
	return o, o.Validate()
}

// fileNamePart is what a scenario or shot name may be to become part of a
// file name: the parser already holds shot names to this.
var fileNamePart = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// shotFile names the picture of one shot: <scenario>-<shot>.png, a plain
// file name that cannot leave the shots directory.
func shotFile(scenario, shot string) (string, error) {
	for _, part := range []string{scenario, shot} {
		if !fileNamePart.MatchString(part) || strings.Contains(part, "..") {
			return "", fmt.Errorf("%q cannot be part of a file name: use letters, digits, '-', '_' or '.', starting with a letter or digit", part)
		}
	}
	name := scenario + "-" + shot + ".png"
	if filepath.Base(name) != name {
		return "", fmt.Errorf("%q is not a plain file name", name)
	}
	return name, nil
}

// planShots checks, before anything runs, that every shot of every script
// has a file name of its own.
func planShots(scripts []*scenarios.Script) error {
	seen := map[string]string{}
	for _, s := range scripts {
		for _, st := range s.Steps {
			for _, sh := range st.Shots {
				name, err := shotFile(s.Name, sh.Name)
				if err != nil {
					return fmt.Errorf("%s:%d: shot %s: %w", s.File, sh.Line, sh.Name, err)
				}
				where := fmt.Sprintf("%s:%d", s.File, sh.Line)
				if prev, dup := seen[name]; dup {
					return fmt.Errorf("%s: shot %s would overwrite the picture of %s (%s)", where, sh.Name, prev, name)
				}
				seen[name] = where
			}
		}
	}
	return nil
}

// makeShotsDir creates dir when it is missing and checks it is a directory
// the pictures can be written to, before the scenarios run.
func makeShotsDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--shots %s: %w", dir, errors.Unwrap(err))
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--shots %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("--shots %s: not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, ".outboxlab-write-test-")
	if err != nil {
		return fmt.Errorf("--shots %s: not writable (%v)", dir, errors.Unwrap(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// shoot renders every shot of s into dir and returns how many it wrote.
// Each scenario gets a window of its own, so a picture never depends on
// which scenarios ran before it.
func shoot(s *scenarios.Script, o ui.ShotOptions, dir string) (int, error) {
	sh, err := ui.NewShooter(o)
	if err != nil {
		return 0, err
	}
	defer sh.Close()
	n := 0
	err = sh.Play(s, func(shot string, img image.Image) error {
		name, err := shotFile(s.Name, shot)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return err
		}
		n++
		return writeFile(filepath.Join(dir, name), b.Bytes())
	})
	return n, err
}
