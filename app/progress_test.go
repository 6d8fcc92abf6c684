package app_test

import (
	"context"
	"slices"
	"testing"

	"qcode/app"
)

// steps records the progress an import reports.
type steps struct {
	all  []app.Step
	done int
}

func (s *steps) Step(st app.Step) { s.all = append(s.all, st) }
func (s *steps) Done()            { s.done++ }

// indexing returns the indexing steps that count sources, as N/Total.
func (s *steps) indexing() [][2]int {
	var out [][2]int
	for _, st := range s.all {
		if st.Stage == app.StageIndex && st.Total > 0 {
			out = append(out, [2]int{st.N, st.Total})
		}
	}
	return out
}

// TestImportProgress checks that an import tells the sources it indexes
// as it indexes them: each of the sources imported, from none to all, and
// in a later import only the sources that one added.
func TestImportProgress(t *testing.T) {
	p, sample := emptyProject(t)
	ctx := context.Background()
	var first steps
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[:3]}, &first); err != nil {
		t.Fatal(err)
	}
	if got, want := first.indexing(), [][2]int{{0, 3}, {1, 3}, {2, 3}, {3, 3}}; !slices.Equal(got, want) {
		t.Errorf("indexing three sources: %v, want %v", got, want)
	}
	if first.done == 0 {
		t.Error("the import never said it was done")
	}
	var second steps
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[3:4]}, &second); err != nil {
		t.Fatal(err)
	}
	if got, want := second.indexing(), [][2]int{{0, 1}, {1, 1}}; !slices.Equal(got, want) {
		t.Errorf("indexing the one source added: %v, want %v", got, want)
	}
}
