package main

import "github.com/spf13/pflag"

// defaultInWords hides the printed default of the named flags, whose help
// text says their default in words: the help would otherwise show it
// twice ("(default: per stage, up to 2m) (0s)"), or tack it onto the last
// choice listed ("…, off (auto)"). The help prints a default only when it
// is not empty (fang's rule), and the value a flag starts with is
// unchanged.
func defaultInWords(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		if f := fs.Lookup(n); f != nil {
			f.DefValue = ""
		}
	}
}
