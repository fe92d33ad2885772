package learn

import "github.com/smtpscope/smtpscope/session"

// Course follows one learner through a [Track]: the lesson being taken,
// the hints revealed, the steps of its goal met so far, and the lessons
// completed. It is fed the live session's events and never does I/O; the
// caller saves [Course.Progress] when it changes.
type Course struct {
	track     *Track
	at        int
	attempt   *Attempt
	hints     int
	completed map[string]bool
	observer  Observer
}

// NewCourse starts a course on t from saved progress: at the lesson it
// names, or at the first lesson not completed (the first, when all are).
// Lessons the track no longer has are forgotten.
func NewCourse(t *Track, p Progress) *Course {
	c := &Course{track: t, completed: map[string]bool{}}
	for _, id := range p.Completed {
		if t.Index(id) >= 0 {
			c.completed[id] = true
		}
	}
	at := t.Index(p.Current)
	if at < 0 {
		at = 0
		for i, l := range t.Lessons {
			if !c.completed[l.ID] {
				at = i
				break
			}
		}
	}
	c.Go(at)
	return c
}

// Track returns the track the course follows.
func (c *Course) Track() *Track { return c.track }

// Index returns the position of the lesson being taken, from 0.
func (c *Course) Index() int { return c.at }

// Len returns the number of lessons.
func (c *Course) Len() int { return len(c.track.Lessons) }

// Lesson returns the lesson being taken.
func (c *Course) Lesson() *Lesson { return c.track.Lessons[c.at] }

// Go starts lesson i afresh: no step met, no hint shown. It reports false
// and changes nothing when there is no lesson i.
func (c *Course) Go(i int) bool {
	if i < 0 || i >= len(c.track.Lessons) {
		return false
	}
	c.at = i
	c.attempt = c.track.Lessons[i].goal.Start()
	c.hints = 0
	return true
}

// Next moves to the following lesson; false after the last.
func (c *Course) Next() bool { return c.Go(c.at + 1) }

// Prev moves to the lesson before; false at the first.
func (c *Course) Prev() bool { return c.Go(c.at - 1) }

// Observe feeds one session event to the lesson's goal. It reports true
// when the event reached the goal, once per attempt; the lesson is then
// completed.
func (c *Course) Observe(e session.Event) bool {
	f, ok := c.observer.Observe(e)
	if !ok || !c.attempt.Feed(f) {
		return false
	}
	c.completed[c.Lesson().ID] = true
	return true
}

// Reached reports whether the goal of the lesson being taken is reached.
func (c *Course) Reached() bool { return c.attempt.Met() }

// Steps returns the goal's checklist.
func (c *Course) Steps() []Step { return c.attempt.Steps() }

// ShowHint reveals one more hint; false when all are shown.
func (c *Course) ShowHint() bool {
	if c.hints >= len(c.Lesson().Hints) {
		return false
	}
	c.hints++
	return true
}

// Hints returns the hints revealed so far.
func (c *Course) Hints() []string { return c.Lesson().Hints[:c.hints] }

// Completed reports whether lesson i has been completed, in this run or
// an earlier one.
func (c *Course) Completed(i int) bool {
	return i >= 0 && i < len(c.track.Lessons) && c.completed[c.track.Lessons[i].ID]
}

// Progress returns what to save: the lesson being taken and the lessons
// completed, by id, in track order. It holds nothing else.
func (c *Course) Progress() Progress {
	p := Progress{Version: progressVersion, Current: c.Lesson().ID}
	for _, l := range c.track.Lessons {
		if c.completed[l.ID] {
			p.Completed = append(p.Completed, l.ID)
		}
	}
	return p
}
