// Package qcode holds what every part of qcode shares: the error taxonomy that
// lets a front end tell a user's mistake from an internal failure and phrase
// it in its own terms (a flag on the command line, a field in the browser).
package qcode

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. A front end maps each to what it shows: the command line to
// one exit status (see cmd/qcode), the browser workspace to an HTTP status.
const (
	EINVALID  = "invalid"   // the user's input is wrong: a file, an option, a value
	ENOTFOUND = "not_found" // a file, project, source or code does not exist
	ECONFLICT = "conflict"  // the request clashes with what is already there
	EBUSY     = "busy"      // another process is writing the same thing: retry
	EINTERNAL = "internal"  // a failure that is not the user's to mend
)

// Error is an error a user can act on. Message says what is wrong, where and
// how to mend it, in words that name no front end's controls: an error about
// an option sets Field to the option's name in qcode's vocabulary ("coder",
// "unit", "format") and Value to what was given, and each front end names
// the field its own way (the command line as --coder, the browser as the
// form's field).
type Error struct {
	Code    string
	Message string
	Field   string   // the option at fault, in qcode's words, or ""
	Value   string   // the value given for Field
	Allowed []string // the values Field takes, when they are few and fixed
	Near    []string // names Value may have meant; a front end shows the nearest
	// Help names what helps mend the error, one of the Help constants, for
	// each front end to point to in its own way (a command to type, a
	// button); HelpOn is what it is about (a source's name), if anything.
	Help, HelpOn string
	Err          error // the structured error behind Message, if any
}

// What helps mend an error (Error.Help).
const (
	HelpProject      = "project"       // make a project, or name the one to use
	HelpSegments     = "segments"      // a source's segments with their ids and offsets (HelpOn: the source)
	HelpCodings      = "codings"       // a source's codings (HelpOn: the source)
	HelpRebuildIndex = "rebuild_index" // make the search index anew from the store
	HelpOption       = "option"        // an option of the same request mends it (HelpOn: its name)
)

// Error phrases e with fields named as qcode's vocabulary names them. A
// front end that names them otherwise calls Phrase.
func (e *Error) Error() string { return e.Phrase(nil) }

// Phrase writes e as one line, naming its field by label(e.Field) (by the
// field's own name when label is nil) and adding the allowed values. Hints
// drawn from Near are the front end's to add (see app.Phrase).
func (e *Error) Phrase(label func(field string) string) string {
	var b strings.Builder
	if e.Field != "" {
		name := e.Field
		if label != nil {
			name = label(e.Field)
		}
		b.WriteString(name)
		if e.Value != "" {
			b.WriteString(" ")
			b.WriteString(e.Value)
		}
		if e.Message != "" {
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Message)
	if len(e.Allowed) > 0 {
		b.WriteString("; choose one of ")
		b.WriteString(strings.Join(e.Allowed, ", "))
	}
	return b.String()
}

// Unwrap returns the structured error behind the message, so callers can
// reach it with errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID *Error about the option field given value:
// message says what is wrong with it; allowed, if any, lists what it takes.
func FieldError(field, value, message string, allowed ...string) *Error {
	return &Error{Code: EINVALID, Field: field, Value: value, Message: message, Allowed: allowed}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
