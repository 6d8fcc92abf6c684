package export

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qcode"
	"qcode/coding/report"
	"qcode/internal/atomicfile"
)

// MaxCellChars is the most characters a spreadsheet cell holds, counted as
// Excel counts them, in UTF-16 code units (an emoji is two).
const MaxCellChars = 32767

// Markers of text that goes on in the next row because one cell cannot
// hold it: the end of each part but the last, and the start of each but the
// first.
const (
	ContinuesMark = " [continues in the next row]"
	ContinuedMark = "[continued] "
)

// Sheet is one table of a workbook and how to show it.
type Sheet struct {
	Table *report.Table
	// Heatmap shades the table's Heat block with a colour scale.
	Heatmap bool
	// FreezeCols keeps this many columns in view when scrolling right,
	// besides the header row always.
	FreezeCols int
	// NoFilter leaves out the autofilter (for a sheet of notes).
	NoFilter bool
	// Swatch names a column of #RRGGBB colours, each cell to be filled
	// with its own colour; "" for none.
	Swatch string
	// Chart, if set, is drawn below the table.
	Chart *BarChart
	// LinkTo is another sheet's table, and Links gives for a cell of
	// this one (its table's row and column, from 0) the row of LinkTo
	// the cell links to, or -1 for none: the Framework's cells to their
	// first quote. Each link goes to the sheet row where that table row
	// starts.
	LinkTo *report.Table
	Links  func(row, col int) int
	// PrintCols, if more than 0, prints only the first this many columns
	// (those a reader wants on paper); the rest stay in the sheet.
	PrintCols int
}

// BarChart is a bar chart of some rows of a sheet's table: a bar per row,
// named by one column and as long as another.
type BarChart struct {
	Title  string
	Rows   []int    // the table's rows, from 0
	Label  int      // the column naming each bar
	Value  int      // the column giving its length
	Colors []string // each bar's #RRGGBB colour, "" for the default
}

// WriteXLSX writes sheets to path as one workbook. Every sheet is streamed
// (excelize's StreamWriter), so large tables cost little memory; headers
// are bold and frozen with an autofilter, and panes, filters and colour
// scales are set before each sheet is flushed, since excelize drops them
// without a word after. Text is written as literal strings, never as
// formulas; text longer than a cell holds goes on in the next row, marked.
// The workbook is written to a temporary file beside path and renamed into
// place, so a failure leaves no half-written file. When ctx is done the
// writing stops within a row or a block of the zip, returning ctx.Err(),
// and nothing is left behind.
func WriteXLSX(ctx context.Context, path string, sheets []Sheet) error {
	if err := CheckFolder(path); err != nil {
		return err
	}
	// excelize keeps each streamed sheet in a temporary file, by default
	// in the system's temporary folder; they hold the transcripts' text,
	// so they are kept beside the workbook and removed with it.
	tmpDir, removeTmp, err := atomicfile.TempDir(path)
	if err != nil {
		return err
	}
	defer removeTmp()
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	defer f.Close()
	w := &xlsxWriter{ctx: ctx, f: f, tmpDir: tmpDir, swatches: map[string]int{}}
	if err := w.styles(); err != nil {
		return err
	}
	sheets = splitLong(sheets)
	// Sheets are opened one by one, their rows written side by side (each
	// stream writer keeps to its own sheet), then each is finished and
	// flushed one by one, since that changes the workbook.
	open := make([]*openSheet, len(sheets))
	names := map[string]bool{}
	for i, s := range sheets {
		name := uniqueSheetName(s.Table.Name, names)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		// Fit to page lives in the sheet's properties, which the stream
		// writes when it opens.
		if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
			return err
		}
		o, err := w.open(name, s)
		if err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
		open[i] = o
		defer o.body.close()
	}
	if err := w.writeRows(open); err != nil {
		return err
	}
	for _, o := range open {
		for _, to := range open {
			if o.LinkTo != nil && to.Table == o.LinkTo {
				o.linked = to
			}
		}
	}
	for _, o := range open {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.finish(o); err != nil {
			return fmt.Errorf("sheet %s: %w", o.name, err)
		}
	}
	// The stream writes each sheet's dimension (the range its cells take)
	// when it opens, before a row is known, as A1; readers that trust it
	// (openpyxl in read-only mode) would see one cell. The right one is
	// put in as the sheet passes into the zip.
	// Each sheet's rows go in as it passes too.
	dims, bodies := map[string][]byte{}, map[string]*sheetBody{}
	for id, name := range f.GetSheetMap() {
		for _, o := range open {
			if o.name == name {
				member := "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml"
				end, _ := excelize.CoordinatesToCellName(max(len(o.Table.Columns), 1), max(o.end, 1))
				dims[member] = []byte(`<dimension ref="A1:` + end + `"/>`)
				bodies[member] = o.body
			}
		}
	}
	return WriteFileAtomic(path, func(out *os.File) error {
		// The zip goes straight into the file (excelize would first build
		// all of it in memory), deflated on every processor at once, with
		// the fastest setting: a workbook is mostly repetitive XML, which
		// it still shrinks about sevenfold, in a third of the time of the
		// default.
		bw := bufio.NewWriterSize(ctxWriter{ctx, out}, 1<<20)
		var zw *parallelZip
		f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
			zw = newParallelZip(bw)
			zw.dims, zw.bodies = dims, bodies
			return zw
		})
		var rest bytes.Buffer // what excelize adds past our zip: nothing
		if _, err := f.WriteTo(&rest); err != nil {
			return err
		}
		if zw == nil || rest.Len() > 0 {
			return errors.New("excelize did not write the workbook through its zip writer")
		}
		return bw.Flush()
	})
}

// ctxWriter is a writer that stops when its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

type xlsxWriter struct {
	ctx            context.Context // stops the writing when done
	f              *excelize.File
	tmpDir         string // where temporary files go, beside the workbook
	bold, wrap     int
	top            int // the style of the other cells of tall rows: aligned to the top
	cont, contWrap int // styles of continuation rows
	mu             sync.Mutex
	swatches       map[string]int // guarded by mu
}

// openSheet is a sheet being written.
type openSheet struct {
	Sheet
	name     string
	sw       *excelize.StreamWriter
	sheetRow rowMap     // each table row's first sheet row
	last     int        // the last sheet row of the table's rows
	end      int        // the last sheet row written, notes included
	linked   *openSheet // the open sheet of LinkTo, if any
	body     *sheetBody // the rows below the header
	cols     []string   // the names of the table's columns: A, B, …
}

// rowWriter writes rows of one sheet at a time, reusing its buffers.
type rowWriter struct {
	*xlsxWriter
	parts [][]string // the parts of the row's long texts
}

func (w *xlsxWriter) styles() error {
	var err error
	if w.bold, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return err
	}
	if w.wrap, err = w.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return err
	}
	if w.top, err = w.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return err
	}
	w.cont, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	w.contWrap, err = w.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Font: &excelize.Font{Color: "404040"}})
	return err
}

var hexColor = regexp.MustCompile(`^#?[0-9A-Fa-f]{6}$`)

// swatch returns a style filled with colour c, or 0 if c is no colour.
func (w *xlsxWriter) swatch(c string) (int, error) {
	if !hexColor.MatchString(c) {
		return 0, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.swatches[c]; ok {
		return id, nil
	}
	id, err := w.f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(c, "#")}}})
	if err != nil {
		return 0, err
	}
	w.swatches[c] = id
	return id, nil
}

// open starts a sheet: its stream writer, column widths, frozen panes and
// header row.
func (w *xlsxWriter) open(name string, s Sheet) (*openSheet, error) {
	t := s.Table
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	// Columns of one width are set as one range: excelize looks through
	// every range for every cell it writes.
	for c := 0; c < len(t.Columns); {
		width := colWidth(t.Columns[c])
		k := c + 1
		for k < len(t.Columns) && colWidth(t.Columns[k]) == width {
			k++
		}
		if err := sw.SetColWidth(c+1, k, width); err != nil {
			return nil, err
		}
		c = k
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if s.FreezeCols > 0 {
		tl, _ := excelize.CoordinatesToCellName(s.FreezeCols+1, 2)
		panes = &excelize.Panes{Freeze: true, XSplit: s.FreezeCols, YSplit: 1, TopLeftCell: tl, ActivePane: "bottomRight"}
	}
	// Panes go before the first row: the stream writes them ahead of the
	// sheet's data.
	if err := sw.SetPanes(panes); err != nil {
		return nil, err
	}
	head := make([]any, len(t.Columns))
	for c, col := range t.Columns {
		head[c] = excelize.Cell{StyleID: w.bold, Value: col.Name}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	cols := make([]string, len(t.Columns))
	for c := range cols {
		cols[c], _ = excelize.ColumnNumberToName(c + 1)
	}
	return &openSheet{Sheet: s, name: name, sw: sw, last: 1, end: 1, body: &sheetBody{dir: w.tmpDir}, cols: cols}, nil
}

// writeRows writes the rows of every sheet, as many sheets at a time as
// there are processors, the largest first. Sheets whose tables one pass of
// the project makes (report.Pass) are written together, from that pass.
func (w *xlsxWriter) writeRows(sheets []*openSheet) error {
	tables := make([]*report.Table, len(sheets))
	for i, o := range sheets {
		tables[i] = o.Table
	}
	todo := report.Together(tables)
	rows := func(group []int) int {
		n := 0
		for _, i := range group {
			n += tables[i].Len()
		}
		return n
	}
	slices.SortStableFunc(todo, func(a, b []int) int { return rows(b) - rows(a) })
	work := make(chan []int)
	errs := make(chan error, len(todo))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rw := &rowWriter{xlsxWriter: w}
			for group := range work {
				if err := rw.rows(sheets, tables, group); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, group := range todo {
		work <- group
	}
	close(work)
	wg.Wait()
	close(errs)
	return <-errs // nil when none
}

// rows writes the bodies of the sheets group names (indexes into sheets,
// whose tables are tables): one sheet's, or those of the tables of one
// pass, from that pass.
func (rw *rowWriter) rows(sheets []*openSheet, tables []*report.Table, group []int) error {
	next := make([]int, len(sheets))   // each sheet's next sheet row
	swatch := make([]int, len(sheets)) // each sheet's swatch column, or -1
	for _, i := range group {
		o := sheets[i]
		o.sheetRow = rowMap{}
		next[i], swatch[i] = 2, -1
		if o.Swatch != "" {
			swatch[i] = o.Table.Column(o.Swatch)
		}
	}
	err := report.EachOf(tables, group, func(i int, row []report.Cell) error {
		if err := rw.ctx.Err(); err != nil {
			return err
		}
		n, err := rw.writeRow(sheets[i], next[i], row, swatch[i])
		sheets[i].sheetRow.add(n)
		next[i] += n
		return err
	})
	var names []string
	for _, i := range group {
		o := sheets[i]
		o.last, o.end = next[i]-1, next[i]-1
		names = append(names, o.name)
	}
	if err != nil {
		return fmt.Errorf("sheet %s: %w", strings.Join(names, ", "), err)
	}
	for _, i := range group {
		o := sheets[i]
		// Notes, such as why a total is not a sum, go under the rows, past a
		// blank row, out of the autofilter's reach.
		for k, n := range o.Table.Notes {
			o.end = o.last + 2 + k
			o.body.buf = appendRowStart(o.body.buf, o.end, 0, 0)
			o.body.buf = appendTextCell(o.body.buf, "A", o.end, 0, n)
			o.body.buf = append(o.body.buf, `</row>`...)
		}
		if err := o.body.spill(); err != nil {
			return fmt.Errorf("sheet %s: %w", o.name, err)
		}
	}
	return nil
}

// finish sets a sheet's autofilter, colour scale and chart, and flushes it.
func (w *xlsxWriter) finish(o *openSheet) error {
	t, name := o.Table, o.name
	// The autofilter and the colour scale are set before Flush too: after
	// it, excelize drops them without a word.
	if !o.NoFilter {
		end, _ := excelize.CoordinatesToCellName(max(len(t.Columns), 1), max(o.last, 1))
		if err := w.f.AutoFilter(name, "A1:"+end, nil); err != nil {
			return err
		}
	}
	if h := t.Heat; o.Heatmap && h != nil && h.Row1 > h.Row0 && h.Col1 > h.Col0 && h.Row1 <= o.sheetRow.len() {
		from, _ := excelize.CoordinatesToCellName(h.Col0+1, o.sheetRow.at(h.Row0))
		to, _ := excelize.CoordinatesToCellName(h.Col1, o.sheetRow.at(h.Row1-1))
		err := w.f.SetConditionalFormat(name, from+":"+to, []excelize.ConditionalFormatOptions{{
			Type: "2_color_scale", Criteria: "=", MinType: "min", MaxType: "max", MinColor: "#FFFFFF", MaxColor: "#2E75B6"}})
		if err != nil {
			return err
		}
	}
	if c := o.Chart; c != nil && len(c.Rows) > 0 && o.sheetRow.len() > 0 {
		at := o.end + 3
		if err := w.chart(name, o.Sheet, &o.sheetRow, at); err != nil {
			return err
		}
		// The chart prints on a page of its own.
		if err := o.sw.InsertPageBreak("A" + strconv.Itoa(o.end+1)); err != nil {
			return err
		}
	}
	if err := w.links(o); err != nil {
		return err
	}
	if err := w.pageSetup(name, o.PrintCols, o.end); err != nil {
		return err
	}
	return o.sw.Flush()
}

// rowMap gives the sheet row each table row starts on: row i starts on
// 2+i, plus the sheet rows the rows before it took beyond one each (a text
// longer than a cell holds goes on below). Those rows are few, so only
// they are kept: a sheet of a million rows costs no more than one of ten.
type rowMap struct {
	n     int   // table rows written
	split []int // the table rows that took more than one sheet row, ascending
	extra []int // the sheet rows beyond one that split[:k+1] took together
}

// add notes the next table row, written on lines sheet rows.
func (m *rowMap) add(lines int) {
	if lines > 1 {
		more := lines - 1
		if k := len(m.extra); k > 0 {
			more += m.extra[k-1]
		}
		m.split, m.extra = append(m.split, m.n), append(m.extra, more)
	}
	m.n++
}

// len returns the number of table rows written.
func (m *rowMap) len() int { return m.n }

// at returns the sheet row table row i starts on.
func (m *rowMap) at(i int) int {
	k, _ := slices.BinarySearch(m.split, i) // split rows before i
	if k == 0 {
		return 2 + i
	}
	return 2 + i + m.extra[k-1]
}

// links sets the hyperlinks of a sheet's cells to rows of the sheet they
// point to (Sheet.Links); a streamed sheet takes them only before Flush.
func (w *xlsxWriter) links(o *openSheet) error {
	to := o.linked
	if o.Links == nil || to == nil {
		return nil
	}
	for r := range o.sheetRow.len() {
		sr := o.sheetRow.at(r)
		for c := range o.Table.Columns {
			k := o.Links(r, c)
			if k < 0 || k >= to.sheetRow.len() {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, sr)
			target, _ := excelize.CoordinatesToCellName(1, to.sheetRow.at(k))
			if err := w.f.SetCellHyperLink(o.name, cell, "'"+strings.ReplaceAll(to.name, "'", "''")+"'!"+target, "Location"); err != nil {
				return err
			}
		}
	}
	return nil
}

// pageSetup makes a sheet print as a readable document: landscape, as
// wide as one page and as long as it needs, the header row at the top of
// every page, and only the first cols columns when cols > 0.
func (w *xlsxWriter) pageSetup(name string, cols, rows int) error {
	err := w.f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)})
	if err != nil {
		return err
	}
	err = w.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.5), Bottom: ptr(0.5), Header: ptr(0.2), Footer: ptr(0.2)})
	if err != nil {
		return err
	}
	quoted := "'" + strings.ReplaceAll(name, "'", "''") + "'!"
	if cols > 0 {
		end, _ := excelize.CoordinatesToCellName(cols, max(rows, 1), true)
		if err := w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: name, RefersTo: quoted + "$A$1:" + end}); err != nil {
			return err
		}
	}
	return w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name, RefersTo: quoted + "$1:$1"})
}

func ptr[T any](v T) *T { return &v }

// sheetRows is the most rows of a table one sheet is given: a sheet holds
// 1,048,576 rows, and a row of long text takes more than one.
var sheetRows = 1_000_000

// splitLong splits a table longer than sheetRows into sheets of its parts:
// Codings, Codings (2), …
func splitLong(sheets []Sheet) []Sheet {
	var out []Sheet
	for _, s := range sheets {
		n := s.Table.Len()
		if n <= sheetRows {
			out = append(out, s)
			continue
		}
		for k, lo := 1, 0; lo < n; k, lo = k+1, lo+sheetRows {
			part := s
			name := s.Table.Name
			if k > 1 {
				name = fmt.Sprintf("%s (%d)", name, k)
			}
			part.Table = s.Table.Part(name, lo, lo+sheetRows)
			if k > 1 {
				part.Chart = nil
			}
			out = append(out, part)
		}
	}
	return out
}

// colWidth returns a column's width: its hint, or 12, widened to show its
// name (bold, so a little more than its characters), up to 40.
func colWidth(c report.Column) float64 {
	w := c.Width
	if w <= 0 {
		w = 12
	}
	return max(w, min(float64(utf8.RuneCountInString(c.Name))*1.15+2, 40))
}

// writeRow writes one table row at sheet row r and returns how many sheet
// rows it took: one, or more when a text is longer than a cell holds.
func (w *rowWriter) writeRow(o *openSheet, r int, row []report.Cell, swatchCol int) (int, error) {
	t, b := o.Table, o.body
	// First how tall the row is, which its start tag says: its wrapped
	// texts' lines, and its long texts' parts.
	w.parts = w.parts[:0]
	rows, lines := 1, 1
	for c, cell := range row {
		if cell.Kind != report.Text {
			continue
		}
		text := t.Shown(c, cell)
		if tooLong(text) {
			parts := SplitText(text)
			for len(w.parts) < c {
				w.parts = append(w.parts, nil)
			}
			w.parts = append(w.parts, parts)
			rows = max(rows, len(parts))
			text = parts[0]
		}
		if c < len(t.Columns) && t.Columns[c].Wrap {
			lines = max(lines, textLines(text, colWidth(t.Columns[c])))
		}
	}
	rowStyle, height := w.rowOpts(lines)
	b.buf = appendRowStart(b.buf, r, rowStyle, height)
	for c, cell := range row {
		// A cell without a style of its own takes the row's, as in
		// excelize's SetRow.
		style := rowStyle
		if c < len(t.Columns) && t.Columns[c].Wrap {
			style = w.wrap
		}
		switch cell.Kind {
		case report.Text:
			text := t.Shown(c, cell)
			if c < len(w.parts) && w.parts[c] != nil {
				text = w.parts[c][0]
			}
			if text == "" {
				continue
			}
			if c == swatchCol {
				id, err := w.swatch(cell.Text)
				if err != nil {
					return 0, err
				}
				style = cmp.Or(id, rowStyle)
			}
			b.buf = appendTextCell(b.buf, o.cols[c], r, style, text)
		case report.Int:
			b.buf = appendIntCell(b.buf, o.cols[c], r, style, int64(cell.Num))
		case report.Float, report.Percent:
			b.buf = appendFloatCell(b.buf, o.cols[c], r, style, cell.Num)
		}
	}
	b.buf = append(b.buf, `</row>`...)
	// Continuation rows repeat the first column, so that sorting and
	// filtering keep them with their row, and hold the rest of each long
	// text; numbers are not repeated, so sums stay right.
	for k := 1; k < rows; k++ {
		style, height := w.rowOpts(maxRowLines)
		b.buf = appendRowStart(b.buf, r+k, style, height)
		for c := range row {
			switch {
			case c == 0:
				if s := row[0].String(); s != "" {
					b.buf = appendTextCell(b.buf, o.cols[c], r+k, w.cont, s)
				}
			case c < len(w.parts) && k < len(w.parts[c]):
				b.buf = appendTextCell(b.buf, o.cols[c], r+k, w.contWrap, w.parts[c][k])
			}
		}
		b.buf = append(b.buf, `</row>`...)
	}
	return rows, b.spill()
}

// A row is as tall as its wrapped text needs, up to the most a row may be:
// a spreadsheet does not fit the height of a streamed row to its text.
const (
	lineHeight  = 15 // points, for the default font
	maxRowLines = 409 / lineHeight
)

// rowOpts returns the style and height of a row holding lines of text:
// for more than one, tall enough for them and aligned to the top, so that
// its short cells sit beside the start of its long ones. (A row style, not
// a style on every cell: that costs a tenth more time to write.)
func (w *rowWriter) rowOpts(lines int) (style int, height float64) {
	if lines <= 1 {
		return 0, 0
	}
	return w.top, float64(min(lines, maxRowLines) * lineHeight)
}

// textLines estimates how many lines text takes wrapped in a column of
// the given width (in characters of the widest digit; text runs about a
// fifth narrower).
func textLines(text string, width float64) int {
	perLine := max(int(width*1.2), 1)
	lines, n := 0, 0
	for _, r := range text {
		if r == '\n' {
			lines += max(1, (n+perLine-1)/perLine)
			n = 0
			if lines >= maxRowLines {
				return lines
			}
			continue
		}
		n++
	}
	return lines + max(1, (n+perLine-1)/perLine)
}

// chart draws s.Chart below the table, a series per bar so that rows need
// not be next to each other.
func (w *xlsxWriter) chart(name string, s Sheet, sheetRow *rowMap, at int) error {
	c := s.Chart
	ref := func(col, tableRow int) string {
		cell, _ := excelize.CoordinatesToCellName(col+1, sheetRow.at(tableRow), true)
		return "'" + strings.ReplaceAll(name, "'", "''") + "'!" + cell
	}
	var series []excelize.ChartSeries
	for i, r := range c.Rows {
		if r < 0 || r >= sheetRow.len() {
			continue
		}
		cs := excelize.ChartSeries{Name: ref(c.Label, r), Values: ref(c.Value, r)}
		if i < len(c.Colors) && hexColor.MatchString(c.Colors[i]) {
			cs.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(c.Colors[i], "#")}}
		}
		series = append(series, cs)
	}
	// Below the table, where it is seen without scrolling right.
	cell, _ := excelize.CoordinatesToCellName(2, at)
	return w.f.AddChart(name, cell, &excelize.Chart{
		Type:      excelize.Bar,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title}}},
		Legend:    excelize.ChartLegend{Position: "right"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true},
	})
}

// SplitText cuts text into parts a cell can hold, marked: every part but
// the last ends with ContinuesMark, every part but the first starts with
// ContinuedMark. It cuts after a space when one is near, else between
// characters; dropping the marks and joining the parts gives text back.
func SplitText(text string) []string {
	if !tooLong(text) {
		return []string{text}
	}
	var parts []string
	for first := true; ; first = false {
		prefix := ""
		if !first {
			prefix = ContinuedMark
		}
		room := MaxCellChars - utf16Len(prefix)
		if utf16Len(text) <= room {
			return append(parts, prefix+text)
		}
		cut := cutAt(text, room-utf16Len(ContinuesMark))
		parts = append(parts, prefix+text[:cut]+ContinuesMark)
		text = text[cut:]
	}
}

// tooLong reports whether text is more than a cell holds. A string never
// has more UTF-16 units than bytes, so most need no counting.
func tooLong(text string) bool {
	return len(text) > MaxCellChars && utf16Len(text) > MaxCellChars
}

// cutAt returns a byte offset in s holding at most n UTF-16 units before
// it: just after the last space among the last 200 characters if there is
// one, else as late as n allows.
func cutAt(s string, n int) int {
	units, at := 0, 0
	for i, r := range s {
		k := utf16.RuneLen(r)
		if k < 0 {
			k = 1
		}
		if units+k > n {
			break
		}
		units += k
		at = i + utf8.RuneLen(r)
	}
	if sp := strings.LastIndexAny(s[:at], " \n\t"); sp >= 0 && at-sp <= 200 && sp > 0 {
		return sp + 1
	}
	return at
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// sheetNameBad are the characters a sheet's name may not hold.
var sheetNameBad = strings.NewReplacer(":", "-", `\`, "-", "/", "-", "?", "", "*", "", "[", "(", "]", ")")

// SheetName returns name as a valid sheet name: without the characters
// Excel forbids (: \ / ? * [ ]), without leading or trailing apostrophes,
// and at most 31 characters long.
func SheetName(name string) string {
	name = strings.Trim(sheetNameBad.Replace(name), "'")
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet"
	}
	return name
}

// uniqueSheetName returns SheetName(name), numbered if taken (sheet names
// are compared ignoring case).
func uniqueSheetName(name string, taken map[string]bool) string {
	base := SheetName(name)
	out := base
	for i := 2; taken[strings.ToLower(out)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		r := []rune(base)
		out = string(r[:min(len(r), 31-len(suffix))]) + suffix
	}
	taken[strings.ToLower(out)] = true
	return out
}

// CheckFolder reports a path whose folder does not exist as a
// qcode.ENOTFOUND error, and a folder that is not one as qcode.EINVALID, so
// that a command can refuse a bad path before doing any work.
func CheckFolder(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return qcode.Errorf(qcode.ENOTFOUND, "%s: no folder %s; create it first", path, dir)
	}
	if err != nil {
		return qcode.Errorf(qcode.EINVALID, "%s: %v", path, err)
	}
	if !st.IsDir() {
		return qcode.Errorf(qcode.EINVALID, "%s: %s is not a folder", path, dir)
	}
	return nil
}

// WriteFileAtomic writes a file through fn into a temporary file beside
// path, syncs it and renames it into place, so that readers see the old
// file or the new one, never half of one; on any failure it removes the
// temporary file and leaves path as it was. The file keeps the mode of the
// one it replaces (0644 for a new one).
func WriteFileAtomic(path string, fn func(*os.File) error) error {
	return atomicfile.Write(path, fn)
}
