package app

import (
	"errors"
	"fmt"
	"testing"

	"qcode"
)

func TestPhrase(t *testing.T) {
	flag := func(field string) string { return "--" + field }
	coders := []string{"amina", "ben", "rules"}
	for _, tc := range []struct {
		name  string
		err   error
		label func(string) string
		want  string
	}{
		{"a field named by the front end", &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: "bob", Message: "no codings by bob", Allowed: []string{"alice", "rules"}}, flag,
			"--coder bob: no codings by bob; choose one of alice, rules"},
		{"a field in qcode's words", &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: "bob", Message: "no codings by bob", Allowed: []string{"alice", "rules"}}, nil,
			"coder bob: no codings by bob; choose one of alice, rules"},
		{"a hint from the allowed values", &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: "amna", Message: "no codings by amna", Allowed: coders}, flag,
			"--coder amna: no codings by amna; choose one of amina, ben, rules; did you mean amina?"},
		{"a hint from the near names", &qcode.Error{Code: qcode.ENOTFOUND, Field: "source", Value: "P0", Message: "no such source in the project", Near: []string{"P01", "P02", "Q7"}}, nil,
			"source P0: no such source in the project; did you mean P01 or P02?"},
		{"a value that is allowed gets no hint", &qcode.Error{Code: qcode.EINVALID, Field: "coder", Value: "rules", Message: "the name is the rules engine's", Near: coders}, flag,
			"--coder rules: the name is the rules engine's"},
		{"no field, a hint still", &qcode.Error{Code: qcode.ENOTFOUND, Value: "P13", Message: `cases.csv:3: no case named "P13"`, Near: []string{"P03", "P12"}}, flag,
			`cases.csv:3: no case named "P13"; did you mean P03 or P12?`},
		{"a wrapped error keeps its wrapper's words", fmt.Errorf("%w (files before it were imported)", &qcode.Error{Code: qcode.EINVALID, Field: "format", Value: "rtf", Message: "unknown format", Allowed: []string{"docx", "txt"}}), flag,
			"--format rtf: unknown format; choose one of docx, txt (files before it were imported)"},
		{"another error reads as itself", errors.New("disk full"), flag, "disk full"},
		{"one line", errors.New("first\nsecond"), nil, "first"},
	} {
		if got := Phrase(tc.err, tc.label); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
