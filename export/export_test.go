package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"qcode"
	"qcode/coding/report"
)

func u16(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSplitText(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"triage", "débrief", "🙂", "ward", "—", "Gulu", "\n", "theatre", "𝔘𝔫𝔦"}
	var long strings.Builder
	for long.Len() < 300000 {
		long.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(50) > 0 {
			long.WriteByte(' ')
		}
	}
	atLimit := strings.Repeat("a", MaxCellChars)
	emojiLimit := strings.Repeat("🙂", MaxCellChars/2) + "a" // 32,767 UTF-16 units
	for _, tt := range []struct {
		name  string
		text  string
		parts int
	}{
		{"short", "a short quote", 1},
		{"exactly a cell", atLimit, 1},
		{"emoji filling a cell", emojiLimit, 1},
		{"one character too many", atLimit + "b", 2},
		{"one emoji too many", emojiLimit + "🙂", 2},
		{"no spaces", strings.Repeat("x", 3*MaxCellChars), 4},
		{"long, mixed", long.String(), -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parts := SplitText(tt.text)
			if tt.parts > 0 && len(parts) != tt.parts {
				t.Errorf("%d parts, want %d", len(parts), tt.parts)
			}
			var joined strings.Builder
			for i, p := range parts {
				if n := u16(p); n > MaxCellChars {
					t.Errorf("part %d has %d UTF-16 units", i, n)
				}
				if i > 0 && !strings.HasPrefix(p, ContinuedMark) || i == 0 && strings.HasPrefix(p, ContinuedMark) {
					t.Errorf("part %d starts %q", i, p[:min(20, len(p))])
				}
				last := i == len(parts)-1
				if !last && !strings.HasSuffix(p, ContinuesMark) || last && len(parts) > 1 && strings.HasSuffix(p, ContinuesMark) {
					t.Errorf("part %d ends %q", i, p[max(0, len(p)-30):])
				}
				if i > 0 {
					p = strings.TrimPrefix(p, ContinuedMark)
				}
				if !last {
					p = strings.TrimSuffix(p, ContinuesMark)
				}
				joined.WriteString(p)
			}
			if joined.String() != tt.text {
				t.Errorf("the parts join to %d characters, not the %d of the text", len([]rune(joined.String())), len([]rune(tt.text)))
			}
		})
	}
}

func TestEscapeFormula(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1:A2)": "'=SUM(A1:A2)", "+44 20": "'+44 20", "-5 degrees": "'-5 degrees", "@nurse": "'@nurse",
		"\tindented": "'\tindented", "\rreturn": "'\rreturn", "plain": "plain", "": "", "a=b": "a=b", "'quoted": "'quoted",
	} {
		if got := EscapeFormula(in); got != want {
			t.Errorf("EscapeFormula(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"Code x Source": "code_x_source.csv", "Co-occurrence": "co_occurrence.csv", "Code x years_involved": "code_x_years_involved.csv",
		"Code x Région": "code_x_région.csv", "***": "table.csv",
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"Code x Source": "Code x Source", "Code x site/ward [main]": "Code x site-ward (main)", "'quoted'": "quoted",
		"Code x a very long attribute name indeed": "Code x a very long attribute na", "": "Sheet",
	} {
		if got := SheetName(in); got != want {
			t.Errorf("SheetName(%q) = %q, want %q", in, got, want)
		}
	}
	taken := map[string]bool{}
	var got []string
	for _, n := range []string{"Code x site", "code x SITE", "Code x a very long attribute name indeed", "Code x a very long attribute name too"} {
		got = append(got, uniqueSheetName(n, taken))
	}
	if strings.Join(got, "|") != "Code x site|code x SITE (2)|Code x a very long attribute na|Code x a very long attribut (2)" {
		t.Errorf("unique names %q", got)
	}
}

// matrixTable is a small code × source table with a heat block.
func matrixTable(rows int) *report.Table {
	t := report.NewTable("Code x Source", report.Column{Name: "code", Kind: report.Text}, report.Column{Name: "path", Kind: report.Text, Wrap: true},
		report.Column{Name: "P01", Kind: report.Int}, report.Column{Name: "P02", Kind: report.Int}, report.Column{Name: "share", Kind: report.Percent})
	for i := range rows {
		t.Add(report.T(fmt.Sprintf("code%d", i)), report.T("Theme > Code"), report.I(i), report.I(2*i), report.P(i, 3*i+1))
	}
	t.Heat = &report.Block{Row0: 0, Row1: rows, Col0: 2, Col1: 4}
	return t
}

// parts returns the files of a zip archive.
func parts(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the CRC too
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = string(b)
	}
	return out
}

// TestWriteXLSX streams a sheet of 30,000 rows and checks what excelize
// drops without a word when it is set after Flush: the autofilter, the
// frozen panes and the colour scale, and that every row is there.
func TestWriteXLSX(t *testing.T) {
	const n = 30000
	path := filepath.Join(t.TempDir(), "out.xlsx")
	notes := report.NewTable("About", report.Column{Name: "item"}, report.Column{Name: "value"})
	notes.Add(report.T("project"), report.T("study"))
	colors := report.NewTable("Codebook", report.Column{Name: "code"}, report.Column{Name: "color"})
	colors.Add(report.T("humility"), report.T("#4E79A7"))
	colors.Add(report.T("plain"), report.T("not a colour"))
	err := WriteXLSX(context.Background(), path, []Sheet{
		{Table: notes, NoFilter: true},
		{Table: colors, Swatch: "color"},
		{Table: matrixTable(n), Heatmap: true, FreezeCols: 1, Chart: &BarChart{Title: "Codes", Rows: []int{1, 5, 9}, Label: 0, Value: 2, Colors: []string{"#E15759", "", "#59A14F"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Code x Source")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 || rows[n][0] != fmt.Sprintf("code%d", n-1) || rows[n][3] != fmt.Sprint(2*(n-1)) {
		t.Fatalf("%d rows, the last %v", len(rows), rows[len(rows)-1])
	}
	formats, err := f.GetConditionalFormats("Code x Source")
	if err != nil || len(formats[fmt.Sprintf("C2:D%d", n+1)]) != 1 || formats[fmt.Sprintf("C2:D%d", n+1)][0].Type != "2_color_scale" {
		t.Errorf("conditional formats %v (%v), want a colour scale on C2:D%d", formats, err, n+1)
	}
	panes, err := f.GetPanes("Code x Source")
	if err != nil || !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v), want the header row and first column frozen", panes, err)
	}
	p := parts(t, path)
	if !strings.Contains(p["xl/worksheets/sheet3.xml"], fmt.Sprintf(`<autoFilter ref="$A$1:$E$%d"`, n+1)) {
		t.Errorf("sheet 3 has no autofilter over its rows")
	}
	if strings.Contains(p["xl/worksheets/sheet1.xml"], "<autoFilter") {
		t.Errorf("the notes have an autofilter")
	}
	chart := p["xl/charts/chart1.xml"]
	if strings.Count(chart, "<ser>") != 3 || !strings.Contains(chart, `&#39;Code x Source&#39;!$A$3`) || !strings.Contains(chart, `&#39;Code x Source&#39;!$C$11`) || !strings.Contains(chart, "E15759") {
		t.Errorf("the chart does not have its 3 series: %s", chart[:min(len(chart), 400)])
	}
	style, _ := f.GetCellStyle("Codebook", "B2")
	fill, _ := f.GetStyle(style)
	if fill == nil || len(fill.Fill.Color) == 0 || fill.Fill.Color[0] != "4E79A7" {
		t.Errorf("the swatch of #4E79A7 is %+v", fill)
	}
	style, _ = f.GetCellStyle("Codebook", "B3")
	if plain, _ := f.GetStyle(style); plain != nil && len(plain.Fill.Color) > 0 {
		t.Errorf("a text that is no colour got the fill %v", plain.Fill.Color)
	}
	if v, _ := f.GetCellValue("Code x Source", "E3"); v != "25" { // 1 of 4
		t.Errorf("percentage %q", v)
	}
	checkDimensions(t, path)
	checkPageSetup(t, path)
	// The chart, three rows below the table, is on a page of its own: the
	// break comes right after the table.
	if breaks := regexp.MustCompile(`<rowBreaks[^>]*><brk id="(\d+)"`).FindStringSubmatch(p["xl/worksheets/sheet3.xml"]); breaks == nil || breaks[1] != fmt.Sprint(n+1) {
		t.Errorf("the chart's page break is %v, want before row %d", breaks, n+2)
	}
}

// TestWriteXLSXKeepsText writes text that a spreadsheet would take for a
// formula, and a text longer than a cell holds.
func TestWriteXLSXKeepsText(t *testing.T) {
	quotes := []string{"=SUM(A1:A3) was the formula", "+44 20 7946 0000", "-5 degrees", "@nurse_lead", "\tindented", "\rreturn", "=1+1"}
	long := strings.Repeat("the ward sister showed us 🙂 ", 4000)
	tb := report.NewTable("Quotes", report.Column{Name: "id"}, report.Column{Name: "n", Kind: report.Int}, report.Column{Name: "text", Wrap: true})
	for i, q := range quotes {
		tb.Add(report.T(fmt.Sprint("q", i)), report.I(i), report.T(q))
	}
	tb.Add(report.T("long"), report.I(99), report.T(long))
	tb.Add(report.T("after"), report.I(100), report.T("the row after"))
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := WriteXLSX(context.Background(), path, []Sheet{{Table: tb}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Quotes")
	for i, q := range quotes {
		cell := fmt.Sprintf("C%d", i+2)
		v, _ := f.GetCellValue("Quotes", cell)
		formula, _ := f.GetCellFormula("Quotes", cell)
		typ, _ := f.GetCellType("Quotes", cell)
		if v != q || formula != "" || typ != excelize.CellTypeInlineString {
			t.Errorf("%s: %q, formula %q, type %v; want the text %q", cell, v, formula, typ, q)
		}
	}
	if strings.Contains(parts(t, path)["xl/worksheets/sheet1.xml"], "<f>") {
		t.Error("the sheet holds a formula")
	}
	// The long text: its row, then rows that repeat the first column,
	// leave the number out, and go on with the text; then the next row.
	var joined string
	k := len(quotes) + 1
	for ; rows[k][0] == "long"; k++ {
		if k > len(quotes)+1 && (len(rows[k]) < 3 || rows[k][1] != "") {
			t.Errorf("continuation row %d: %q", k+1, rows[k][:min(2, len(rows[k]))])
		}
		joined += strings.TrimSuffix(strings.TrimPrefix(rows[k][2], ContinuedMark), ContinuesMark)
	}
	if joined != long || k-len(quotes)-1 != 4 {
		t.Errorf("the long text comes back in %d rows, whole: %v", k-len(quotes)-1, joined == long)
	}
	if rows[k][0] != "after" {
		t.Errorf("the row after the long text is %v", rows[k])
	}
	// The dimension counts the continuation rows too.
	checkDimensions(t, path)
}

func TestWriteCSV(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	tb := report.NewTable("Code x Source", report.Column{Name: "code"}, report.Column{Name: "P01", Kind: report.Int}, report.Column{Name: "share", Kind: report.Percent}, report.Column{Name: "memo"})
	tb.Add(report.T("humility"), report.I(-3), report.P(1, 3), report.T("=1+1, said \"she\""))
	tb.Add(report.T("risk"), report.I(12345), report.Cell{}, report.T("line one\nline two"))
	other := report.NewTable("Code-x-Source", report.Column{Name: "=x"})
	paths, err := WriteCSV(dir, []*report.Table{tb, other})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 || filepath.Base(paths[0]) != "code_x_source.csv" || filepath.Base(paths[1]) != "code_x_source_2.csv" {
		t.Errorf("paths %v", paths)
	}
	data, _ := os.ReadFile(paths[0])
	want := "code,P01,share,memo\nhumility,-3,33.3,\"'=1+1, said \"\"she\"\"\"\nrisk,12345,,\"line one\nline two\"\n"
	if string(data) != want {
		t.Errorf("CSV\n%s\nwant\n%s", data, want)
	}
	if recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll(); err != nil || len(recs) != 3 {
		t.Errorf("the CSV reads back as %d records: %v", len(recs), err)
	}
	if data, _ := os.ReadFile(paths[1]); string(data) != "'=x\n" {
		t.Errorf("a header that starts like a formula: %q", data)
	}

	// A folder in the way of the second file: nothing is replaced, and no
	// temporary file stays.
	os.WriteFile(paths[0], []byte("old"), 0o644)
	os.Remove(paths[1])
	os.Mkdir(paths[1], 0o755)
	os.WriteFile(filepath.Join(paths[1], "keep"), []byte("x"), 0o644)
	if _, err := WriteCSV(dir, []*report.Table{tb, other}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("writing over a folder: %v", err)
	}
	if b, _ := os.ReadFile(paths[0]); string(b) != "old" {
		t.Errorf("the first file was replaced: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, err := WriteCSV(filepath.Join(t.TempDir(), "no", "such"), []*report.Table{tb}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("a folder in a missing folder: %v", err)
	}
}

// TestWriteXLSXFailure checks that a workbook that cannot be written
// leaves the file that was there, and nothing beside it.
func TestWriteXLSXFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.xlsx")
	os.WriteFile(path, []byte("old"), 0o644)
	wide := report.NewTable("Wide")
	for i := range 16385 { // one column more than a sheet has
		wide.Columns = append(wide.Columns, report.Column{Name: fmt.Sprint("c", i)})
	}
	if err := WriteXLSX(context.Background(), path, []Sheet{{Table: wide}}); err == nil {
		t.Fatal("a sheet of 16,385 columns was written")
	}
	err := WriteFileAtomic(path, func(f *os.File) error {
		f.WriteString("half a workbook")
		return io.ErrShortWrite
	})
	if err == nil {
		t.Fatal("a failed write reported no error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the old file became %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left in the folder: %v", entries)
	}
	if err := WriteXLSX(context.Background(), filepath.Join(dir, "missing", "r.xlsx"), nil); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("a missing folder: %v", err)
	}
}

// TestParallelZip writes members bigger and smaller than a block and reads
// them back.
func TestParallelZip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	members := map[string][]byte{"empty": nil, "small": []byte("<row/>"), "block": make([]byte, zipBlock), "big": nil}
	var big bytes.Buffer
	for big.Len() < 5*zipBlock+123 {
		fmt.Fprintf(&big, `<c r="A%d"><v>%d</v></c>`, rng.IntN(1e6), rng.IntN(100))
	}
	members["big"] = big.Bytes()
	for i := range members["block"] {
		members["block"][i] = byte(rng.IntN(256))
	}
	var buf bytes.Buffer
	z := newParallelZip(&buf)
	for _, name := range []string{"empty", "small", "block", "big"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		// In uneven pieces, as io.Copy and excelize write.
		data := members[name]
		for len(data) > 0 {
			n := min(len(data), 1+rng.IntN(70000))
			if _, err := w.Write(data[:n]); err != nil {
				t.Fatal(err)
			}
			data = data[n:]
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 4 {
		t.Fatalf("%d members", len(zr.File))
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, members[f.Name]) {
			t.Errorf("%s: %d bytes back (%v), want %d", f.Name, len(got), err, len(members[f.Name]))
		}
	}
}

// TestLongTable splits a table longer than a sheet holds (made small for
// the test) into sheets of its parts.
func TestLongTable(t *testing.T) {
	defer func(n int) { sheetRows = n }(sheetRows)
	sheetRows = 4
	tb := matrixTable(10)
	path := filepath.Join(t.TempDir(), "long.xlsx")
	if err := WriteXLSX(context.Background(), path, []Sheet{{Table: tb, Heatmap: true}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Code x Source,Code x Source (2),Code x Source (3)" {
		t.Fatalf("sheets %s", got)
	}
	var codes []string
	for _, name := range f.GetSheetList() {
		rows, _ := f.GetRows(name)
		if rows[0][0] != "code" {
			t.Errorf("%s has no header", name)
		}
		for _, r := range rows[1:] {
			codes = append(codes, r[0])
		}
	}
	if len(codes) != 10 || codes[0] != "code0" || codes[9] != "code9" {
		t.Errorf("rows %v", codes)
	}
	formats, _ := f.GetConditionalFormats("Code x Source (3)")
	if len(formats["C2:D3"]) != 1 {
		t.Errorf("the last part's heat map: %v", formats)
	}
}
