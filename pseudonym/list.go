package pseudonym

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"qcode"
	"qcode/table"
)

// ListColumns are the columns of an item list, as WriteList writes them.
var ListColumns = []string{"original", "replacement", "kind", "count", "sources"}

// WriteList writes items as CSV with the columns ListColumns, the sources
// separated by spaces, for a researcher to edit and give back to ReadList.
func WriteList(w io.Writer, items []Item) error {
	cw := csv.NewWriter(w)
	cw.Write(ListColumns)
	for _, it := range items {
		cw.Write([]string{it.Original, it.Replacement, string(it.Kind), strconv.Itoa(it.Count), strings.Join(it.Sources, " ")})
	}
	cw.Flush()
	return cw.Error()
}

// ReadList reads an item list (CSV, TSV or XLSX) that WriteList wrote and a
// researcher edited: a blank replacement leaves its original alone, and
// rows added by hand are items too (their kind may be blank). It refuses,
// with a one-line qcode.EINVALID error naming the file, line and column, a
// column it does not know, a list without an original or replacement
// column, a blank original, an original listed twice with two
// replacements, a replacement that is itself an original, and an unknown
// kind.
func ReadList(path string, data []byte) ([]Item, error) {
	t, err := table.Read(path, data, table.Options{Layout: "a header row (original, replacement, kind, count, sources) and one row per item"})
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range t.Header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(ListColumns, name) {
			return nil, &qcode.Error{Code: qcode.EINVALID, Message: fmt.Sprintf("%s:%d: unknown column %q; a list has the columns %s", path, t.Line, h, strings.Join(ListColumns, ", "))}
		}
		col[name] = i
	}
	for _, need := range []string{"original", "replacement"} {
		if _, ok := col[need]; !ok {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: has no column %q; a list has the columns %s", path, need, strings.Join(ListColumns, ", "))
		}
	}
	cell := func(r *table.Row, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(r.Cells[i])
		}
		return ""
	}
	var items []Item
	where := map[string]string{} // fold key → where it is listed
	index := map[string]int{}    // fold key → item
	for ri := range t.Rows {
		r := &t.Rows[ri]
		it := Item{Original: cell(r, "original"), Replacement: cell(r, "replacement"), Kind: Kind(cell(r, "kind"))}
		if it.Original == "" {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: the original is blank; write what to replace, or delete the row", t.Where(r, col["original"]))
		}
		if it.Kind != "" && !slices.Contains(Kinds, it.Kind) {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: unknown kind %q; choose one of %s, or leave it blank", t.Where(r, col["kind"]), it.Kind, kindNames())
		}
		key := foldKey(it)
		if j, ok := index[key]; ok {
			if items[j].Replacement != it.Replacement {
				return nil, qcode.Errorf(qcode.EINVALID, "%s: %q is listed again (first at %s) with another replacement, %q rather than %q; keep one", t.Where(r, col["original"]), it.Original, where[key], it.Replacement, items[j].Replacement)
			}
			continue
		}
		index[key], where[key] = len(items), t.Where(r, col["original"])
		items = append(items, it)
	}
	for _, it := range items {
		if it.Replacement == "" {
			continue
		}
		for _, key := range []string{strings.ToLower(it.Replacement), it.Replacement} {
			if j, ok := index[key]; ok && items[j].Replacement != "" {
				return nil, qcode.Errorf(qcode.EINVALID, "%s: the replacement %q of %q is itself an original to replace (%s); give it another replacement", path, it.Replacement, it.Original, where[key])
			}
		}
	}
	return items, nil
}

func kindNames() string {
	var s []string
	for _, k := range Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}
