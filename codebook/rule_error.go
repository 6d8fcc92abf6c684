package codebook

import (
	"fmt"
	"strings"

	"qcode"
)

// RuleError is a mistake in a rule, at a column of the rule's text. The
// loader adds the rule's place in the file (Code.RulePos).
type RuleError struct {
	CodeID string // the code whose rule it is; "" for a query
	Col    int    // 1-based rune column in the rule text; 0 when not at one place
	Msg    string
	Near   []string // what a mistyped operator or #reference may have meant, nearest first
}

// Error reads "rule for risk_aversion: col 14: NEAR needs a distance, e.g. NEAR/5",
// or "col 6: unknown operator "NAER" (did you mean NEAR?)".
func (e *RuleError) Error() string { return e.message() + didYouMean(e.Near) }

// message is the error without its hint, which a Problem made from it adds.
func (e *RuleError) message() string {
	var b strings.Builder
	if e.CodeID != "" {
		b.WriteString("rule for ")
		b.WriteString(e.CodeID)
		b.WriteString(": ")
	}
	if e.Col > 0 {
		fmt.Fprintf(&b, "col %d: ", e.Col)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap classifies every rule error as the user's to mend (qcode.EINVALID),
// so qcode.ErrorCode maps it to the right exit status.
func (e *RuleError) Unwrap() error {
	return &qcode.Error{Code: qcode.EINVALID, Message: e.Error()}
}

// ErrorList is every rule error of a codebook, in codebook order.
type ErrorList []*RuleError

// Error lists the errors one to a line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors, so errors.As finds a *RuleError or qcode.Error in the list.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

func ruleErrorf(col int, format string, args ...any) *RuleError {
	return &RuleError{Col: col, Msg: fmt.Sprintf(format, args...)}
}
