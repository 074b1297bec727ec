package scenarios

import (
	"io/fs"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary files. It must never panic, and every
// error must be a *ParseError that starts with the file name, the way
// FILE:LINE: messages do, on one line.
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
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const file = "fuzz.scn"
		s, err := Parse(file, src)
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
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("%q is not one line", err.Error())
			}
			return
		}
		if s == nil || s.Title == "" || len(s.Steps) == 0 {
			t.Fatalf("Parse accepted a script without a title or steps: %+v", s)
		}
		for _, st := range s.Steps {
			if st.Line < 1 {
				t.Fatalf("a step has no line: %+v", st)
			}
			if st.Action == nil && len(st.Say) == 0 && len(st.Expects) == 0 && len(st.Shots) == 0 {
				t.Fatalf("an empty step: %+v", st)
			}
		}
	})
}
