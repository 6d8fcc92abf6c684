package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/cobra"
)

// cmdExamples runs every line of the Example of every command's --help,
// as testdata/script/examples.txtar asks ("examples DIR"):
//
//	examples DIR
//
// Each command's examples run in order, in a copy of the project DIR of
// their own, so that one command's examples (a codebook import --replace,
// say) do not change what another's find; HOME is that copy too, so that
// "~/interviews" names the interviews there. A line must succeed (a pipe
// into a program that is not installed is cut down to its qcode commands,
// as for the README); what it prints is the business of the other tests.
// Every command that runs has an example.
func cmdExamples(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: examples DIR")
	}
	base := ts.MkAbs(args[0])
	back := ts.MkAbs(".")
	root := newRootCmd(newEnv(strings.NewReader(""), io.Discard, io.Discard))
	var missing []string
	lines := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && !c.HasSubCommands() && c.Example == "" {
			missing = append(missing, c.CommandPath())
		}
		if c.Example != "" {
			dir := filepath.Join(filepath.Dir(base), "examples", strings.ReplaceAll(c.CommandPath(), " ", "-"))
			ts.Check(os.CopyFS(dir, os.DirFS(base)))
			ts.Check(ts.Chdir(dir))
			ts.Setenv("HOME", dir)
			for _, line := range strings.Split(c.Example, "\n") {
				if line = strings.TrimSpace(line); line == "" {
					continue
				}
				if run, err := runShell(ts, line); err != nil {
					ts.Fatalf("the example of '%s --help' fails: %s: %v\n%s", c.CommandPath(), line, err, run.out)
				}
				lines++
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	ts.Check(ts.Chdir(back))
	if len(missing) > 0 {
		ts.Fatalf("commands whose --help has no example: %s", strings.Join(missing, ", "))
	}
	ts.Logf("ran %d example lines", lines)
}
