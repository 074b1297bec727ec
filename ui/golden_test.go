package ui

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"outboxlab/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// goldenScreens are key moments of the window whose layout the goldens
// guard: a phantom event at 1×, a 409 at presenter scale in the dark theme,
// and a lesson's end with a caption, at the smallest size we support.
var goldenScreens = []struct {
	golden   string
	scenario string
	shot     string
	opts     ShotOptions
}{
	{"phantom-1600x1000", "10", "phantom-shipped", ShotOptions{Width: 1600, Height: 1000}},
	{"conflict-409-dark-2x", "04", "conflict-409", ShotOptions{Width: 1600, Height: 1000, Scale: 2, Dark: true}},
	{"delivered-1280x800-caption", "01", "delivered", ShotOptions{Width: 1280, Height: 800, Caption: true}},
}

// TestGoldenScreens compares key screens with testdata/*.png. A mismatch
// writes the new picture to testdata/failed/ for review (git ignores it);
// go test ./ui -run Golden -update accepts the new pictures.
func TestGoldenScreens(t *testing.T) {
	for _, g := range goldenScreens {
		t.Run(g.golden, func(t *testing.T) {
			script, err := scenarios.Builtin(g.scenario)
			if err != nil {
				t.Fatal(err)
			}
			got := shootAll(t, g.opts, script)[g.shot]
			if got == nil {
				t.Fatalf("scenario %s has no shot %s", g.scenario, g.shot)
			}
			path := filepath.Join("testdata", g.golden+".png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("no golden image (run go test ./ui -run Golden -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				failed := filepath.Join("testdata", "failed", g.golden+".png")
				if err := os.MkdirAll(filepath.Dir(failed), 0o755); err == nil {
					_ = os.WriteFile(failed, got, 0o644)
				}
				t.Fatalf("the screen no longer matches %s; the new picture is %s: review it, then accept it with -update", path, failed)
			}
		})
	}
}
