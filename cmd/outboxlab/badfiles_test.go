package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// files reads every file under dir, by path relative to dir, with
// directories as "DIR/": what the user would compare with ls and cmp.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(path)
		out[rel] = string(b)
		return err
	})
	require.NoError(t, err)
	return out
}

// requireFailsOnOneLine checks a failed command the way a user reads it:
// the exit code, one line on stderr that starts with the command and says
// what is wrong, and no panic.
func requireFailsOnOneLine(t *testing.T, code int, stderr string, wantCode int, prefix string, says ...string) {
	t.Helper()
	assert.Equal(t, wantCode, code, stderr)
	requireOneLine(t, stderr)
	assert.NotContains(t, stderr, "internal error")
	assert.True(t, strings.HasPrefix(stderr, prefix), "want %q first, got %q", prefix, stderr)
	for _, s := range says {
		assert.Contains(t, stderr, s)
	}
}

// labDatabase makes the directory a `serve --db DIR` run leaves behind,
// with one order that went all the way through.
func labDatabase(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lab")
	lab, err := sim.Open(sim.Options{Dir: dir, Seed: 1})
	require.NoError(t, err)
	require.Equal(t, sim.ResultCreated, lab.Send("k1", sim.OrderRequest{Item: "book", Qty: 1}).Result)
	_, err = lab.Drain()
	require.NoError(t, err)
	require.NoError(t, lab.Close())
	return dir
}

func TestServeRefusesABadDatabaseDirectoryAndLeavesItAsItWas(t *testing.T) {
	tests := []struct {
		name string
		// prepare makes the user's files under root and returns the --db
		// argument.
		prepare func(t *testing.T, root string) string
		says    []string
	}{
		{"orders.db is not a SQLite file", func(t *testing.T, root string) string {
			dir := filepath.Join(root, "db")
			require.NoError(t, os.Mkdir(dir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "orders.db"), []byte("my order notes, not a database\n"), 0o644))
			return dir
		}, []string{"orders.db", "not a SQLite database"}},
		{"orders.db is truncated", func(t *testing.T, root string) string {
			dir := labDatabase(t)
			path := filepath.Join(dir, "orders.db")
			info, err := os.Stat(path)
			require.NoError(t, err)
			require.NoError(t, os.Truncate(path, info.Size()/2))
			return moveInto(t, dir, root)
		}, []string{"orders.db", "corrupted"}},
		{"orders.db has garbage over its tables", func(t *testing.T, root string) string {
			dir := labDatabase(t)
			path := filepath.Join(dir, "orders.db")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			// Page 1 (the header and the schema) stays: the file still
			// opens as SQLite, and only reading a table finds the damage.
			copy(b[4096:], bytes.Repeat([]byte{0xA5}, len(b)-4096))
			require.NoError(t, os.WriteFile(path, b, 0o644))
			return moveInto(t, dir, root)
		}, []string{"orders.db", "corrupted"}},
		{"orders.db is another program's SQLite database", func(t *testing.T, root string) string {
			dir := filepath.Join(root, "db")
			require.NoError(t, os.Mkdir(dir, 0o755))
			db, err := sql.Open("sqlite", filepath.Join(dir, "orders.db"))
			require.NoError(t, err)
			_, err = db.Exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')`)
			require.NoError(t, err)
			require.NoError(t, db.Close())
			return dir
		}, []string{"orders.db", "not the lab's", "customers"}},
		{"orders.db is a directory", func(t *testing.T, root string) string {
			dir := filepath.Join(root, "db")
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "orders.db", "inside"), 0o755))
			return dir
		}, []string{"orders.db", "is a directory"}},
		{"--db names a regular file", func(t *testing.T, root string) string {
			file := filepath.Join(root, "notes.txt")
			require.NoError(t, os.WriteFile(file, []byte("keep me"), 0o644))
			return file
		}, []string{"notes.txt", "not a directory"}},
		// The root-proof form of a directory that cannot be written: it
		// cannot even be made, since its parent is a file.
		{"--db inside a regular file", func(t *testing.T, root string) string {
			file := filepath.Join(root, "notes.txt")
			require.NoError(t, os.WriteFile(file, []byte("keep me"), 0o644))
			return filepath.Join(file, "db")
		}, []string{"notes.txt", "not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dbArg := tt.prepare(t, root)
			before := files(t, root)
			code, stdout, stderr := runServeOnce(t, "--db", dbArg)
			requireFailsOnOneLine(t, code, stderr, 1, "outboxlab: ", tt.says...)
			assert.Empty(t, stdout, "no addresses: nothing was served")
			assert.Equal(t, before, files(t, root), "the user's files are byte for byte as they were, with nothing added")
		})
	}
}

// runServeOnce runs serve with a stop already delivered: a serve that
// wrongly opens the lab exits 0 at once, and the test fails instead of
// waiting for a Ctrl-C that never comes.
func runServeOnce(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr syncBuffer
	code := run(append([]string{"serve"}, args...), &stdout, &stderr, stopAtOnce)
	return code, stdout.String(), stderr.String()
}

// moveInto moves a directory the lab made into root, so the test compares
// only what the user has there.
func moveInto(t *testing.T, dir, root string) string {
	t.Helper()
	to := filepath.Join(root, "db")
	require.NoError(t, os.Rename(dir, to))
	return to
}

func TestServeRefusesAReadOnlyDatabaseDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through permissions; TestServeRefusesABadDatabaseDirectoryAndLeavesItAsItWas has the root-proof case")
	}
	dir := labDatabase(t)
	require.NoError(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before := files(t, dir)
	code, _, stderr := runServeOnce(t, "--db", dir)
	requireFailsOnOneLine(t, code, stderr, 1, "outboxlab: ", dir, "not writable")
	assert.Equal(t, before, files(t, dir))
}

func TestPlayRefusesAScenarioThatIsNotASmallTextFile(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		says    string
	}{
		{"a binary file", append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 0xff, 0x10}, 300)...), "not a text file"},
		{"a file over the size limit", append([]byte("title: Huge\n"), bytes.Repeat([]byte("say padding\n"), scenarios.MaxFileBytes/12+1)...), "a scenario may be at most 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "lesson.scn")
			require.NoError(t, os.WriteFile(path, tt.content, 0o644))
			before := files(t, dir)
			code, stdout, stderr := runCmd(t, "play", path, "--trace", filepath.Join(dir, "t.json"))
			requireFailsOnOneLine(t, code, stderr, 2, "outboxlab play: "+path+": ", tt.says)
			assert.Empty(t, stdout, "nothing ran")
			assert.Equal(t, before, files(t, dir), "the file is unchanged and no trace was written")
		})
	}
}

func TestPlayRefusesADeviceThatNeverEnds(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	code, stdout, stderr := runCmd(t, "play", "/dev/zero")
	requireFailsOnOneLine(t, code, stderr, 2, "outboxlab play: /dev/zero: ", "not a regular file")
	assert.Empty(t, stdout)
}

func TestPlayNeverWritesOverTheScenarioItPlays(t *testing.T) {
	for _, tt := range []struct {
		name string
		args func(scn, dir string) []string
	}{
		{"--trace onto the scenario", func(scn, dir string) []string { return []string{"--trace", scn} }},
		{"--mermaid onto the scenario by another path", func(scn, dir string) []string {
			return []string{"--mermaid", filepath.Join(dir, ".", "sub", "..", "one.scn")}
		}},
		{"--trace onto the scenario through a link", func(scn, dir string) []string {
			link := filepath.Join(dir, "link.json")
			require.NoError(t, os.Symlink(scn, link))
			return []string{"--trace", link}
		}},
		{"--trace and --mermaid into one file", func(scn, dir string) []string {
			return []string{"--trace", filepath.Join(dir, "t.out"), "--mermaid", filepath.Join(dir, "t.out")}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
			scn := filepath.Join(dir, "one.scn")
			require.NoError(t, os.WriteFile(scn, []byte(passingScenario), 0o644))
			args := tt.args(scn, dir)
			before := files(t, dir)
			code, stdout, stderr := runCmd(t, append([]string{"play", scn}, args...)...)
			requireFailsOnOneLine(t, code, stderr, 2, "outboxlab play: ", "would overwrite")
			assert.Empty(t, stdout, "nothing ran")
			assert.Equal(t, before, files(t, dir))
		})
	}
}

func TestPlayTraceOntoAnExistingDirectoryFailsBeforeRunningAndLeavesItAlone(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "trace.json")
	require.NoError(t, os.Mkdir(target, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(target, "mine.txt"), []byte("mine"), 0o644))
	before := files(t, dir)
	code, stdout, stderr := runCmd(t, "play", "01", "--trace", target)
	requireFailsOnOneLine(t, code, stderr, 2, "outboxlab play: --trace "+target+": ", "is a directory")
	assert.Empty(t, stdout, "nothing ran")
	assert.Equal(t, before, files(t, dir), "the directory keeps its files, and no temporary file is left next to it")
}

func TestPlayShotsIntoAPlaceThatCannotBeWrittenFailsAndLeavesItAlone(t *testing.T) {
	src := scenarioFile(t, "one.scn", passingScenario)
	tests := []struct {
		name    string
		prepare func(t *testing.T, root string) string // returns --shots
		code    int
		says    []string
	}{
		{"--shots names a regular file", func(t *testing.T, root string) string {
			file := filepath.Join(root, "pictures")
			require.NoError(t, os.WriteFile(file, []byte("not a directory"), 0o644))
			return file
		}, 1, []string{"--shots", "not a directory"}},
		// Root can write anywhere, but not a file where a directory is.
		{"the picture's name is taken by a directory", func(t *testing.T, root string) string {
			dir := filepath.Join(root, "pictures")
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "one-sent.png"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "older.png"), []byte("an older picture"), 0o644))
			return dir
		}, 1, []string{"one-sent.png", "is a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			shots := tt.prepare(t, root)
			before := files(t, root)
			code, _, stderr := runCmd(t, "play", src, "--quiet", "--shots", shots, "--size", "640x400")
			requireFailsOnOneLine(t, code, stderr, tt.code, "outboxlab play: ", tt.says...)
			assert.Equal(t, before, files(t, root))
		})
	}
}

func TestPlayShotsIntoAReadOnlyDirectoryFailsBeforeRunning(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through permissions; TestPlayShotsIntoAPlaceThatCannotBeWrittenFailsAndLeavesItAlone has root-proof cases")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "older.png"), []byte("an older picture"), 0o644))
	require.NoError(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before := files(t, dir)
	code, stdout, stderr := runCmd(t, "play", "01", "--quiet", "--shots", dir)
	requireFailsOnOneLine(t, code, stderr, 1, "outboxlab play: --shots "+dir+": ", "not writable")
	assert.Empty(t, stdout, "refused before anything ran")
	assert.Equal(t, before, files(t, dir))
}

// SQLite reads its file name as a URI: a "?" starts parameters, a "#" a
// fragment, and "%41" is "A". A directory named with them is an ordinary
// directory, and the lab's files go into it, not next to it.
func TestServeKeepsItsFilesInADatabaseDirectoryWithURICharactersInItsName(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "my?lab#1 100%41")
	code, stdout, stderr := runServeOnce(t, "--db", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "db: "+dir+"\n")
	var names []string
	for name := range files(t, root) {
		names = append(names, name)
	}
	slices.Sort(names)
	assert.Equal(t, []string{"./", "my?lab#1 100%41/", "my?lab#1 100%41/email.db", "my?lab#1 100%41/orders.db", "my?lab#1 100%41/warehouse.db"}, names)
}
