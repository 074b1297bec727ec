package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"outboxlab/sim"
)

func TestEveryBuiltinScenarioPasses(t *testing.T) {
	course, err := Course()
	require.NoError(t, err)
	require.NotEmpty(t, course)
	for _, script := range course {
		t.Run(script.Name, func(t *testing.T) {
			assert.NotEmpty(t, script.Title, "a scenario needs a title")
			expects, shots := 0, 0
			for _, st := range script.Steps {
				expects += len(st.Expects)
				shots += len(st.Shots)
			}
			assert.Positive(t, expects, "a lesson checks at least one claim")
			assert.Positive(t, shots, "a lesson marks at least one screenshot")

			lab, err := script.OpenLab(sim.Options{})
			require.NoError(t, err)
			defer lab.Close()
			require.NoError(t, script.Play(lab, Hooks{}))
		})
	}
}

func TestBuiltinScenariosAreNumberedInCourseOrder(t *testing.T) {
	course, err := Course()
	require.NoError(t, err)
	for i, s := range course {
		num, _, ok := strings.Cut(s.Name, "-")
		require.True(t, ok, "%s is not NN-name", s.Name)
		assert.Len(t, num, 2, "%s is not NN-name", s.Name)
		if i > 0 {
			assert.Less(t, course[i-1].Name, s.Name)
		}
		found, err := Builtin(num)
		require.NoError(t, err)
		assert.Equal(t, s.Name, found.Name)
	}
}

func TestABuiltinThatDoesNotExistListsTheCourse(t *testing.T) {
	_, err := Builtin("99")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no built-in scenario "99"`)
	assert.Contains(t, err.Error(), "01-happy-path")
}

func TestAFailedExpectationNamesFileAndLine(t *testing.T) {
	src := `title: Inline
send key=k1 item=book qty=1
expect orders = 1
expect orders = 2
expect orders = 3
`
	s, err := Parse("inline.scn", []byte(src))
	require.NoError(t, err)
	lab, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer lab.Close()

	var checked []string
	var failed []string
	err = s.Play(lab, Hooks{
		Checked: func(e Expect, _ string) { checked = append(checked, e.Text) },
		Failed:  func(e Expect, saw string) { failed = append(failed, e.Text+" / "+saw) },
	})
	require.Error(t, err)
	var f *Failure
	require.True(t, errors.As(err, &f), "want a *Failure, got %T: %v", err, err)
	assert.Equal(t, "inline.scn:4", f.Where)
	assert.Equal(t, "orders = 2", f.Expect)
	assert.Equal(t, "1", f.Saw)
	assert.Equal(t, "inline.scn:4: expected orders = 2, saw 1", err.Error())
	assert.Contains(t, err.Error(), "expected")
	assert.Contains(t, err.Error(), "saw")
	assert.Equal(t, []string{"orders = 1"}, checked, "play stops at the first failure")
	assert.Equal(t, []string{"orders = 2 / 1"}, failed)
}

func TestAnActionThatCannotRunNamesFileAndLine(t *testing.T) {
	src := `title: Nothing to resume
send key=k1
resume req-1
`
	s, err := Parse("resume.scn", []byte(src))
	require.NoError(t, err)
	lab, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer lab.Close()
	err = s.Play(lab, Hooks{})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "resume.scn:3: resume req-1: "), err.Error())
	assert.Contains(t, err.Error(), "nothing is paused")
}

func TestHooksSeeEveryStepInOrder(t *testing.T) {
	s, err := Builtin("01")
	require.NoError(t, err)
	lab, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer lab.Close()
	var steps []int
	var shots []string
	did := 0
	err = s.Play(lab, Hooks{
		Step: func(i int, st *Step) { steps = append(steps, i) },
		Did:  func(st *Step, result string) { did++ },
		Shot: func(st *Step, shot Shot) error { shots = append(shots, shot.Name); return nil },
	})
	require.NoError(t, err)
	require.Len(t, steps, len(s.Steps))
	for i, n := range steps {
		assert.Equal(t, i, n)
	}
	actions := 0
	var want []string
	for _, st := range s.Steps {
		if st.Action != nil {
			actions++
		}
		for _, sh := range st.Shots {
			want = append(want, sh.Name)
		}
	}
	assert.Equal(t, actions, did)
	assert.Equal(t, want, shots)
}

func TestAShotHookErrorStopsThePlayAtTheShotLine(t *testing.T) {
	s, err := Parse("shot.scn", []byte("title: T\nsend key=k1\nshot first\nsend key=k2\n"))
	require.NoError(t, err)
	lab, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer lab.Close()
	err = s.Play(lab, Hooks{Shot: func(*Step, Shot) error { return errors.New("disk full") }})
	require.Error(t, err)
	assert.Equal(t, "shot.scn:3: shot first: disk full", err.Error())
	assert.Len(t, lab.Client().History(), 1, "the step after the shot did not run")
}

func traceLines(lab *sim.Lab) []string {
	var out []string
	for _, e := range lab.Trace().Events(0) {
		out = append(out, e.String())
	}
	return out
}

func TestRewindReplaysToTheSameState(t *testing.T) {
	s, err := Builtin("01-happy-path")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(s.Steps), 3)

	whole, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer whole.Close()
	require.NoError(t, s.PlaySteps(whole, 0, 3, Hooks{}))

	split, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer split.Close()
	require.NoError(t, s.PlaySteps(split, 0, 2, Hooks{}))
	require.NoError(t, s.PlaySteps(split, 2, 3, Hooks{}))

	want := traceLines(whole)
	require.NotEmpty(t, want)
	assert.Equal(t, want, traceLines(split))
	assert.Equal(t, whole.Actions(), split.Actions())
}

func TestPlayStepsPastTheEndStopsAtTheLastStep(t *testing.T) {
	s, err := Builtin("01")
	require.NoError(t, err)
	lab, err := s.OpenLab(sim.Options{})
	require.NoError(t, err)
	defer lab.Close()
	require.NoError(t, s.PlaySteps(lab, 0, len(s.Steps)+5, Hooks{}))
}
