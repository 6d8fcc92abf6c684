package app

import (
	"errors"
	"strings"

	"qcode"
)

// Phrase writes err as the one line a front end shows its user. A
// *qcode.Error in err's chain is phrased by its Phrase, with label naming
// its field as the front end does (the command line as a flag, the browser
// as a form's field; nil for qcode's own words), and ends with a "did you
// mean" naming its Suggestions. Words that errors wrapped around it add
// are kept. Any other error reads as its Error. Only the first line is
// kept.
func Phrase(err error, label func(field string) string) string {
	text := err.Error()
	var e *qcode.Error
	if errors.As(err, &e) {
		// A wrapper adds words around the error's own (see cmd/qcode's
		// import: "… (files before it were imported)"); they stay.
		text = strings.Replace(text, e.Error(), e.Phrase(label)+didYouMean(qcode.Suggestions(e)), 1)
	}
	first, _, _ := strings.Cut(text, "\n")
	return first
}
