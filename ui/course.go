package ui

import (
	"fmt"
	"strings"

	"outboxlab/scenarios"
	"outboxlab/sim"
)

// LoadScript starts a scenario in the course player on a fresh lab.
func (c *Controller) LoadScript(s *scenarios.Script) {
	c.enqueue(func() {
		err := c.replaceLab(s)
		c.mu.Lock()
		c.course = CourseView{Script: s}
		c.mu.Unlock()
		status := fmt.Sprintf("loaded %s: %d steps", s.Title, len(s.Steps))
		c.publish(status, err)
	})
}

// StepForward runs the next step of the loaded scenario.
func (c *Controller) StepForward() {
	c.enqueue(func() {
		cv := c.courseNow()
		if cv.Script == nil {
			c.publish("", fmt.Errorf("no scenario is loaded: pick one from the course list"))
			return
		}
		if cv.Next >= len(cv.Script.Steps) {
			c.publish("the scenario is over; Restart plays it again", nil)
			return
		}
		status, err := c.playStep(cv.Script, cv.Next)
		c.publish(status, err)
	})
}

// StepBack rewinds one step: a fresh lab replays the steps before it. The
// lab is deterministic, so the state is exactly what it was.
func (c *Controller) StepBack() { c.rewindTo(func(next int) int { return next - 1 }) }

// Restart rewinds to the start of the loaded scenario.
func (c *Controller) Restart() { c.rewindTo(func(int) int { return 0 }) }

func (c *Controller) rewindTo(target func(next int) int) {
	c.enqueue(func() {
		cv := c.courseNow()
		if cv.Script == nil {
			c.publish("", fmt.Errorf("no scenario is loaded"))
			return
		}
		to := max(target(cv.Next), 0)
		if err := c.replaceLab(cv.Script); err != nil {
			c.publish("", err)
			return
		}
		c.mu.Lock()
		c.course = CourseView{Script: cv.Script}
		c.mu.Unlock()
		var err error
		status := "back at the start"
		for i := range to {
			if status, err = c.playStep(cv.Script, i); err != nil {
				break
			}
		}
		if err == nil && to > 0 {
			status = fmt.Sprintf("rewound to step %d of %d", to, len(cv.Script.Steps))
		}
		c.publish(status, err)
	})
}

// courseNow reads where the course player is.
func (c *Controller) courseNow() CourseView {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.course
}

// playStep runs step i on the current lab and records where the course is.
func (c *Controller) playStep(s *scenarios.Script, i int) (string, error) {
	var did []string
	err := s.PlaySteps(c.Lab(), i, i+1, scenarios.Hooks{
		Did: func(st *scenarios.Step, result string) {
			line := st.Action.String()
			if result != "" {
				line += " → " + result
			}
			did = append(did, line)
		},
	})
	c.mu.Lock()
	c.course.Next = i + 1
	c.course.Narration = s.Steps[i].Say
	c.course.Failure = ""
	if err != nil {
		c.course.Failure = err.Error()
	}
	c.mu.Unlock()
	status := fmt.Sprintf("step %d of %d", i+1, len(s.Steps))
	if len(did) > 0 {
		status += ": " + strings.Join(did, "; ")
	}
	return status, err
}

// Recording returns what was done on the current lab as a scenario file.
func (c *Controller) Recording(title string) string {
	lab := c.Lab()
	return scenarios.Record(title, c.seed(), lab.Actions())
}

func (c *Controller) seed() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.course.Script != nil {
		return c.course.Script.Seed
	}
	return c.opts.Seed
}

// Do is a shorthand for commands that only report an error.
func Do(c *Controller, status string, fn func(*sim.Lab) error) {
	c.Run(func(l *sim.Lab) (string, error) { return status, fn(l) })
}
