package export

import (
	"fmt"
	"strings"
)

// shellCommand builds a command line of several continued lines: each
// group of words goes on its own line, joined with " \" continuations.
type shellCommand struct {
	lines [][]string
	err   error
}

// add appends a group of literal words (options, already safe).
func (c *shellCommand) add(words ...string) { c.lines = append(c.lines, words) }

// opt appends an option and its value, the value quoted for the shell.
// Values beginning with "-" go as --opt=value so that no option parser
// can take them for an option.
func (c *shellCommand) opt(name, value string) {
	q, err := shellWord(value)
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("%s: %w", name, err)
	}
	c.optRaw(name, q)
}

// optRaw appends an option whose value is shell text already (a quoted
// variable expansion).
func (c *shellCommand) optRaw(name, value string) {
	if len(c.lines) == 0 {
		c.lines = append(c.lines, nil)
	}
	c.lines[len(c.lines)-1] = append(c.lines[len(c.lines)-1], name, value)
}

// newline starts a new continued line.
func (c *shellCommand) newline() { c.lines = append(c.lines, nil) }

// String renders the command, two spaces before each continued line.
func (c *shellCommand) String() string {
	var parts []string
	for _, l := range c.lines {
		if len(l) > 0 {
			parts = append(parts, strings.Join(l, " "))
		}
	}
	return strings.Join(parts, " \\\n  ")
}

// requiredEnv is a double-quoted expansion of name that stops the shell
// with why when the variable is unset or empty (POSIX.1-2017 2.6.2).
func requiredEnv(name, why string) string {
	return `"${` + name + `:?set ` + name + ` to ` + why + `}"`
}

// optionalFileArgs are the words "OPT FILE" when the variable name is set,
// and nothing otherwise (POSIX.1-2017 2.6.2, ${parameter:+word}).
func optionalFileArgs(opt, name string) []string {
	return []string{`${` + name + `:+` + opt + `}`, `${` + name + `:+"$` + name + `"}`}
}

// shellComment turns text into # comment lines.
func shellComment(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			b.WriteString("#\n")
			continue
		}
		b.WriteString("# " + l + "\n")
	}
	return b.String()
}

// quoteMessageLine quotes one message line for a shell: always in single
// quotes, tabs kept (shellSafeMessage has refused other controls).
func quoteMessageLine(line string) string {
	return "'" + strings.ReplaceAll(line, "'", `'\''`) + "'"
}

// heredocDelimiter returns a here-document delimiter that no line of the
// message equals.
func heredocDelimiter(lines []string) string {
	delim := "SMTPSCOPE_MESSAGE"
	for n := 2; ; n++ {
		clash := false
		for _, l := range lines {
			if l == delim {
				clash = true
				break
			}
		}
		if !clash {
			return delim
		}
		delim = fmt.Sprintf("SMTPSCOPE_MESSAGE_%d", n)
	}
}

// headerComment is the comment that opens a shell export.
func (p *plan) headerComment(tool string, extra ...string) string {
	s := p.s
	lines := []string{
		fmt.Sprintf("Sends the message of an smtpscope session to %s (%s) with %s.", s.Address(), s.Security, tool),
	}
	lines = append(lines, p.envLines()...)
	lines = append(lines, extra...)
	return shellComment(lines...)
}
