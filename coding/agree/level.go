package agree

import (
	"strconv"

	"qcode"
)

// Level is a level of measurement: it says how far apart two values are,
// for Krippendorff's alpha.
type Level int

// Levels of measurement.
const (
	Nominal  Level = iota // categories: two values are the same or not
	Ordinal               // ranks: 1 < 2 < 3, with no distances between them
	Interval              // numbers whose differences mean something
	Ratio                 // numbers of 0 or more whose ratios mean something
)

// Levels lists every level, for messages and flag checks.
var Levels = []Level{Nominal, Ordinal, Interval, Ratio}

// String returns the level's name: nominal, ordinal, interval or ratio.
func (l Level) String() string {
	switch l {
	case Nominal:
		return "nominal"
	case Ordinal:
		return "ordinal"
	case Interval:
		return "interval"
	case Ratio:
		return "ratio"
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// ParseLevel returns the level named s; an unknown name is an error about
// the field "level".
func ParseLevel(s string) (Level, error) {
	names := make([]string, len(Levels))
	for i, l := range Levels {
		if l.String() == s {
			return l, nil
		}
		names[i] = l.String()
	}
	return 0, qcode.FieldError("level", s, "unknown level of measurement", names...)
}

// MarshalText writes the level as its name, so JSON shows "interval", not 2.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
