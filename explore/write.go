package explore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"outboxlab/scenarios"
)

// Verify plays the finding's scenario on a fresh lab, as `outboxlab play`
// would, and reports whether it reproduces the violation.
func Verify(f *Finding) error {
	script, err := scenarios.Parse(f.FileName(), []byte(f.Scenario))
	if err != nil {
		return fmt.Errorf("the counterexample does not parse: %w", err)
	}
	lab, err := script.OpenLab(labOptions(script.Seed))
	if err != nil {
		return err
	}
	defer lab.Close()
	if err := script.Play(lab, scenarios.Hooks{}); err != nil {
		return fmt.Errorf("the counterexample does not replay: %w", err)
	}
	return nil
}

// Write saves the finding as dir/<invariant>-seed<S>.scn, creating dir.
// The file appears whole or not at all: it is written beside and renamed.
func Write(dir string, f *Finding) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", dir, unwrapPath(err))
	}
	path := filepath.Join(dir, f.FileName())
	tmp, err := os.CreateTemp(dir, ".explore-*.scn")
	if err != nil {
		return "", fmt.Errorf("cannot write in %s: %w", dir, unwrapPath(err))
	}
	_, werr := tmp.WriteString(f.Scenario)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("cannot write %s: %w", path, unwrapPath(werr))
	}
	return path, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
