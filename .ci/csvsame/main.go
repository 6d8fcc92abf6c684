// Command csvsame compares the CSV files a spreadsheet application wrote
// from the sheets of a qcode workbook with the CSV files 'qcode export csv'
// wrote from the same project, table by table and cell by cell. CI runs it
// (see .ci/check-workbook.sh) to show that a real spreadsheet reads the
// workbook exactly as qcode meant it.
//
//	go run ./.ci/csvsame SHEETS-DIR PREFIX QCODE-DIR
//
// SHEETS-DIR holds PREFIX-<sheet name>.csv for each sheet, as LibreOffice
// names them; QCODE-DIR holds <file name>.csv (see export.FileName). qcode
// escapes text that starts like a formula with an apostrophe, which a
// spreadsheet shows as the text itself, so the apostrophe is dropped before
// comparing. Exit status 0 when every table is the same, 1 otherwise.
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"qcode/export"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: csvsame SHEETS-DIR PREFIX QCODE-DIR")
		os.Exit(2)
	}
	sheets, prefix, qdir := os.Args[1], os.Args[2], os.Args[3]
	files, err := filepath.Glob(filepath.Join(sheets, prefix+"-*.csv"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "csvsame: no %s-*.csv in %s\n", prefix, sheets)
		os.Exit(1)
	}
	bad := false
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), prefix+"-"), ".csv")
		want := filepath.Join(qdir, export.FileName(name))
		if msg := compare(f, want); msg != "" {
			fmt.Printf("%s: %s\n", name, msg)
			bad = true
		} else {
			fmt.Printf("%s: same as %s\n", name, filepath.Base(want))
		}
	}
	if n, _ := filepath.Glob(filepath.Join(qdir, "*.csv")); len(n) != len(files) {
		fmt.Printf("%d sheets, %d CSV files\n", len(files), len(n))
		bad = true
	}
	if bad {
		os.Exit(1)
	}
}

func read(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// noBlankRows returns rows without those whose every cell is empty.
func noBlankRows(rows [][]string) [][]string {
	var kept [][]string
	for _, r := range rows {
		for _, c := range r {
			if c != "" {
				kept = append(kept, r)
				break
			}
		}
	}
	return kept
}

// compare returns "" when the sheet's CSV and qcode's hold the same cells,
// else what differs first.
func compare(sheetPath, qcodePath string) string {
	got, err := read(sheetPath)
	if err != nil {
		return err.Error()
	}
	want, err := read(qcodePath)
	if err != nil {
		return err.Error()
	}
	// A sheet sets its notes (a total that is no column's sum) apart by
	// a blank row, which the CSV has no need of.
	got, want = noBlankRows(got), noBlankRows(want)
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows in the sheet, %d in qcode's CSV", len(got), len(want))
	}
	for i := range want {
		for len(got[i]) < len(want[i]) {
			got[i] = append(got[i], "") // a spreadsheet may leave trailing empty cells out
		}
		if len(got[i]) != len(want[i]) {
			return fmt.Sprintf("row %d: %d cells in the sheet, %d in qcode's CSV", i+1, len(got[i]), len(want[i]))
		}
		for k, w := range want[i] {
			w = export.UnescapeFormula(w)
			if got[i][k] != w {
				return fmt.Sprintf("row %d, column %q: the sheet says %q, qcode's CSV %q", i+1, want[0][k], got[i][k], w)
			}
		}
	}
	return ""
}
