package qcode

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []string
		want       []string
	}{
		{"humilty", []string{"humility", "hierarchy", "humility"}, []string{"humility"}}, // named twice, offered once
		{"P3", []string{"P03", "P08", "Q99"}, []string{"P03"}},
		{"zzz", []string{"humility"}, nil},
	} {
		if got := Nearest(tc.name, tc.candidates); !slices.Equal(got, tc.want) {
			t.Errorf("Nearest(%q, %q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
}

func TestSuggestions(t *testing.T) {
	coders := []string{"amina", "ben", "rules"}
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"near names", &Error{Value: "P3", Near: []string{"P03", "P08"}, Allowed: []string{"P3x"}}, []string{"P03"}},
		{"allowed values when there are no near ones", FieldError("coder", "amna", "no codings by amna", coders...), []string{"amina"}},
		{"a value that is one of them", FieldError("coder", "rules", "the rules engine's", coders...), nil},
		{"no value", FieldError("coder", "", "no name", coders...), nil},
		{"wrapped", fmt.Errorf("%w (and more)", FieldError("coder", "amna", "no codings by amna", coders...)), []string{"amina"}},
		{"not an *Error", errors.New("amna"), nil},
	} {
		if got := Suggestions(tc.err); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Suggestions = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestOrList(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	} {
		if got := OrList(tc.names); got != tc.want {
			t.Errorf("OrList(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}
