// Command qcode codes qualitative research data: it imports transcripts and
// surveys into a project, codes them by rules and by hand, searches,
// counts and exports them. It is a front end of package app: each command
// lives in its own cmd_*.go file, turns its flags into app's options, makes
// one call and prints the result; this file phrases errors in terms of
// flags and maps them to exit codes, in one place.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/app"
	"qcode/internal/atomicfile"
)

// Exit codes, documented in every command's help.
const (
	exitOK       = 0
	exitInternal = 1 // a failure that is not the user's to mend
	exitFailed   = 1 // checks ran and some failed (codebook test)
	exitInvalid  = 2 // bad input, flags or arguments
	exitNotFound = 3 // no such file, project or source
	exitConflict = 4 // clashes with what the project already holds
	exitBusy     = 5 // another qcode is writing to the project
	// exitInterrupted is the shell's code for a program stopped by SIGINT
	// (128+2); qcode gives it for SIGTERM as well, having stopped cleanly.
	exitInterrupted = 130
)

const exitStatusHelp = `
EXIT STATUS
  0 success, 1 internal error, 2 bad input or usage, 3 not found,
  4 conflict with the project's content, 5 project busy, 130 interrupted
  (Ctrl-C or SIGTERM: what was being written is rolled back).`

func main() {
	// bleve's scorch logs damage it passes over in an index to the
	// standard logger; qcode finds it itself, makes the index anew and
	// says so in its own words.
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		// A second Ctrl-C stops qcode at once, as it stops any program.
		stop()
		// Most work stops soon after its context is cancelled, and its
		// deferred cleanups run; a file being packed (a workbook) may not
		// look at it before it is done. Past a moment the process goes
		// anyway, removing the temporary files it was writing: SQLite
		// drops a transaction that never committed, and the search index
		// is swapped in whole or not at all.
		time.Sleep(interruptGrace)
		atomicfile.RemoveInFlight()
		fmt.Fprintln(os.Stderr, "qcode: "+interrupted)
		os.Exit(exitInterrupted)
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptGrace is how long an interrupted command has to stop by itself.
const interruptGrace = 2 * time.Second

// interrupted is the message of a command stopped by a signal.
const interrupted = "interrupted"

// run executes the command line and returns the exit code. Tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(newEnv(stdin, stdout, stderr))
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "qcode: "+interrupted)
		return exitInterrupted
	}
	fmt.Fprintln(stderr, "qcode: "+phrase(err, cmd))
	return exitCode(err)
}

// phrase says err as the command line does: fields as cmd's flags, and
// what helps as the command that shows or does it.
func phrase(err error, cmd *cobra.Command) string {
	return safe(withHelp(app.Phrase(err, flagLabel(cmd)), err))
}

// withHelp adds to msg, err phrased, the command that helps mend err.
func withHelp(msg string, err error) string {
	var e *qcode.Error
	if !errors.As(err, &e) || e.Help == "" {
		return msg
	}
	switch e.Help {
	case qcode.HelpProject:
		return msg + "; run 'qcode init DIR' or say --project DIR"
	case qcode.HelpSegments:
		return msg + fmt.Sprintf(" (see 'qcode show %s --sentences')", e.HelpOn)
	case qcode.HelpCodings:
		return msg + fmt.Sprintf(" (see 'qcode coding list --source %s')", e.HelpOn)
	case qcode.HelpOption:
		return msg + " (--" + strings.ReplaceAll(e.HelpOn, "_", "-") + ")"
	case qcode.HelpRebuildIndex:
		return msg + "; rebuild the search index with 'qcode index --rebuild'"
	}
	return msg
}

// flagLabel names an error's field as the command line does: as cmd's flag
// when cmd has one of that name ("coder" as --coder, "id_column" as
// --id-column), else in words ("id column").
// fieldFlag starts a command's annotation that names the flag an error's
// field was given by, where the two names differ ("field code": "themes").
const fieldFlag = "field "

func flagLabel(cmd *cobra.Command) func(field string) string {
	return func(field string) string {
		if cmd != nil {
			if flag, ok := cmd.Annotations[fieldFlag+field]; ok {
				return "--" + flag
			}
		}
		if name := strings.ReplaceAll(field, "_", "-"); cmd != nil && cmd.Flag(name) != nil {
			return "--" + name
		}
		return strings.ReplaceAll(field, "_", " ")
	}
}

func exitCode(err error) int {
	var usage *usageError
	if errors.As(err, &usage) {
		return exitInvalid
	}
	if errors.Is(err, errTestsFailed) {
		return exitFailed
	}
	switch qcode.ErrorCode(err) {
	case qcode.EINVALID:
		return exitInvalid
	case qcode.ENOTFOUND:
		return exitNotFound
	case qcode.ECONFLICT:
		return exitConflict
	case qcode.EBUSY:
		return exitBusy
	}
	if errors.Is(err, context.Canceled) {
		return exitInternal
	}
	return exitInternal
}

// usageError marks errors in the command line itself (unknown flag, wrong
// number of arguments).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() + " (see --help)" }
func (e *usageError) Unwrap() error { return e.err }
