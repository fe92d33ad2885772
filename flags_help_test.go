package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// fangShowsDefault is fang's rule for printing a flag's default after its
// help text.
func fangShowsDefault(f *pflag.Flag) bool {
	switch f.DefValue {
	case "", "false", "0", "[]":
		return false
	}
	return true
}

// TestFlagHelpSaysEachDefaultOnce: a flag whose help says its default in
// words does not get it printed again after the text.
func TestFlagHelpSaysEachDefaultOnce(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if strings.Contains(strings.ToLower(f.Usage), "default") && fangShowsDefault(f) {
				t.Errorf("%s --%s: the help says the default and prints (%s) after it: %q", c.CommandPath(), f.Name, f.DefValue, f.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
}
