package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

const playUsage = `Usage: outboxlab play [flags] FILE.scn... | --all | --list

Plays scenarios headless: prints each step with its narration, runs its
actions on a fresh lab, and checks its expectations. Stops with exit code 1
at the first expectation that fails, naming FILE:LINE. A built-in scenario
can be named by its name or number (play 03). Every file is read and checked
before anything runs.

With --shots DIR, each scenario is played a second time in the real window,
drawn in memory (no display needed), and the window is written to
DIR/SCENARIO-SHOT.png at every 'shot SHOT' mark. The same command always
writes the same bytes.

Flags:
`

// play runs the play command.
func play(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	all := fs.Bool("all", false, "play the whole built-in course, in order")
	list := fs.Bool("list", false, "list the built-in scenarios with their titles")
	tracePath := fs.String("trace", "", "write the trace as JSON to `FILE` (FILE-NAME.json for each of several scenarios)")
	mermaidPath := fs.String("mermaid", "", "write the trace as a Mermaid sequence diagram to `FILE`")
	quiet := fs.Bool("quiet", false, "print only failures and the summary")
	var sf shotFlags
	fs.StringVar(&sf.dir, "shots", "", "render the window at every shot mark into `DIR`/SCENARIO-SHOT.png (created when missing)")
	fs.StringVar(&sf.size, "size", "1600x1000", "window size for --shots, `WxH` in pixels")
	fs.StringVar(&sf.scale, "scale", "1", "presenter text scale for --shots: 1, 1.5 or 2")
	fs.StringVar(&sf.theme, "theme", "light", "theme for --shots: light or dark")
	fs.BoolVar(&sf.caption, "caption", false, "with --shots, draw the step's narration as a band below the window")
	// Flags may come after the files: play a.scn --trace t.json.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, playUsage)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return 0
			}
			fmt.Fprintf(stderr, "outboxlab play: %s (see 'outboxlab play -h')\n", err)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *list {
		return listCourse(stdout, stderr)
	}
	scripts, err := loadScripts(files, *all)
	if err != nil {
		fmt.Fprintf(stderr, "outboxlab play: %s\n", oneLine(err))
		return 2
	}
	shotOpts, err := sf.options()
	if err == nil {
		err = checkExports(scripts, *tracePath, *mermaidPath)
	}
	if err == nil && sf.dir != "" {
		err = planShots(scripts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "outboxlab play: %s\n", oneLine(err))
		return 2
	}
	if sf.dir != "" {
		if err := makeShotsDir(sf.dir); err != nil {
			fmt.Fprintf(stderr, "outboxlab play: %s\n", oneLine(err))
			return 1
		}
	}
	for _, s := range scripts {
		var out io.Writer = stdout
		if *quiet {
			out = io.Discard
		}
		lab, err := playOne(s, out)
		var werr error
		if lab != nil {
			// A failed run's trace is the most useful one to export.
			werr = writeExports(lab, s, len(scripts) > 1, *tracePath, *mermaidPath)
			lab.Close()
		}
		for _, e := range []error{err, werr} {
			if e != nil {
				fmt.Fprintf(stderr, "outboxlab play: %s\n", oneLine(e))
			}
		}
		if err != nil || werr != nil {
			return 1
		}
		if sf.dir != "" {
			n, err := shoot(s, shotOpts, sf.dir)
			if err != nil {
				fmt.Fprintf(stderr, "outboxlab play: %s: %s\n", s.Name, oneLine(err))
				return 1
			}
			fmt.Fprintf(out, "   %d picture(s) in %s\n", n, sf.dir)
		}
	}
	fmt.Fprintf(stdout, "%d scenario(s) passed\n", len(scripts))
	return 0
}

func listCourse(stdout, stderr io.Writer) int {
	course, err := scenarios.Course()
	if err != nil {
		fmt.Fprintf(stderr, "outboxlab play: %s\n", oneLine(err))
		return 1
	}
	for _, s := range course {
		fmt.Fprintf(stdout, "%-40s %s\n", s.Name, s.Title)
	}
	return 0
}

// loadScripts reads every named file (or built-in name) before anything
// runs, so a bad file never half-runs.
func loadScripts(files []string, all bool) ([]*scenarios.Script, error) {
	if all && len(files) > 0 {
		return nil, errors.New("give either --all or files, not both")
	}
	if all {
		return scenarios.Course()
	}
	if len(files) == 0 {
		return nil, errors.New("no scenario given: name a .scn file, a built-in scenario (see --list), or --all")
	}
	var out []*scenarios.Script
	for _, f := range files {
		var s *scenarios.Script
		var err error
		if _, statErr := os.Stat(f); statErr != nil && !strings.ContainsAny(f, `/\.`) {
			s, err = scenarios.Builtin(f)
		} else {
			s, err = scenarios.Load(f)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// playOne runs one scenario on a fresh lab and prints it as it goes.
func playOne(s *scenarios.Script, out io.Writer) (*sim.Lab, error) {
	fmt.Fprintf(out, "\n== %s: %s ==\n", s.Name, s.Title)
	if s.Summary != "" {
		fmt.Fprintf(out, "   %s\n", s.Summary)
	}
	lab, err := s.OpenLab(sim.Options{})
	if err != nil {
		return nil, err
	}
	err = s.Play(lab, scenarios.Hooks{
		Step: func(i int, st *scenarios.Step) {
			fmt.Fprintf(out, "\n[%d] ", i+1)
			if len(st.Say) > 0 {
				fmt.Fprintf(out, "%s\n", strings.Join(st.Say, " "))
			} else {
				fmt.Fprintln(out)
			}
			if st.Action != nil {
				fmt.Fprintf(out, "    > %s\n", st.Action)
			}
		},
		Did: func(st *scenarios.Step, result string) {
			if result != "" {
				fmt.Fprintf(out, "      → %s\n", result)
			}
		},
		Checked: func(e scenarios.Expect, saw string) {
			fmt.Fprintf(out, "    ✓ %s\n", e.Text)
			if strings.HasPrefix(e.Text, "broken ") && saw != "" {
				fmt.Fprintf(out, "      (%s)\n", saw)
			}
		},
		Failed: func(e scenarios.Expect, saw string) { fmt.Fprintf(out, "    ✗ %s (saw %s)\n", e.Text, saw) },
		Shot: func(st *scenarios.Step, shot scenarios.Shot) error {
			fmt.Fprintf(out, "    [shot %s]\n", shot.Name)
			return nil
		},
	})
	if err == nil {
		fmt.Fprintf(out, "\n   passed: %s\n", s.Name)
	}
	return lab, err
}

// exportPath names the file a scenario's export goes to. With several
// scenarios each gets its own file: trace-01-happy-path.json.
func exportPath(path string, s *scenarios.Script, several bool) string {
	if !several {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-" + s.Name + ext
}

// checkExports refuses, before anything runs, an export that would
// replace a scenario being played, a directory, or another export: the
// user's file would be lost, or half the exports.
func checkExports(scripts []*scenarios.Script, tracePath, mermaidPath string) error {
	several := len(scripts) > 1
	inputs := map[string]string{} // cleaned absolute path → the script's file as given
	for _, s := range scripts {
		if abs, err := filepath.Abs(s.File); err == nil {
			inputs[abs] = s.File
		}
	}
	written := map[string]string{}
	for _, s := range scripts {
		for _, e := range []struct{ flag, path string }{{"--trace", tracePath}, {"--mermaid", mermaidPath}} {
			if e.path == "" {
				continue
			}
			out := exportPath(e.path, s, several)
			abs, err := filepath.Abs(out)
			if err != nil {
				return fmt.Errorf("%s %s: %w", e.flag, out, err)
			}
			if in, ok := scenarioAt(abs, inputs); ok {
				return fmt.Errorf("%s %s would overwrite the scenario %s; write the export to another file", e.flag, out, in)
			}
			if info, err := os.Stat(out); err == nil && info.IsDir() {
				return fmt.Errorf("%s %s: is a directory; name a file to write", e.flag, out)
			}
			if prev, dup := written[abs]; dup {
				return fmt.Errorf("%s %s would overwrite the %s export in the same file; give each its own file", e.flag, out, prev)
			}
			written[abs] = e.flag
		}
	}
	return nil
}

// scenarioAt finds the scenario an export path would replace: the same
// path, or the same file by another name (a link, another spelling).
func scenarioAt(abs string, inputs map[string]string) (string, bool) {
	if in, ok := inputs[abs]; ok {
		return in, true
	}
	out, err := os.Stat(abs)
	if err != nil {
		return "", false
	}
	for path, in := range inputs {
		if info, err := os.Stat(path); err == nil && os.SameFile(info, out) {
			return in, true
		}
	}
	return "", false
}

// writeExports writes the trace as JSON and as Mermaid, when asked.
func writeExports(lab *sim.Lab, s *scenarios.Script, several bool, tracePath, mermaidPath string) error {
	events := lab.Trace().Events(0)
	if tracePath != "" {
		body, err := json.MarshalIndent(events, "", "  ")
		if err != nil {
			return err
		}
		if err := writeFile(exportPath(tracePath, s, several), append(body, '\n')); err != nil {
			return err
		}
	}
	if mermaidPath != "" {
		if err := writeFile(exportPath(mermaidPath, s, several), []byte(scenarios.Mermaid(s.Title, events))); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes through a temporary file and a rename, so an existing
// file is replaced whole or not at all.
func writeFile(path string, data []byte) error {
	// rename(2) onto a directory fails with "file exists", which reads as
	// if the file were the problem.
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("write %s: is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".outboxlab-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, errors.Unwrap(err))
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600; a picture or trace is an ordinary file
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, errors.Unwrap(err))
	}
	return nil
}
