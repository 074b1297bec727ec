package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlayShotsWritesAPictureAtEveryShotMarkTwiceIdentically(t *testing.T) {
	render := func() string {
		dir := filepath.Join(t.TempDir(), "made", "here")
		code, stdout, stderr := runCmd(t, "play", "01", "--quiet", "--shots", dir, "--size", "900x600", "--caption")
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "1 scenario(s) passed")
		return dir
	}
	first, second := render(), render()
	for _, name := range []string{"01-happy-path-order-created.png", "01-happy-path-delivered.png"} {
		a, err := os.ReadFile(filepath.Join(first, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(second, name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs", name)
		img, err := png.Decode(bytes.NewReader(a))
		require.NoError(t, err)
		assert.Equal(t, 900, img.Bounds().Dx())
		assert.Greater(t, img.Bounds().Dy(), 600, "the caption adds a band below the window")
	}
	entries, err := os.ReadDir(first)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file is left behind")
}

func TestPlayShotsOverwritesAnExistingPicture(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "one-sent.png")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	code, _, stderr := runCmd(t, "play", scenarioFile(t, "one.scn", passingScenario), "--shots", dir, "--size", "640x400")
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = png.Decode(bytes.NewReader(b))
	assert.NoError(t, err)
}

func TestPlayShotsRefusesBadOptionsBeforeRunning(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "never")
	for _, args := range [][]string{
		{"--size", "big"},
		{"--size", "10x10"},
		{"--scale", "3"},
		{"--theme", "blue"},
	} {
		code, _, stderr := runCmd(t, append([]string{"play", "01", "--shots", dir}, args...)...)
		assert.Equal(t, 2, code, "%v", args)
		requireOneLine(t, stderr)
	}
	_, err := os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "nothing is created for a bad command line")
}

func TestPlayShotsIntoAFileExitsOneWithOneLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plain")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	code, _, stderr := runCmd(t, "play", "01", "--shots", filepath.Join(file, "sub"))
	assert.Equal(t, 1, code)
	requireOneLine(t, stderr)
}

func TestShotFileNamesStayInsideTheDirectory(t *testing.T) {
	for _, bad := range [][2]string{{"x", "../up"}, {"x", "a/b"}, {"..", "x"}, {"x", `a\b`}, {"x", ""}, {"/abs", "x"}, {"x", ".hidden"}} {
		_, err := shotFile(bad[0], bad[1])
		assert.Error(t, err, "%q", bad)
	}
	name, err := shotFile("01-happy-path", "order-created")
	require.NoError(t, err)
	assert.Equal(t, "01-happy-path-order-created.png", name)
}

func TestTwoShotsWithOneFileNameAreRefused(t *testing.T) {
	src := "title: Twice\nsend key=k1\nshot same\nsend key=k2\nshot same\n"
	dir := t.TempDir()
	code, _, stderr := runCmd(t, "play", scenarioFile(t, "twice.scn", src), "--shots", dir)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "would overwrite")
}
