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
				if c.Annotations[untilStopped] != "" {
					checkExampleArgs(ts, c, line)
					lines++
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

// checkExampleArgs checks an example of a command that runs until stopped
// (qcode serve): its line is one qcode command whose arguments make the
// command's options, which are not run.
func checkExampleArgs(ts *testscript.TestScript, c *cobra.Command, line string) {
	cmds, err := splitShell(line)
	if err != nil || len(cmds) != 1 || cmds[0].program() != "qcode" {
		ts.Fatalf("the example of '%s --help' is not one qcode command: %s", c.CommandPath(), line)
	}
	e := newEnv(strings.NewReader(""), io.Discard, io.Discard)
	called := false
	e.options = func(any) { called = true }
	root := newRootCmd(e)
	root.SetArgs(cmds[0].words[1:])
	if err := root.Execute(); err != nil || !called {
		ts.Fatalf("the example of '%s --help' does not parse: %s: %v", c.CommandPath(), line, err)
	}
}
