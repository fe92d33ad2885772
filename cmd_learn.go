package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/learn"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
	"github.com/smtpscope/smtpscope/ui"
)

// learnOptions are the flags of `smtpscope learn`.
type learnOptions struct {
	lesson int
	reset  bool
	theme  string
}

func newLearnCmd() *cobra.Command {
	var o learnOptions
	cmd := &cobra.Command{
		Use:   "learn",
		Short: "Learn SMTP hands-on: guided lessons on the built-in sandbox",
		Long: `learn opens the sandbox with a lesson pane beside the live session. Each
lesson states a goal, explains the idea with the RFC section behind it, gives
hints when asked (alt+h), and notices from the session itself when the goal is
reached — then alt+. moves on. Eleven lessons go from the greeting to
greylisting, through STARTTLS, AUTH by hand and a provider's failure.
Progress is kept in $XDG_STATE_HOME/smtpscope (~/.local/state/smtpscope):
only which lessons are done, nothing typed.`,
		Example: `  smtpscope learn
  smtpscope learn --lesson 7
  smtpscope learn --reset`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLearn(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.lesson, "lesson", 0, "start at lesson N (default: where you left off)")
	f.BoolVar(&o.reset, "reset", false, "forget the lessons done and start over")
	f.StringVar(&o.theme, "theme", "", "colour theme: "+strings.Join(themes.Names(), ", ")+" (default: from the terminal; NO_COLOR is honoured)")
	return cmd
}

// runLearn checks the flags, reads the progress, starts the sandbox as
// the lesson needs and runs the TUI with the lesson pane.
func runLearn(ctx context.Context, o learnOptions) error {
	st, err := chooseTheme(o.theme)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	track, err := lessonTrack()
	if err != nil {
		return err
	}
	if o.lesson < 0 || o.lesson > len(track.Lessons) {
		return withExitCode(exitUsage, fmt.Errorf("--lesson %d: choose a lesson from 1 to %d", o.lesson, len(track.Lessons)))
	}
	if !stdioIsTerminal() {
		return withExitCode(exitUsage, errors.New("smtpscope learn needs a terminal on stdin and stdout"))
	}
	store, err := learn.DefaultStore()
	if err != nil {
		return err
	}
	if o.reset {
		if err := store.Reset(); err != nil {
			return err
		}
	}
	course, err := startCourse(track, store, o.lesson)
	if err != nil {
		return err
	}
	if err := store.Save(course.Progress()); err != nil {
		return err
	}
	runner, err := startSandboxRunner(course.Lesson().Sandbox)
	if err != nil {
		return fmt.Errorf("cannot start the sandbox: %w", err)
	}
	defer runner.Close()
	opts := ui.Options{
		Styles:     st,
		ThemeFixed: (o.theme != "" && o.theme != themes.NameAuto) || os.Getenv("NO_COLOR") != "",
		NoColorEnv: os.Getenv("NO_COLOR") != "",
		Username:   sandbox.DemoUsername,
		Version:    versionString(),
	}
	var cfg session.Config
	runner.configure(&cfg, &opts)
	opts.Host = cfg.SNI
	opts.Lessons = lessonOptions(course, store, runner, true)
	opts.Doctor = connectDoctor(cfg, sandbox.DemoAddress, &session.AuthRequest{Secret: sandbox.DemoPassword})
	return runTUI(ctx, cfg, opts)
}

// lessonTrack loads the lessons in the user's language (LC_ALL,
// LC_MESSAGES, LANG), English when there is no catalog for it.
func lessonTrack() (*learn.Track, error) {
	return learn.Load(learn.LanguageFor(learn.LocaleFromEnv(os.Getenv)))
}

// startCourse starts the course where the learner left it, or at lesson
// n (from 1; 0: where they left).
func startCourse(track *learn.Track, store learn.Store, n int) (*learn.Course, error) {
	progress, err := store.Load()
	if err != nil {
		return nil, err
	}
	if n > 0 && n <= len(track.Lessons) {
		progress.Current = track.Lessons[n-1].ID
	}
	return learn.NewCourse(track, progress), nil
}

// lessonOptions hands the course to the UI, saving in store and readying
// the sandbox through runner.
func lessonOptions(course *learn.Course, store learn.Store, runner *sandboxRunner, open bool) *ui.Lessons {
	return &ui.Lessons{Course: course, Open: open, Running: runner.Running(), Save: store.Save, Prepare: runner.Prepare}
}

// sandboxLessons offers the lesson track, a key away, on a sandbox
// session started without smtpscope learn.
func sandboxLessons(runner *sandboxRunner) (*ui.Lessons, error) {
	track, err := lessonTrack()
	if err != nil {
		return nil, err
	}
	store, err := learn.DefaultStore()
	if err != nil {
		return nil, err
	}
	course, err := startCourse(track, store, 0)
	if err != nil {
		return nil, err
	}
	return lessonOptions(course, store, runner, false), nil
}
