package export

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var (
	dimensionRef = regexp.MustCompile(`<dimension ref="([A-Z0-9:]+)"`)
	cellRef      = regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"`)
)

// checkDimensions checks that every sheet of the workbook at path declares
// as its dimension the range its cells take, counted from the cells
// themselves: a reader that trusts the dimension (openpyxl in read-only
// mode) reads no more than it says.
func checkDimensions(t *testing.T, path string) {
	t.Helper()
	sheets := 0
	for name, xml := range parts(t, path) {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		dims := dimensionRef.FindAllStringSubmatch(xml, -1)
		if len(dims) != 1 {
			t.Errorf("%s: %d dimension elements", name, len(dims))
			continue
		}
		maxCol, maxRow := 0, 0
		for _, m := range cellRef.FindAllStringSubmatch(xml, -1) {
			c, r, err := excelize.CellNameToCoordinates(m[1])
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			maxCol, maxRow = max(maxCol, c), max(maxRow, r)
		}
		end, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
		if want := "A1:" + end; dims[0][1] != want {
			t.Errorf("%s: dimension %s, but its cells take %s", name, dims[0][1], want)
		}
	}
	if sheets == 0 {
		t.Errorf("%s has no sheets", path)
	}
}

// checkPageSetup checks that every sheet prints landscape, one page wide,
// with its header row on every page.
func checkPageSetup(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	titles := map[string]bool{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && strings.HasSuffix(d.RefersTo, "!$1:$1") {
			titles[d.Scope] = true
		}
	}
	for _, name := range f.GetSheetList() {
		layout, err := f.GetPageLayout(name)
		if err != nil {
			t.Fatal(err)
		}
		props, err := f.GetSheetProps(name)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("orientation %v, width %v, height %v, fit %v, titles %v",
			deref(layout.Orientation), deref(layout.FitToWidth), deref(layout.FitToHeight), deref(props.FitToPage), titles[name])
		if want := "orientation landscape, width 1, height 0, fit true, titles true"; got != want {
			t.Errorf("sheet %s prints with %s; want %s", name, got, want)
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
