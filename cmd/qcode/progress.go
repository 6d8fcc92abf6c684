package main

import (
	"fmt"
	"io"

	"qcode/app"
	"qcode/coding/report"
)

// progress draws a one-line progress report on stderr when it is a terminal
// and prints nothing otherwise.
type progress struct {
	out   io.Writer
	on    bool
	shown bool
}

// Step shows a step of an application's long work (app.Progress).
func (p *progress) Step(s app.Step) {
	switch {
	case s.Stage == app.StageImport:
		p.update("importing %d/%d %s (%s words so far)", s.N, s.Total, s.Item, report.Thousands(s.Words))
	case s.Stage == app.StageIndex && s.Total > 0:
		p.update("indexing for search: %d/%d sources, %s sentences", s.N, s.Total, report.Thousands(s.Sentences))
	case s.Total > 0:
		p.update("%s %d/%d %s", s.Stage, s.N, s.Total, s.Item)
	case s.Stage == app.StageIndex:
		p.update("indexing for search")
	default:
		p.update("%s", s.Stage)
	}
}

// Done ends the report (app.Progress).
func (p *progress) Done() { p.done() }

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.out, "\r\033[K")
		p.shown = false
	}
}
