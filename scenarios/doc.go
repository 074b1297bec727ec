// Package scenarios reads and plays scenario scripts: plain text files
// (.scn) a presenter writes by hand, with a title, narration, actions on the
// lab, expectations and screenshot marks. The built-in course is embedded
// from course/.
//
// A script is parsed whole and checked before anything runs, so a bad file
// never half-runs; errors read FILE:LINE: what is wrong. Play drives a
// sim.Lab through the steps, checking each expectation after the step it
// follows. The same scripts drive the GUI's course player, the headless
// `outboxlab play` command and the Go tests. README.md beside this file is
// the language reference.
package scenarios
