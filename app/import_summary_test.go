package app_test

import (
	"testing"

	"qcode/app"
	"qcode/corpus"
	"qcode/project"
)

// TestImportedFileSummary sums a survey's respondents as the import line
// shows them: statuses in the order imported, replaced, corrected,
// unchanged, and the counts added up.
func TestImportedFileSummary(t *testing.T) {
	f := app.ImportedFile{File: "survey.csv", Sources: []project.ImportResult{
		{Name: "S01", Status: app.Unchanged, Counts: corpus.Counts{Turns: 3, Sentences: 5, Words: 40}},
		{Name: "S02", Status: app.Imported, Counts: corpus.Counts{Turns: 2, Sentences: 4, Words: 31}},
		{Name: "S03", Status: app.Imported, Counts: corpus.Counts{Turns: 1, Sentences: 1, Words: 9}},
	}}
	s := f.Summary()
	if s.First != "S01" || s.Last != "S03" || s.Counts.Turns != 6 || s.Counts.Sentences != 10 || s.Counts.Words != 80 {
		t.Errorf("summary %+v", s)
	}
	if len(s.Statuses) != 2 || s.Statuses[0] != (app.StatusCount{Status: app.Imported, N: 2}) || s.Statuses[1] != (app.StatusCount{Status: app.Unchanged, N: 1}) {
		t.Errorf("statuses %+v, want 2 imported then 1 unchanged", s.Statuses)
	}
}
