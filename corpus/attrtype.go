package corpus

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TypeError reports a value that does not fit the type the rest of its
// column has. Index is the value's position in the slice given to InferType,
// so a caller can name the file, row and column; Want is the column's type.
type TypeError struct {
	Index int
	Value string
	Want  AttrType
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("%s (value %d of the column)", e.Problem(), e.Index+1)
}

// Problem says what is wrong without the value's position, for callers that
// name the row themselves.
func (e *TypeError) Problem() string {
	return fmt.Sprintf("value %q is not a %s, but most of the column is", e.Value, typeNoun(e.Want))
}

// typeNoun names a type as a message says it ("a number", "a date").
func typeNoun(t AttrType) string {
	if t == AttrDate {
		return "date (YYYY-MM-DD or DD/MM/YYYY)"
	}
	return string(t)
}

// InferType finds the type of a column from its values, ignoring empty ones:
// AttrNumber when every value is a number, AttrDate when every value is a
// date NormalizeDate accepts, and AttrText otherwise. A column in which more
// than half the values are numbers (or dates) but some are not is most likely
// a typing slip, so it is a *TypeError naming the first misfit rather than
// quietly text: a typo must not turn "years involved" into text and break
// every numeric query on it.
func InferType(values []string) (AttrType, error) {
	var n, numbers, dates int
	firstNotNumber, firstNotDate := -1, -1
	for i, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		n++
		if _, ok := parseNumber(v); ok {
			numbers++
		} else if firstNotNumber < 0 {
			firstNotNumber = i
		}
		if _, ok := NormalizeDate(v); ok {
			dates++
		} else if firstNotDate < 0 {
			firstNotDate = i
		}
	}
	switch {
	case n == 0:
		return AttrText, nil
	case numbers == n:
		return AttrNumber, nil
	case dates == n:
		return AttrDate, nil
	case numbers*2 > n:
		return "", &TypeError{Index: firstNotNumber, Value: strings.TrimSpace(values[firstNotNumber]), Want: AttrNumber}
	case dates*2 > n:
		return "", &TypeError{Index: firstNotDate, Value: strings.TrimSpace(values[firstNotDate]), Want: AttrDate}
	}
	return AttrText, nil
}

// NormalizeValue returns s in the stored form of type t: a number as
// strconv.FormatFloat(v, 'f', -1, 64) writes it, a date as YYYY-MM-DD, text
// trimmed. An empty value stays empty.
func NormalizeValue(t AttrType, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	switch t {
	case AttrNumber:
		v, ok := parseNumber(s)
		if !ok {
			return "", fmt.Errorf("%q is not a number", s)
		}
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case AttrDate:
		d, ok := NormalizeDate(s)
		if !ok {
			return "", fmt.Errorf("%q is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY", s)
		}
		return d, nil
	case AttrText:
		return s, nil
	}
	return "", fmt.Errorf("unknown attribute type %q", t)
}

// parseNumber parses a plain decimal number. strconv.ParseFloat alone would
// also take "NaN", "Inf", hex floats and underscores, none of which a person
// typing a number into a survey means.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E':
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// NormalizeDate parses a date written YYYY-MM-DD or DD/MM/YYYY (the order
// UK users type; the day and month may have one digit) and returns it as
// YYYY-MM-DD. Impossible dates such as 31/02/2024 are refused.
func NormalizeDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	// The length checks keep time.Parse from taking "2024-1-5" or a
	// two-digit year, which are ambiguous or mistyped.
	if len(s) == 10 && s[4] == '-' {
		if d, err := time.Parse("2006-01-02", s); err == nil {
			return d.Format("2006-01-02"), true
		}
		return "", false
	}
	if len(s) >= 8 && len(s) <= 10 && strings.Count(s, "/") == 2 && len(s)-strings.LastIndexByte(s, '/') == 5 {
		if d, err := time.Parse("2/1/2006", s); err == nil {
			return d.Format("2006-01-02"), true
		}
	}
	return "", false
}

// ParseTypedHeader splits a column header that declares its type, such as
// "years_involved:number", "interview_date:date" or "site:text", into the
// name and the type; ok is false, and name is the trimmed header, when the
// header declares none. Only these three suffixes count, so a question such
// as "Q3: What worked?" keeps its colon.
func ParseTypedHeader(h string) (name string, t AttrType, ok bool) {
	h = strings.TrimSpace(h)
	i := strings.LastIndexByte(h, ':')
	if i <= 0 {
		return h, "", false
	}
	switch suffix := AttrType(strings.ToLower(strings.TrimSpace(h[i+1:]))); suffix {
	case AttrText, AttrNumber, AttrDate:
		if name := strings.TrimSpace(h[:i]); name != "" {
			return name, suffix, true
		}
	}
	return h, "", false
}
