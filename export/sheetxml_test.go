package export

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/coding/report"
)

// sheetXMLTexts are texts whose XML takes care: spaces at the ends,
// characters XML escapes or cannot hold, and _xHHHH_, which a spreadsheet
// reads as an escaped character.
var sheetXMLTexts = []string{
	"plain", " leading", "trailing ", "\tindented", "two\nlines", "\rreturn", "a & b < c > d \"q\" 'a'",
	"_x0041_", "_x005F_", "_x005F_x0041_", "_x00zz_", "snake_x_case", "ctrl\x01char", "bad\xffUTF-8", "emoji 🙂",
	"not a char \uFFFE", "=SUM(A1:A3)", "Renée Kelly",
}

// sheetXMLNumbers are numbers excelize cuts to 15 significant digits, or
// cannot write as numbers.
var sheetXMLNumbers = []float64{
	0, 33.3, -5, 1 << 53, 0.1, 2.0 / 3, 1e20, 123456789012345678, -0.000123456789012345678, 1e-7,
	math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1),
}

// Rows are written as the XML excelize's StreamWriter.SetRow writes for the
// same cells and options: the same cells, byte for byte.
func TestRowXMLIsSetRows(t *testing.T) {
	var values []any
	var ours []byte
	add := func(style int, v any) {
		col, _ := excelize.ColumnNumberToName(len(values) + 1)
		switch v := v.(type) {
		case string:
			ours = appendTextCell(ours, col, 2, style, v)
		case int64:
			ours = appendIntCell(ours, col, 2, style, v)
		case float64:
			ours = appendFloatCell(ours, col, 2, style, v)
		}
		if style != 0 {
			v = excelize.Cell{StyleID: style, Value: v}
		}
		values = append(values, v)
	}
	for i, s := range sheetXMLTexts {
		add(i%3, s)
	}
	for i, x := range sheetXMLNumbers {
		add(i%2, x)
		add(0, int64(x))
	}
	for _, row := range []struct {
		style  int
		height float64
	}{{0, 0}, {3, 45}, {0, 22.5}} {
		t.Run("", func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			sw, err := f.NewStreamWriter("Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			if err := sw.SetRow("A2", values, excelize.RowOpts{StyleID: row.style, Height: row.height}); err != nil {
				t.Fatal(err)
			}
			if err := sw.Flush(); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			want := sheetData(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
			// A cell without a style of its own takes the row's.
			got := appendRowStart(nil, 2, row.style, row.height)
			got = append(got, restyle(ours, row.style)...)
			got = append(got, "</row>"...)
			if want != string(got) {
				i := 0
				for i < min(len(want), len(got)) && want[i] == got[i] {
					i++
				}
				t.Errorf("row style %d, height %g: from byte %d, SetRow wrote\n%.300s\nand we\n%.300s", row.style, row.height, i, want[i:], got[i:])
			}
		})
	}
}

// restyle gives the cells of b with no style the style s, as SetRow does
// with a row's style.
func restyle(b []byte, s int) []byte {
	if s == 0 {
		return b
	}
	var out []byte
	for _, cell := range bytes.SplitAfter(b, []byte("</c>")) {
		if len(cell) == 0 {
			continue
		}
		if !bytes.Contains(cell[:bytes.IndexByte(cell, '>')], []byte(` s="`)) {
			end := bytes.IndexByte(cell[len(`<c r="`):], '"') + len(`<c r="`) + 1
			cell = append(append(append([]byte{}, cell[:end]...), ` s="`+string(rune('0'+s))+`"`...), cell[end:]...)
		}
		out = append(out, cell...)
	}
	return out
}

// sheetData returns what is inside a sheet's <sheetData> in a workbook.
func sheetData(t *testing.T, workbook []byte, member string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(member)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
	if i < 0 || j < i {
		t.Fatalf("%s has no sheetData", member)
	}
	return s[i+len("<sheetData>") : j]
}

// Every text comes back from the workbook as it was written, the bytes XML
// cannot hold as U+FFFD; _xHHHH_ next to another (which excelize's own
// writer escapes only once) too.
func TestTextComesBack(t *testing.T) {
	texts := append(sheetXMLTexts, "_x0041__x0042_", "_x0041_x0042_", "__x0041_")
	tb := report.NewTable("Texts", report.Column{Name: "text"})
	for _, s := range texts {
		tb.Add(report.T(s))
	}
	path := filepath.Join(t.TempDir(), "texts.xlsx")
	if err := WriteXLSX(context.Background(), path, []Sheet{{Table: tb}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Texts")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		want := strings.ToValidUTF8(strings.Map(func(r rune) rune {
			if !xmlChar(r) {
				return '\uFFFD'
			}
			return r
		}, s), "\uFFFD")
		if got := rows[i+1][0]; got != want {
			t.Errorf("%q came back as %q", s, got)
		}
	}
}

// BenchmarkRowXML writes rows shaped like the Codings sheet's: short
// texts, a sentence, numbers.
func BenchmarkRowXML(b *testing.B) {
	cols := []string{"A", "B", "C", "D", "E", "F", "G", "H"}
	quote := "The agenda for each visit was set in Penmarrow, mostly by people who had never been to Tamale & back."
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for r := 2; r < 1002; r++ {
			buf = appendRowStart(buf, r, 0, 0)
			buf = appendTextCell(buf, cols[0], r, 0, "P0001")
			buf = appendTextCell(buf, cols[1], r, 0, "Renée Kelly")
			buf = appendTextCell(buf, cols[2], r, 0, "learning_in_practice")
			buf = appendTextCell(buf, cols[3], r, 2, quote)
			buf = appendTextCell(buf, cols[4], r, 0, "rules")
			buf = appendIntCell(buf, cols[5], r, 0, 384)
			buf = appendIntCell(buf, cols[6], r, 0, 446)
			buf = appendFloatCell(buf, cols[7], r, 0, 33.3)
			buf = append(buf, "</row>"...)
		}
	}
	b.SetBytes(int64(len(buf)))
}

// TestRowMap gives each table row the sheet row it starts on, rows that
// took several (a text cut into parts) pushing down those after them.
func TestRowMap(t *testing.T) {
	var m rowMap
	lines := []int{1, 3, 1, 2, 1, 1, 4}
	want, next := []int{}, 2
	for _, n := range lines {
		want = append(want, next)
		next += n
		m.add(n)
	}
	var got []int
	for i := range m.len() {
		got = append(got, m.at(i))
	}
	if !slices.Equal(got, want) || m.len() != len(lines) {
		t.Errorf("rows start on %v, want %v", got, want)
	}
}
