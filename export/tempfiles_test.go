package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"qcode/coding/report"
	"qcode/internal/atomicfile"
)

// withUmask runs the rest of the test under the umask mask. The umask is
// the process's, so no test that sets it runs in parallel.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// segmentsTable is a table of n codings of a quote from the sample
// interviews, which excelize streams through temporary files once it has
// more than 16 MB of a sheet.
func segmentsTable(n int) *report.Table {
	quote := "When I came back from Lusaka nobody asked what I had learned; the early warning chart we brought back changed how the ward hands over at night. "
	tb := report.NewTable("Segments", report.Column{Name: "segment"}, report.Column{Name: "speaker"}, report.Column{Name: "text"})
	for i := range n {
		tb.Add(report.T("P03:s"+strings.Repeat("1", 1+i%3)), report.T("Sarah"), report.T(strings.Repeat(quote, 4)))
	}
	return tb
}

// Exports are personal data: under umask 077 the workbook and the CSV
// files are their owner's alone, under 022 readable by all, as any file
// the user makes.
func TestExportsHonourUmask(t *testing.T) {
	for _, c := range []struct {
		mask int
		want os.FileMode
	}{{0o077, 0o600}, {0o022, 0o644}, {0o027, 0o640}} {
		withUmask(t, c.mask)
		dir := t.TempDir()
		path := filepath.Join(dir, "codings.xlsx")
		tb := segmentsTable(3)
		if err := WriteXLSX(context.Background(), path, []Sheet{{Table: tb}}); err != nil {
			t.Fatal(err)
		}
		paths, err := WriteCSV(filepath.Join(dir, "csv"), []*report.Table{tb})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range append(paths, path) {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != c.want {
				t.Errorf("umask %03o: %s has mode %v, want %v", c.mask, filepath.Base(p), st.Mode().Perm(), c.want)
			}
		}
	}
}

// The temporary files of the sheets' rows, which hold the transcripts'
// text, are made beside the workbook in a folder only its owner may open, never in the
// system's temporary folder, and are gone when the workbook is written.
func TestWorkbookTempFilesBesideIt(t *testing.T) {
	sysTmp := t.TempDir()
	t.Setenv("TMPDIR", sysTmp)
	dir := t.TempDir()
	path := filepath.Join(dir, "codings.xlsx")
	var seen []string // the rows' files, when the workbook itself is written
	atomicfile.Created = func(string) {
		matches, _ := filepath.Glob(filepath.Join(dir, ".codings.xlsx.*.tmp", "rows-*"))
		seen = matches
		if names, _ := filepath.Glob(filepath.Join(dir, ".codings.xlsx.*.tmp")); len(names) > 0 {
			if st, err := os.Stat(names[0]); err == nil && st.IsDir() && st.Mode().Perm() != 0o700 {
				t.Errorf("%s has mode %v, want 0700", names[0], st.Mode().Perm())
			}
		}
	}
	t.Cleanup(func() { atomicfile.Created = nil })
	if err := WriteXLSX(context.Background(), path, []Sheet{{Table: segmentsTable(40000)}}); err != nil {
		t.Fatal(err)
	}
	if len(seen) == 0 {
		t.Errorf("no temporary file of rows beside %s", path)
	}
	for _, d := range []string{sysTmp, dir} {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != "codings.xlsx" {
				t.Errorf("%s left in %s", e.Name(), d)
			}
		}
	}
}

// countdown is a context that is done after its Err has been asked n
// times: a stand-in for an interrupt arriving part way through a write,
// at a point the test chooses without a clock.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// An interrupt stops a workbook being written part way, through its rows
// or while it is being packed, and leaves neither the workbook nor any
// temporary file behind.
func TestWriteXLSXStopsWhenInterrupted(t *testing.T) {
	tb := segmentsTable(20000)
	for _, after := range []int64{0, 1, 500, 20000, 20001} {
		dir := t.TempDir()
		path := filepath.Join(dir, "codings.xlsx")
		ctx := &countdown{Context: context.Background()}
		ctx.n.Store(after)
		err := WriteXLSX(ctx, path, []Sheet{{Table: tb}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted after %d checks: error %v, want context.Canceled", after, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("interrupted after %d checks: %s left behind", after, e.Name())
		}
	}
}
