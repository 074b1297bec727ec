package ui

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"outboxlab/scenarios"
)

// shootAll renders every shot of script and returns each as PNG bytes.
func shootAll(t *testing.T, o ShotOptions, script *scenarios.Script) map[string][]byte {
	t.Helper()
	s, err := NewShooter(o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string][]byte{}
	err = s.Play(script, func(name string, img image.Image) error {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return err
		}
		out[name] = b.Bytes()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestShooterDrawsEveryShotOfAScenario(t *testing.T) {
	script, err := scenarios.Builtin("01")
	if err != nil {
		t.Fatal(err)
	}
	shots := shootAll(t, ShotOptions{Width: 800, Height: 500}, script)
	if len(shots) != 2 || shots["order-created"] == nil || shots["delivered"] == nil {
		t.Fatalf("shots %v, want order-created and delivered", keys(shots))
	}
	img, err := png.Decode(bytes.NewReader(shots["delivered"]))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 500 {
		t.Fatalf("picture is %v, want 800x500", b)
	}
	if bytes.Equal(shots["order-created"], shots["delivered"]) {
		t.Fatal("two different moments drew the same picture")
	}
	if dir := os.Getenv("OUTBOXLAB_SHOTS_DIR"); dir != "" {
		for name, b := range shots {
			if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestShooterCaptionAddsABandBelowTheWindow(t *testing.T) {
	script, err := scenarios.Builtin("01")
	if err != nil {
		t.Fatal(err)
	}
	plain := shootAll(t, ShotOptions{Width: 800, Height: 500}, script)
	captioned := shootAll(t, ShotOptions{Width: 800, Height: 500, Caption: true}, script)
	a, _ := png.Decode(bytes.NewReader(plain["delivered"]))
	b, err := png.Decode(bytes.NewReader(captioned["delivered"]))
	if err != nil {
		t.Fatal(err)
	}
	if b.Bounds().Dx() != 800 || b.Bounds().Dy() <= 500 {
		t.Fatalf("captioned picture is %v, want 800 wide and taller than 500", b.Bounds())
	}
	for y := 0; y < 500; y += 7 {
		for x := 0; x < 800; x += 7 {
			if a.At(x, y) != b.At(x, y) {
				t.Fatalf("the window differs at %d,%d with a caption", x, y)
			}
		}
	}
}

func TestShooterRejectsABadSizeOrScale(t *testing.T) {
	for _, o := range []ShotOptions{{Width: 10, Height: 10}, {Scale: 3}} {
		if _, err := NewShooter(o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// The same command twice gives byte-identical pictures: the lab clock,
// seeded ids, and nothing on screen from the wall clock.
func TestShotsAreByteIdenticalRunToRun(t *testing.T) {
	script, err := scenarios.Builtin("12")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []ShotOptions{{}, {Scale: 2, Dark: true, Caption: true}} {
		first := shootAll(t, o, script)
		second := shootAll(t, o, script)
		if len(first) == 0 || len(first) != len(second) {
			t.Fatalf("%+v: %d shots then %d", o, len(first), len(second))
		}
		for name, b := range first {
			if !bytes.Equal(b, second[name]) {
				t.Errorf("%+v: shot %s differs between two runs", o, name)
			}
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
