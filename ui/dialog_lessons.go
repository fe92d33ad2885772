package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/learn"
)

// LessonPickMsg asks the root to start lesson Index (from 0).
type LessonPickMsg struct{ Index int }

// lessonsDialog lists the lessons of a course, the completed ones ticked
// and the current one marked, to pick any of them.
type lessonsDialog struct {
	dialogBox
	course *learn.Course
	cursor int
}

// newLessonsDialog opens the list on the lesson being taken.
func newLessonsDialog(ctx *Context, course *learn.Course) *lessonsDialog {
	return &lessonsDialog{dialogBox: newDialogBox(ctx, dialogWidth), course: course, cursor: course.Index()}
}

// Update moves the cursor, picks or closes.
func (d *lessonsDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	n := d.course.Len()
	switch {
	case key.Matches(k, d.keys().Submit):
		return d, emit(LessonPickMsg{Index: d.cursor})
	case key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case key.Matches(k, d.keys().Next):
		d.cursor = (d.cursor + 1) % n
	case key.Matches(k, d.keys().Prev):
		d.cursor = (d.cursor + n - 1) % n
	}
	return d, nil
}

// View draws one line per lesson.
func (d *lessonsDialog) View() string {
	st := d.styles()
	cw := d.contentWidth()
	body := make([]string, 0, d.course.Len())
	for i, l := range d.course.Track().Lessons {
		mark, markSt := " ", st.Muted
		switch {
		case d.course.Completed(i):
			mark, markSt = stepDone, st.StepDone
		case i == d.course.Index():
			mark, markSt = stepNext, st.StepNext
		}
		line := fmt.Sprintf("%2d  %s", i+1, l.Title)
		textSt := st.Text
		if i == d.cursor {
			textSt = st.CompletionSelected
		}
		body = append(body, markSt.Render(mark)+" "+textSt.Render(fitLine(line, max(1, cw-2))))
	}
	text := d.course.Track().Text
	hints := st.Muted.Render(fmt.Sprintf(text.PickerHelp, lessonsMoveKeys, d.keys().Submit.Help().Key, d.keys().Cancel.Help().Key))
	return d.render(text.PickerTitle, body, hints)
}

// lessonsMoveKeys names the keys that move through the list: the dialog's
// Next and Prev, which take ↓ and ↑ besides tab.
const lessonsMoveKeys = "↑↓"
