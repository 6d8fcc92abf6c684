package coding

// This file is the spreadsheet adapter: codings entered in CSV or XLSX by
// teams that code in Excel.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/table"
)

// SheetCoding is one coding a row of a spreadsheet asks for.
type SheetCoding struct {
	Line  int    // the row's line (CSV) or row number (XLSX), for messages
	Ref   Ref    // the segment coded; with a Quote, the source or segment to find it in
	Quote string // text to find exactly once in Ref; "" codes the whole of Ref
	Code  string
	Memo  string
	// Coder is the row's coder, from a coder column; "" when the sheet
	// has none or the cell is empty, for the importer to fill in.
	Coder string
	// CreatedAt is when the coding was made, from a created_at column;
	// zero when the sheet does not say.
	CreatedAt time.Time
}

// Sheet is the codings a spreadsheet asks for.
type Sheet struct {
	Codings []SheetCoding
	// Rules counts the rows whose coder is the rules engine ("rules"):
	// they are skipped, since 'qcode code' makes them again from the
	// codebook.
	Rules int
}

// Sheet column names (matched ignoring case).
var (
	segmentColumns = []string{"segment", "segment_id"}
	sourceColumns  = []string{"source"}
	quoteColumns   = []string{"quote"}
	codeColumns    = []string{"code", "codes", "code_id"}
	memoColumns    = []string{"memo"}
	coderColumns   = []string{"coder"}
	createdColumns = []string{"created_at", "created"}
	// provenanceColumns are the other columns of qcode's own codings.csv
	// and Codings sheet: where a coding stands and how it was made, said
	// again for people and pivot tables. Read back, they are left alone,
	// never taken for columns of codes (negated holds 0/1 values).
	provenanceColumns = []string{"case", "speaker", "path", "time_start", "time_end", "start", "end", "text",
		"origin", "matched", "negated", "codebook_hash"}
	catColumn = regexp.MustCompile(`^cat[0-9]+$`)
)

// ReadSheet reads the codings a CSV or XLSX table asks for, in one of two
// layouts:
//
//   - long: a code column holding a code id (or several, separated by ";")
//     per row;
//   - wide: one column per code, headed by its id, holding 1 (or x, yes,
//     true) where the code applies and 0 or nothing where it does not.
//
// Each row names what it codes with a segment column (P03:s41, P03:t12,
// P03:p5, P03:1200-1388, or P03 for the whole source), or with a quote
// column holding text to find in the source named by a source column (or
// in the segment the segment column names). An optional memo column gives
// each coding a memo. codes are the codebook's code ids: any other code is
// an error naming its row. Rows that code nothing are skipped.
//
// qcode's own codings.csv and Codings sheet read back as they were
// written: a coder column gives each row's coder (rows by "rules" are
// counted and skipped), a created_at column its time, and the columns
// that describe a coding rather than ask for one (text, origin, negated,
// codebook_hash, cat1…, and in the long layout the case's attributes) are
// left alone.
func ReadSheet(path string, data []byte, codes []string) (*Sheet, error) {
	tab, err := table.Read(path, data, table.Options{Layout: "a header row (segment and code, or one column per code) and one row per coding", Sheets: []string{"Codings"}})
	if err != nil {
		return nil, err
	}
	header, rows := tab.Header, tab.Rows
	// Columns are found ignoring case, so two that differ only in case
	// would be one.
	seen := map[string]bool{}
	for _, h := range header {
		if seen[strings.ToLower(h)] {
			return nil, sheetErr(path, tab.Line, "two columns are named %q; column names must be unique", h)
		}
		seen[strings.ToLower(h)] = true
	}
	known := map[string]bool{}
	for _, c := range codes {
		known[c] = true
	}
	col := func(names []string) int {
		return slices.IndexFunc(header, func(h string) bool {
			return slices.Contains(names, strings.ToLower(h))
		})
	}
	segCol, srcCol, quoteCol, codeCol, memoCol := col(segmentColumns), col(sourceColumns), col(quoteColumns), col(codeColumns), col(memoColumns)
	coderCol, createdCol := col(coderColumns), col(createdColumns)
	if segCol < 0 && (quoteCol < 0 || srcCol < 0) {
		return nil, sheetErr(path, tab.Line, "no segment column; name the segments coded in a column headed \"segment\" (P03:s41, P03:t12, P03:1200-1388), or give \"source\" and \"quote\" columns")
	}
	var wide []int // columns named after codes
	for i, h := range header {
		if slices.Contains([]int{segCol, srcCol, quoteCol, codeCol, memoCol, coderCol, createdCol}, i) {
			continue
		}
		if known[h] {
			wide = append(wide, i)
			continue
		}
		// With a code column, the other columns describe the coding
		// (qcode's own sheet adds the case's attributes, which may be
		// 0/1 too); only the wide layout has columns of codes to mistype.
		if codeCol >= 0 || slices.Contains(provenanceColumns, strings.ToLower(h)) || catColumn.MatchString(strings.ToLower(h)) {
			continue
		}
		if looksLikeFlags(rows, i) {
			e := sheetErr(path, tab.Line, "column %q holds 0/1 values like a code column, but the codebook has no code %q; rename the column to a code id", h, h)
			e.Value, e.Near = h, codes
			return nil, e
		}
	}
	switch {
	case codeCol >= 0 && len(wide) > 0:
		return nil, sheetErr(path, tab.Line, "the table has a %q column and columns named after codes (%s); use one layout or the other", header[codeCol], header[wide[0]])
	case codeCol < 0 && len(wide) == 0:
		return nil, sheetErr(path, tab.Line, "no code column and no column named after a code; add a \"code\" column, or one 0/1 column per code id")
	}

	out := &Sheet{}
	for _, r := range rows {
		cell := func(i int) string {
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(r.Cells[i])
		}
		coder := cell(coderCol)
		if strings.EqualFold(coder, RulesCoder) {
			out.Rules++
			continue
		}
		if coder != "" {
			if err := CheckCoderName(coder); err != nil {
				return nil, sheetErr(path, r.Line, "%s", err.Error())
			}
		}
		var created time.Time
		if s := cell(createdCol); s != "" {
			t, err := parseCreated(s)
			if err != nil {
				return nil, sheetErr(path, r.Line, "created_at %q is not a time; write it as 2026-03-14T09:30:00Z or 2026-03-14 09:30", s)
			}
			created = t
		}
		var rowCodes []string
		if codeCol >= 0 {
			for c := range strings.FieldsFuncSeq(cell(codeCol), func(r rune) bool { return r == ';' || r == ',' }) {
				c = strings.TrimSpace(c)
				if c == "" {
					continue
				}
				if !known[c] {
					e := sheetErr(path, r.Line, "no code %q in the codebook; write the codes' ids", c)
					e.Value, e.Near = c, codes
					return nil, e
				}
				rowCodes = append(rowCodes, c)
			}
		}
		for _, i := range wide {
			on, ok := flag(cell(i))
			if !ok {
				return nil, sheetErr(path, r.Line, "column %s holds %q; write 1 where the code applies and 0 or nothing where it does not", header[i], cell(i))
			}
			if on {
				rowCodes = append(rowCodes, header[i])
			}
		}
		if len(rowCodes) == 0 {
			continue
		}
		sc := SheetCoding{Line: r.Line, Quote: cell(quoteCol), Memo: cell(memoCol), Coder: coder, CreatedAt: created}
		if tab.Format == "csv" {
			sc.Quote, sc.Memo = table.UnescapeFormula(sc.Quote), table.UnescapeFormula(sc.Memo)
		}
		seg, src := cell(segCol), cell(srcCol)
		switch {
		case seg != "":
			ref, err := ParseRef(seg)
			if err != nil {
				return nil, sheetErr(path, r.Line, "%s", err.Error())
			}
			if src != "" && src != ref.Source {
				return nil, sheetErr(path, r.Line, "segment %s is not in source %s; make the two columns agree", seg, src)
			}
			sc.Ref = ref
		case src != "" && sc.Quote != "":
			sc.Ref = Ref{Source: src, Unit: UnitSource}
		case src != "":
			return nil, sheetErr(path, r.Line, "the row names source %s but no segment or quote; say what it codes", src)
		default:
			return nil, sheetErr(path, r.Line, "the row codes %s but names no segment; fill in its segment (P03:s41) or source and quote", rowCodes[0])
		}
		if sc.Quote != "" && sc.Ref.Unit == UnitSpan {
			return nil, sheetErr(path, r.Line, "the row gives both a span (%s) and a quote; give one or the other", seg)
		}
		for _, c := range rowCodes {
			sc.Code = c
			out.Codings = append(out.Codings, sc)
		}
	}
	return out, nil
}

// parseCreated reads a created time as qcode writes it (RFC 3339), or as
// a spreadsheet may rewrite it (a date and time without zone, read as
// UTC).
func parseCreated(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// flag reads a 0/1 cell of the wide layout.
func flag(s string) (on, ok bool) {
	switch strings.ToLower(s) {
	case "1", "x", "yes", "y", "true", "✓", "✔":
		return true, true
	case "", "0", "no", "n", "false", "-":
		return false, true
	}
	return false, false
}

// looksLikeFlags reports whether column i holds only 0/1 values, at least
// one of them set.
func looksLikeFlags(rows []table.Row, i int) bool {
	set := false
	for _, r := range rows {
		on, ok := flag(strings.TrimSpace(r.Cells[i]))
		if !ok {
			return false
		}
		set = set || on
	}
	return set
}

// sheetErr returns an EINVALID error about a line of the sheet, as a
// *qcode.Error so that an error about a code the codebook lacks can add the
// code (Value) and the codebook's ids (Near) for a front end's "did you
// mean".
func sheetErr(path string, line int, format string, args ...any) *qcode.Error {
	return qcode.Errorf(qcode.EINVALID, "%s:%d: %s", path, line, fmt.Sprintf(format, args...))
}
