package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// galleryCommand regenerates the README's gallery; keep it in step with
// the README.
var galleryCommand = []string{"play", "09", "10", "12", "--quiet", "--shots"}

const galleryDir = "../../assets/screenshots"

func TestTheCommittedGalleryIsWhatTheCommandRenders(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCmd(t, append(galleryCommand, dir)...)
	require.Equal(t, 0, code, stderr)

	rendered, err := filepath.Glob(filepath.Join(dir, "*.png"))
	require.NoError(t, err)
	committed, err := filepath.Glob(filepath.Join(galleryDir, "*.png"))
	require.NoError(t, err)
	require.Equal(t, names(rendered), names(committed), "the gallery holds exactly the pictures the command writes")

	regenerate := "go run ./cmd/outboxlab " + strings.Join(galleryCommand, " ") + " assets/screenshots"
	for _, path := range rendered {
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join(galleryDir, filepath.Base(path)))
		require.NoError(t, err)
		require.Truef(t, bytes.Equal(got, want), "%s no longer matches what the command renders; regenerate the gallery with: %s", filepath.Base(path), regenerate)
	}
}

func names(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}
