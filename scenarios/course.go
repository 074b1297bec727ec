package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

//go:embed course/*.scn
var courseFiles embed.FS

// Course returns the built-in scenarios in course order (01, 02, ...).
// They are checked by the tests, so a parse error here is a bug in a
// committed file, reported as an error all the same.
func Course() ([]*Script, error) {
	names, err := fs.Glob(courseFiles, "course/*.scn")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]*Script, 0, len(names))
	for _, name := range names {
		src, err := courseFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		s, err := Parse(name, src)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Builtin finds a built-in scenario by name ("03-idempotency-off") or by
// its number ("03").
func Builtin(name string) (*Script, error) {
	course, err := Course()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range course {
		if s.Name == name || strings.SplitN(s.Name, "-", 2)[0] == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("no built-in scenario %q (see outboxlab play --list: %s)", name, strings.Join(names, ", "))
}

// Load reads a scenario file from disk, refusing what is not a small
// regular text file before reading it whole.
func Load(path string) (*Script, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, &ParseError{File: path, Msg: "not a regular file"}
	}
	if info.Size() > MaxFileBytes {
		return nil, &ParseError{File: path, Msg: fmt.Sprintf("the file is %d bytes; a scenario may be at most %d", info.Size(), MaxFileBytes)}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	return Parse(path, src)
}

// unwrapPath drops the path a *fs.PathError repeats, since the message
// already starts with it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
