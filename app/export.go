package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/export"
	"qcode/project"
)

// ExportOptions say what to export, and where.
type ExportOptions struct {
	Format string   // xlsx or csv
	Path   string   // the workbook, or the folder of CSV files
	Coder  string   // whose codings: a coder, "rules", or AllCoders ("")
	Attrs  []string // case attributes given a Code x <attribute> sheet; none for the usual ones
	Themes string   // the Framework sheet's themes: top (""), or ids separated by commas
	// Written is the time the About sheet gives; zero for now, or
	// $SOURCE_DATE_EPOCH when set, so that a build can be reproduced.
	Written time.Time
}

// ExportFormats are the formats Export writes.
var ExportFormats = []string{"xlsx", "csv"}

// ExportResult is what Export wrote.
type ExportResult struct {
	Path    string   `json:"path"`
	Format  string   `json:"format"`
	Sheets  int      `json:"sheets"`
	Codings int      `json:"codings"`
	Files   []string `json:"files,omitempty"` // the CSV files written
}

// CheckExportPath checks where an export is to be written before any work
// is done: a mistake in it should not wait for the project.
func CheckExportPath(format, path string) error {
	switch format {
	case "xlsx":
		if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
			return qcode.Errorf(qcode.EINVALID, "%s: the workbook is an Excel file; name it with .xlsx", path)
		}
		if err := export.CheckFolder(path); err != nil {
			return err
		}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return qcode.Errorf(qcode.EINVALID, "%s is a folder; name the workbook file, e.g. %s", path, filepath.Join(path, "results.xlsx"))
		}
		return nil
	case "csv":
		return export.CheckCSVFolder(path)
	}
	return qcode.FieldError("format", format, "no such export format", ExportFormats...)
}

// Export writes every report at once: the results workbook, or its tables
// as CSV files. With every coder's codings and two or more people coding,
// the workbook holds their agreement too; every memo is on its Memos sheet
// (memos.csv). Files are written whole or not at all. The project is read
// source by source (see Analysis), never held whole; one changed while it
// is read is a qcode.ECONFLICT error, and nothing is written.
func (p *Project) Export(ctx context.Context, o ExportOptions) (*ExportResult, error) {
	if err := CheckExportPath(o.Format, o.Path); err != nil {
		return nil, err
	}
	themes, a, err := p.themed(ctx, o.Themes, o.Coder)
	if err != nil {
		return nil, err
	}
	written := o.Written
	if written.IsZero() {
		written = time.Now()
		if sec, ok := SourceDateEpoch(os.Getenv); ok {
			written = time.Unix(sec, 0).UTC()
		}
	}
	wo := report.WorkbookOptions{
		About:     report.AboutInfo{Project: a.Project, Written: written, CodebookPath: a.CodebookPath, CodebookHash: a.Codebook.Hash},
		Attrs:     o.Attrs,
		Framework: report.FrameworkOptions{Themes: themes, Summaries: a.Summaries},
	}
	if wo.Memos, err = p.Memos(ctx, project.MemoFilter{}); err != nil {
		return nil, err
	}
	people := slices.DeleteFunc(slices.Clone(a.Coders()), func(c string) bool { return c == coding.RulesCoder })
	if a.Coder == AllCoders && len(people) >= 2 {
		if wo.Agreement, err = p.peopleAgreement(ctx, people); err != nil {
			return nil, err
		}
	}
	w, err := a.Workbook(wo)
	if err != nil {
		return nil, err
	}
	// The sheets of a row per coding, segment or quote read the project
	// again, source by source, as they are written.
	res := &ExportResult{Path: o.Path, Format: o.Format, Sheets: len(w.Tables()), Codings: a.CodingCount()}
	switch o.Format {
	case "xlsx":
		err = export.WriteWorkbook(ctx, o.Path, w)
	case "csv":
		res.Files, err = export.WriteCSV(o.Path, w.Tables())
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// peopleAgreement returns how far people agree, sentence by sentence,
// with a bootstrap interval and their disagreements.
func (p *Project) peopleAgreement(ctx context.Context, people []string) (*coding.AgreementReport, error) {
	rel, err := p.Reliability(ctx, coding.AgreementSpec{Unit: coding.UnitSentence, Coders: people, Disagreements: true})
	if err != nil {
		return nil, err
	}
	rep, err := rel.Agreement(ExportResamples, 1)
	if err != nil {
		return nil, err
	}
	return &rep, nil
}

// ExportResamples is the bootstrap's number of resamples for the
// workbook's Agreement sheet, with seed 1, so that the workbook is the
// same each time it is written.
const ExportResamples = 1000

// SourceDateEpoch returns the time in $SOURCE_DATE_EPOCH (seconds since
// 1970), the convention for reproducible output, or ok false.
func SourceDateEpoch(getenv func(string) string) (int64, bool) {
	s := getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
