package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
)

// The log says who did what, newest first, whatever table it comes from,
// and its filters choose as their names say.
func TestLog(t *testing.T) {
	ctx := context.Background()
	p, _ := sampleProject(t, 2)
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P02:s3", Code: "humility", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	m, err := p.AddMemo(ctx, app.MemoOptions{Project: true, Coder: "ben", Text: "second coder from April"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DeleteMemo(ctx, m.ID, "amina"); err != nil {
		t.Fatal(err)
	}
	line := func(es []app.LogEntry) string {
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprintf("%s %s %s %s", e.Coder, e.Action, e.What, e.Source))
		}
		return strings.Join(out, "; ")
	}
	for _, tt := range []struct {
		o    app.LogOptions
		want string
	}{
		{app.LogOptions{}, "amina remove memo ; ben add memo ; amina add coding P02; rules run rules ; " +
			" import import P02;  import import P01"},
		{app.LogOptions{Limit: 2}, "amina remove memo ; ben add memo "},
		{app.LogOptions{Coder: "amina"}, "amina remove memo ; amina add coding P02"},
		{app.LogOptions{What: "rules"}, "rules run rules "},
		{app.LogOptions{Source: "P02"}, "amina add coding P02; rules run rules ;  import import P02"},
		{app.LogOptions{Since: "2999-01-01"}, ""},
	} {
		es, err := p.Log(ctx, tt.o)
		if err != nil {
			t.Fatalf("%+v: %v", tt.o, err)
		}
		if got := line(es); got != tt.want {
			t.Errorf("%+v:\n got %s\nwant %s", tt.o, got, tt.want)
		}
	}
	for _, tt := range []struct {
		o     app.LogOptions
		code  string
		field string
	}{
		{app.LogOptions{Since: "last week"}, qcode.EINVALID, "since"},
		{app.LogOptions{Limit: -1}, qcode.EINVALID, "limit"},
		{app.LogOptions{Coder: "amna"}, qcode.ENOTFOUND, "coder"},
		{app.LogOptions{Source: "P09"}, qcode.ENOTFOUND, "source"},
		{app.LogOptions{What: "merges"}, qcode.EINVALID, "what"},
	} {
		_, err := p.Log(ctx, tt.o)
		var e *qcode.Error
		if !errors.As(err, &e) || e.Code != tt.code || e.Field != tt.field {
			t.Errorf("%+v: %#v", tt.o, err)
		}
	}
}
