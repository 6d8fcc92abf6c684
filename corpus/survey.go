package corpus

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode"
	"qcode/table"
)

// Survey reads a survey export (CSV, TSV or XLSX, read by table.Read) with
// one respondent per row: a header row, an id column, open-ended text
// columns and attribute columns. Each respondent becomes a source and a
// case of the same name; each non-empty answer is one turn spoken by the
// respondent, written into the source's text as a paragraph "COLUMN:
// answer" so a reader of the source sees which question was answered. The
// other columns become the case's attributes, typed by InferType or by a
// typed header ("age:number").
type Survey struct{}

// minTextColumnLength is the average answer length, in characters, from
// which a column counts as open-ended text when the user names none: short
// values are categories (site, role, cohort), long ones are answers.
const minTextColumnLength = 40

// surveyColumn is one header cell, split into its name and declared type.
type surveyColumn struct {
	header string   // as written
	name   string   // without a type suffix
	typ    AttrType // declared by the header, or "" to infer
}

// Read reads one survey file into one source per respondent.
func (Survey) Read(in Input) ([]*Source, error) {
	tab, err := table.Read(in.Path, in.Data, table.Options{Layout: "a header row and one row per respondent"})
	if err != nil {
		return nil, err
	}
	header, rows, format := tab.Header, tab.Rows, tab.Format
	// The word for a position in messages: a CSV record's line, a sheet's row.
	unit := "lines"
	if format == "xlsx" {
		unit = "rows"
	}
	if len(rows) == 0 {
		return nil, inputErr(in.Path, 0, "has a header row but no respondents; a survey needs one row per respondent under the header")
	}

	cols := make([]surveyColumn, len(header))
	seen := map[string]int{}
	for i, h := range header {
		name, typ, _ := ParseTypedHeader(h)
		cols[i] = surveyColumn{header: h, name: name, typ: typ}
		if j, ok := seen[name]; ok {
			return nil, inputErr(in.Path, tab.Line, "columns %d and %d are both named %q; column names must be unique", j+1, i+1, name)
		}
		seen[name] = i
	}

	idCol := 0
	if in.IDColumn != "" {
		if idCol = findColumn(cols, in.IDColumn); idCol < 0 {
			return nil, qcode.FieldError("id_column", in.IDColumn, "no such column in "+in.Path, columnNames(cols)...)
		}
	}
	isText, err := textColumns(in, cols, rows, idCol)
	if err != nil {
		return nil, err
	}

	// Ids first: every later message names rows by line, but a wrong id
	// column makes every other check noise.
	idName := cols[idCol].name
	ids := make([]string, len(rows))
	firstLine := map[string]int{}
	for r, row := range rows {
		id := strings.TrimSpace(row.Cells[idCol])
		if id == "" {
			return nil, inputErr(in.Path, row.Line, "empty %s; every row needs an id", idName)
		}
		if bad := unsafeNameChar(id); bad != "" {
			return nil, inputErr(in.Path, row.Line, "%s %q holds %s, which a source name cannot hold; change the id", idName, id, bad)
		}
		if prev, dup := firstLine[id]; dup {
			return nil, inputErr(in.Path, row.Line, "%s %d and %d both have %s %s; ids must be unique", unit, prev, row.Line, idName, id)
		}
		firstLine[id] = row.Line
		ids[r] = id
	}

	attrs, err := attributeColumns(in.Path, cols, rows, idCol, isText)
	if err != nil {
		return nil, err
	}

	docs := make([]*Source, 0, len(rows))
	for r, row := range rows {
		d := &Source{Name: ids[r], Case: ids[r], Format: format, Header: Span{}}
		var text strings.Builder
		for c, col := range cols {
			if !isText[c] {
				continue
			}
			answer := strings.TrimSpace(row.Cells[c])
			if answer == "" {
				continue
			}
			if text.Len() > 0 {
				text.WriteString("\n\n")
			}
			// The label is one line even if the header cell wrapped.
			text.WriteString(strings.Join(strings.Fields(col.name), " "))
			text.WriteString(": ")
			start := text.Len()
			text.WriteString(answer)
			d.Turns = append(d.Turns, Turn{
				Speaker: ids[r],
				Span:    Span{start, text.Len()},
				Begin:   NoTime,
				Finish:  NoTime,
				Line:    row.Line,
			})
		}
		d.Text = text.String()
		for _, a := range attrs {
			if v := a.values[r]; v != "" {
				d.Attributes = append(d.Attributes, Attribute{Name: cols[a.col].name, Type: a.typ, Value: v})
			}
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// textColumns marks the open-ended columns: those the user named, else
// those whose answers are long, or that ask a question in words (see
// openQuestion).
func textColumns(in Input, cols []surveyColumn, rows []table.Row, idCol int) ([]bool, error) {
	isText := make([]bool, len(cols))
	if len(in.TextColumns) > 0 {
		for _, name := range in.TextColumns {
			name = strings.TrimSpace(name)
			c := findColumn(cols, name)
			if c < 0 {
				return nil, qcode.FieldError("text_columns", name, "no such column in "+in.Path, columnNames(cols)...)
			}
			if c == idCol {
				return nil, qcode.FieldError("text_columns", name, fmt.Sprintf("the id column of %s cannot also be a text column; leave it out, or choose another id column", in.Path))
			}
			isText[c] = true
		}
		return isText, nil
	}
	found := false
	for c, col := range cols {
		// A typed header declares an attribute, so it is never an answer.
		if c == idCol || col.typ != "" {
			continue
		}
		chars, n := 0, 0
		var answers []string
		for _, row := range rows {
			if v := strings.TrimSpace(row.Cells[c]); v != "" {
				chars += utf8.RuneCountInString(v)
				n++
				answers = append(answers, v)
			}
		}
		if n > 0 && (chars >= minTextColumnLength*n || openQuestion(col.name, answers)) {
			isText[c], found = true, true
		}
	}
	if !found {
		return nil, qcode.FieldError("text_columns", "", fmt.Sprintf("%s: found no open-ended text columns (none has answers averaging %d characters or more); name them, e.g. q1,q2", in.Path, minTextColumnLength))
	}
	return isText, nil
}

// openQuestion reports whether a column of short answers is an open-ended
// question all the same: its header asks something (it ends in "?", or
// asks for comments: "Any other comments?", "Comments") and its answers
// are words, not categories: not numbers or dates, at least half of them
// different, and one a phrase of four or more words. "Would you go
// again?" answered Yes and No is a category; "Any other comments?"
// answered "None", "No" and "The visits were too short to learn much" is
// not.
func openQuestion(header string, answers []string) bool {
	h := strings.ToLower(strings.TrimSpace(header))
	if !strings.HasSuffix(h, "?") && !strings.Contains(h, "comment") {
		return false
	}
	if typ, err := InferType(answers); err != nil || typ != AttrText {
		return false
	}
	distinct := map[string]bool{}
	phrase := false
	for _, a := range answers {
		distinct[strings.ToLower(a)] = true
		phrase = phrase || len(strings.Fields(a)) >= 4
	}
	return phrase && 2*len(distinct) >= len(answers)
}

// attrColumn is one attribute column's type and its normalised value in
// every row ("" for none).
type attrColumn struct {
	col    int
	typ    AttrType
	values []string
}

// attributeColumns types every column that is neither the id nor text and
// normalises its values.
func attributeColumns(path string, cols []surveyColumn, rows []table.Row, idCol int, isText []bool) ([]attrColumn, error) {
	var out []attrColumn
	for c, col := range cols {
		if c == idCol || isText[c] {
			continue
		}
		values := make([]string, len(rows))
		for r, row := range rows {
			values[r] = row.Cells[c]
		}
		typ := col.typ
		if typ == "" {
			t, err := InferType(values)
			var te *TypeError
			if errors.As(err, &te) {
				return nil, inputErr(path, rows[te.Index].Line, "column %q: %s; write it as a %s, or make the column text by naming it \"%s:text\" in the header",
					col.name, te.Problem(), typeNoun(te.Want), col.name)
			}
			if err != nil {
				return nil, err
			}
			typ = t
		}
		for r := range values {
			v, err := NormalizeValue(typ, values[r])
			if err != nil {
				// Only a declared type can fail here: inference chose a
				// type every value has.
				return nil, inputErr(path, rows[r].Line, "column %q is declared %s, but %v; correct the value or change the type in the header", col.header, typ, err)
			}
			values[r] = v
		}
		out = append(out, attrColumn{col: c, typ: typ, values: values})
	}
	return out, nil
}

// findColumn returns the index of the column a user named, by its name or
// its header as written, preferring an exact match; -1 if none matches.
func findColumn(cols []surveyColumn, name string) int {
	for i, c := range cols {
		if c.name == name || c.header == name {
			return i
		}
	}
	for i, c := range cols {
		if strings.EqualFold(c.name, name) || strings.EqualFold(c.header, name) {
			return i
		}
	}
	return -1
}

func columnNames(cols []surveyColumn) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

// unsafeNameChar describes the first character of id that a source name
// cannot hold, or returns "". Source names become file names in exports and
// parts of REFI-QDA paths, where these characters break or mislead.
func unsafeNameChar(id string) string {
	for _, r := range id {
		switch {
		case r == '/', r == '\\', r == ':':
			return fmt.Sprintf("%q", r)
		case r == '\n':
			return "a line break"
		case r == '\t':
			return "a tab"
		case unicode.IsControl(r):
			return fmt.Sprintf("control character %U", r)
		}
	}
	return ""
}
