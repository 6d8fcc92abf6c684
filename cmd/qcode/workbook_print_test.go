package main

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/internal/testenv"
)

var updateWorkbookShots = flag.Bool("update-workbook-shots", false, "write the README's pictures of the workbook's Codings and Framework sheets (docs/workbook-*.png)")

// workbookShots are the README's pictures of the first printed page of two
// sheets, taken by TestWorkbookPrints with -update-workbook-shots.
var workbookShots = map[string]string{"Codings": "../../docs/workbook-codings.png", "Framework": "../../docs/workbook-framework.png"}

// TestWorkbookPrints prints the demo's workbook to PDF with LibreOffice, as
// a colleague would, and checks that it makes a document: a few pages per
// sheet rather than thousands, landscape, the header row on every page,
// the Codings sheet printing its list of quotes (not the columns kept for
// re-import), and the chart of themes on a page of its own.
func TestWorkbookPrints(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	testenv.Need(t, err, "LibreOffice Calc", "apt-get install libreoffice-calc")
	_, err = exec.LookPath("pdftoppm")
	testenv.Need(t, err, "pdftotext and pdftoppm", "apt-get install poppler-utils")
	dir := t.TempDir()
	book := filepath.Join(dir, "demo.xlsx")
	if code, _, errs := qcodeRun(t, "", "demo", "--dir", filepath.Join(dir, "demo"), "--out", book); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errs)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless", "--convert-to", "pdf", "--outdir", dir, book)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "demo.pdf")
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(text), "\f"), "\f")

	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	// Before: 1,528 pages, the Segments sheet most of them.
	if len(pages) > 150 || len(pages) < len(sheets) {
		t.Errorf("the demo workbook prints on %d pages for %d sheets; want at least a page a sheet and under 150 in all", len(pages), len(sheets))
	}
	// Every page starts with its sheet's header row, so a sheet's pages
	// are the run of pages that start with its first header (sheets side
	// by side with the same first header share a run: Codebook, then
	// Frequencies and the matrices, all start with "code").
	first := func(p string) string { return strings.Fields(p + " -")[0] }
	start := map[string]int{}
	p, prev := 0, ""
	for i, s := range sheets {
		head, _ := f.GetCellValue(s, "A1")
		if i > 0 && head == prev {
			start[s] = start[sheets[i-1]]
			continue
		}
		prev = head
		for p < len(pages) && first(pages[p]) != head {
			p++
		}
		if p == len(pages) {
			t.Fatalf("no page starts with the header of sheet %s (%q)", s, head)
		}
		start[s] = p
		for p < len(pages) && first(pages[p]) == head {
			p++
		}
	}
	for p := start["Codings"]; p < len(pages) && first(pages[p]) == "source"; p++ {
		header := strings.Fields(strings.SplitN(pages[p], "\n", 2)[0])
		if strings.Join(header, " ") != "source speaker code path text memo coder origin" {
			t.Errorf("page %d of the Codings sheet is headed %q; want the quote list's columns", p+1, header)
		}
	}
	row2, _ := f.GetCellValue("Frequencies", "A2")
	chart := -1
	for p := start["Frequencies"]; p < len(pages); p++ {
		if strings.Contains(pages[p], "Coded segments per theme") {
			chart = p
			break
		}
	}
	if chart < 0 || strings.Contains(pages[chart], row2) {
		t.Errorf("the chart of themes is not on a page of its own (page %d)", chart+1)
	}

	for sheet, shot := range workbookShots {
		if *updateWorkbookShots {
			base := filepath.Join(dir, sheet)
			out, err := exec.Command("pdftoppm", "-png", "-r", "110", "-singlefile", "-f", strconv.Itoa(start[sheet]+1), "-l", strconv.Itoa(start[sheet]+1), pdf, base).CombinedOutput()
			if err != nil {
				t.Fatalf("pdftoppm: %v\n%s", err, out)
			}
			data, err := os.ReadFile(base + ".png")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(shot, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// The README shows the first printed page of each, landscape.
		data, err := os.ReadFile(shot)
		if err != nil {
			t.Fatalf("no picture of the %s sheet for the README: run go test ./cmd/qcode -run TestWorkbookPrints -update-workbook-shots (%v)", sheet, err)
		}
		if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width <= cfg.Height || cfg.Width < 1000 {
			t.Errorf("%s is not a landscape page: %+v, %v", shot, cfg, err)
		}
		readme, err := os.ReadFile("../../README.md")
		if err != nil || !bytes.Contains(readme, []byte("]("+strings.TrimPrefix(shot, "../../")+")")) {
			t.Errorf("README.md does not show %s", shot)
		}
	}
}
