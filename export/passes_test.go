package export

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/codebook"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/corpus"
)

// passCorpus is two interviews of two cases, coded by two people, read
// as a store reads them: the head, then a source at a time. reads counts
// the times the sources are read.
type passCorpus struct {
	d     *report.Data
	texts []string
	reads atomic.Int32 // the writers read passes side by side
}

func newPassCorpus(t *testing.T) *passCorpus {
	t.Helper()
	cb, err := codebook.Load("codebook.yaml", []byte(`codes:
  - id: humility
    name: Humility
    codes:
      - id: listening
        name: Listening first
  - id: risk
    name: Risk aversion
`))
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"We went to listen first. The ward sister showed us how they triage. Nobody wanted to take a risk with the new protocol.",
		"Our team learned more than we taught. We were careful about risk.",
	}
	d := &report.Data{
		Codebook:   cb,
		Attributes: []report.Attribute{{Name: "role", Type: corpus.AttrText}},
		Cases:      []report.Case{{Name: "nurse01", Values: []string{"nurse"}}, {Name: "lead02", Values: []string{"lead"}}},
		Sources:    []report.Source{{Name: "P01", Case: 0}, {Name: "P02", Case: 1}},
	}
	for s, text := range texts {
		start, ord := 0, 1
		for start < len(text) {
			end := strings.Index(text[start:], ". ")
			if end < 0 {
				end = len(text)
			} else {
				end += start + 1
			}
			d.Sentences = append(d.Sentences, report.Sentence{Source: s, Ord: ord, Turn: 1, Speaker: "Speaker", Start: start, End: end,
				Text: text[start:end], WordCount: len(strings.Fields(text[start:end])), TimeStart: corpus.NoTime, TimeEnd: corpus.NoTime})
			ord++
			start = end + 1
		}
	}
	code := func(s int, quote, code, coder string) {
		at := strings.Index(texts[s], quote)
		if at < 0 {
			t.Fatalf("%q is not in source %d", quote, s)
		}
		d.Codings = append(d.Codings, &coding.Coding{Source: d.Sources[s].Name, Unit: coding.UnitSpan, Start: at, End: at + len(quote),
			ByteStart: at, ByteEnd: at + len(quote), Code: code, Coder: coder, Origin: coding.OriginManual, Text: quote})
	}
	code(0, "We went to listen first.", "listening", "amina")
	code(0, "We went to listen first.", "humility", "ben")
	code(0, "Nobody wanted to take a risk", "risk", "amina")
	code(1, "Our team learned more than we taught.", "humility", "amina")
	code(1, "careful about risk", "risk", "ben")
	return &passCorpus{d: d, texts: texts}
}

// passWorkbook counts a passCorpus and returns it, its reads set to
// none, with its workbook's tables.
func passWorkbook(t *testing.T) (*passCorpus, *report.Workbook) {
	t.Helper()
	c := newPassCorpus(t)
	a, err := report.Analyse(c, "", report.CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.Workbook(report.WorkbookOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c.reads.Store(0)
	return c, w
}

func (c *passCorpus) Each(r report.Read, start func(*report.Data) ([]int, error), each func(int, []report.Sentence, []*coding.Coding) error) error {
	c.reads.Add(1)
	return report.FromData(c.d).Each(r, start, each)
}

// TestWorkbookReadsEachPassOnce writes the workbook of a small project:
// the project is read three times (the count, the Codings and Segments
// sheets together, the Framework sheets together), and each sheet a pass
// fills holds the rows its table gives read alone.
func TestWorkbookReadsEachPassOnce(t *testing.T) {
	c, w := passWorkbook(t)
	path := filepath.Join(t.TempDir(), "results.xlsx")
	if err := WriteWorkbook(context.Background(), path, w); err != nil {
		t.Fatal(err)
	}
	if c.reads.Load() != 2 {
		t.Errorf("writing the workbook read the project %d times, want twice (a pass for each pair of sheets)", c.reads.Load())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tb := range []*report.Table{w.Codings, w.Segments, w.Framework, w.FrameworkQuotes} {
		want := [][]string{tb.Header()}
		err := tb.Each(func(row []report.Cell) error {
			var line []string
			for i, cell := range row {
				line = append(line, tb.Shown(i, cell))
			}
			// A sheet's rows end at their last filled cell.
			for len(line) > 0 && line[len(line)-1] == "" {
				line = line[:len(line)-1]
			}
			want = append(want, line)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 2 {
			t.Errorf("%s: no rows; the test needs some", tb.Name)
		}
		got, err := f.GetRows(SheetName(tb.Name))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(want, got, slices.Equal) {
			t.Errorf("sheet %s:\n%q\nwant, as its table gives it alone:\n%q", tb.Name, got, want)
		}
	}
}

// TestCSVReadsEachPassOnce writes the workbook's tables as CSV files:
// the project is read twice past the count, and each file is what its
// table gives written alone.
func TestCSVReadsEachPassOnce(t *testing.T) {
	c, w := passWorkbook(t)
	dir := filepath.Join(t.TempDir(), "csv")
	paths, err := WriteCSV(dir, w.Tables())
	if err != nil {
		t.Fatal(err)
	}
	if c.reads.Load() != 2 {
		t.Errorf("writing the CSV files read the project %d times, want twice (a pass for each pair of tables)", c.reads.Load())
	}
	for i, tb := range w.Tables() {
		var want strings.Builder
		if err := WriteTableCSV(&want, tb); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s:\n%s\nwant, as its table gives it alone:\n%s", paths[i], got, want.String())
		}
	}
}
