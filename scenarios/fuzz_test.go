package scenarios

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzParse feeds Parse arbitrary files. It must never panic; every error
// must be a *ParseError that starts with the file name, the way FILE:LINE:
// messages do, names a real line, says something, and prints as one line;
// every accepted script points at its own lines and prints its commands
// back in a form that parses to the same command.
func FuzzParse(f *testing.F) {
	names, err := fs.Glob(courseFiles, "course/*.scn")
	if err != nil {
		f.Fatal(err)
	}
	if len(names) == 0 {
		f.Fatal("the embedded course holds no scenarios")
	}
	for _, name := range names {
		src, err := courseFiles.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, src := range []string{
		"",
		"title: T\n",
		"title: T\nsend key=\"a b\" item=\"blue mug\" qty=2\n",
		"title: T\nsend key=\"unclosed\n",
		"title: T\nsend key=\"\\\"\n",
		"title: T\nsend key=\"\\xff\"\n",
		"title: T\r\nseed: 18446744073709551615\r\nadvance 1ns\r\n",
		"title: T\nseed: -1\nsend key=k1\n",
		"title: T\nexpect\n",
		"title: T\nexpect client\n",
		"title: T\nexpect holds\n",
		"title: T\nexpect outbox\nexpect broker\nexpect deliveries\n",
		"title: T\nexpect status k1 = x\n",
		"title: T\narm\nresume\ncrash relay\nrelay\nrelay step 0\nrelay batch=\nconsume\nconsume all 2\n",
		"title: T\nset =\nset publish\npopulate 1000001\nbroker sideways\nredis\nlose-response now\n",
		"title: T\nshot \nshot ../x\nsay\n",
		"title: T\ntitle: U\n",
		"title:\n",
		"title: T\nsend key=k1\x00\n",
		"title: T\nsend key=k1\x01\n",
		"title: T\n\xff\n",
		"title: T\nexpect orders = 1\nsay s\nsend key=k1\nexpect orders = 1\nshot s\n",
		"title: T\nsend key=\"\\q\u2028\"\n",
		"title: T\nsend key=\"\\q\u0085\x7f\"\n",
		"title: T\nexpect orders\u2028 = 1\n",
		"title: T\nsend key=\"a\\u2028b\" item=\"\\x00\"\n",
		"title: T\nset publish=outbox  dedup = off\n",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const file = "fuzz.scn"
		s, err := Parse(file, src)
		lines := strings.Split(string(src), "\n")
		if err != nil {
			if s != nil {
				t.Fatalf("Parse returned a script and an error %v", err)
			}
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("Parse returned %T (%v), not a *ParseError", err, err)
			}
			if pe.File != file {
				t.Fatalf("the error names %q, not %q", pe.File, file)
			}
			if !strings.HasPrefix(err.Error(), file+":") {
				t.Fatalf("%q does not start with the file name", err.Error())
			}
			if strings.TrimSpace(pe.Msg) == "" {
				t.Fatalf("the error %q does not say what is wrong", err.Error())
			}
			// One line on any terminal: no newline, and nothing else a
			// terminal or editor could break the line on or act on
			// (U+2028, NEL, escape sequences): the file's text is quoted.
			if i := strings.IndexFunc(err.Error(), func(r rune) bool { return r != ' ' && !unicode.IsPrint(r) }); i >= 0 {
				t.Fatalf("%q holds a non-printable character at byte %d", err.Error(), i)
			}
			if pe.Line < 0 || pe.Line > len(lines) {
				t.Fatalf("the error names line %d of a %d-line file", pe.Line, len(lines))
			}
			if pe.Line > 0 {
				if at := strings.TrimSpace(lines[pe.Line-1]); at == "" || strings.HasPrefix(at, "#") {
					t.Fatalf("the error %q names a blank or comment line", err.Error())
				}
			}
			return
		}
		if s == nil || s.Title == "" || len(s.Steps) == 0 {
			t.Fatalf("Parse accepted a script without a title or steps: %+v", s)
		}
		inFile := func(what string, n int) {
			if n < 1 || n > len(lines) || strings.TrimSpace(lines[n-1]) == "" {
				t.Fatalf("%s names line %d, which is not a line of the file", what, n)
			}
		}
		prev := 0
		for _, st := range s.Steps {
			inFile("a step", st.Line)
			if st.Line < prev {
				t.Fatalf("step lines go backwards: %d after %d", st.Line, prev)
			}
			prev = st.Line
			if st.Action == nil && len(st.Say) == 0 && len(st.Expects) == 0 && len(st.Shots) == 0 {
				t.Fatalf("an empty step: %+v", st)
			}
			for _, e := range st.Expects {
				inFile("an expect", e.Line)
			}
			for _, sh := range st.Shots {
				inFile("a shot", sh.Line)
			}
			if st.Action == nil {
				continue
			}
			inFile("an action", st.Action.Line)
			// A printed command pastes back into a file as the same
			// command: recordings and the player depend on it.
			again, err := Parse(file, []byte("title: T\n"+st.Action.String()+"\n"))
			if err != nil {
				t.Fatalf("%q, printed back from line %d, does not parse: %v", st.Action.String(), st.Action.Line, err)
			}
			got := again.Steps[0].Action
			if got.Verb != st.Action.Verb || !slices.Equal(got.Args, st.Action.Args) {
				t.Fatalf("line %d reads back as %q %q, not %q %q", st.Action.Line, got.Verb, got.Args, st.Action.Verb, st.Action.Args)
			}
		}
	})
}
