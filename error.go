// Package qcode holds what every part of qcode shares: the error taxonomy that
// lets commands tell a user's mistake from an internal failure, and the
// sample corpus that `qcode demo` builds a project from.
package qcode

import (
	"errors"
	"fmt"
)

// Error codes. A command maps each to one exit status (see cmd/qcode).
const (
	EINVALID  = "invalid"   // the user's input is wrong: a file, a flag, a value
	ENOTFOUND = "not_found" // a file, project, source or code does not exist
	ECONFLICT = "conflict"  // the request clashes with what is already there
	EBUSY     = "busy"      // another process holds the project's write lock
	EINTERNAL = "internal"  // a failure that is not the user's to mend
)

// Error is an error a user can act on. Message is one line that says what is
// wrong, where, and how to mend it; it is shown as is.
type Error struct {
	Code    string
	Message string
	Err     error // the structured error behind Message, if any
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the structured error behind the message, so callers can
// reach it with errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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
