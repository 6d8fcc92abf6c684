package app

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"qcode"
	"qcode/codebook"
	"qcode/export"
)

// CodebookFormats are the formats ExportCodebook writes.
var CodebookFormats = []string{"qdc", "csv", "xlsx", "yaml"}

// CodebookFormat returns the format to write a codebook in: format as
// given, else the extension of out, else yaml.
func CodebookFormat(format, out string) (string, error) {
	f := strings.ToLower(strings.TrimPrefix(format, "."))
	if f == "" {
		f = strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))
		if f == "yml" {
			f = "yaml"
		}
		if f == "" {
			f = "yaml"
		}
	}
	if slices.Contains(CodebookFormats, f) {
		return f, nil
	}
	if format == "" {
		return "", &qcode.Error{Code: qcode.EINVALID, Field: "format", Allowed: CodebookFormats,
			Message: fmt.Sprintf("cannot tell the format from the file name %s", out)}
	}
	return "", &qcode.Error{Code: qcode.EINVALID, Field: "format", Value: format, Allowed: CodebookFormats, Near: CodebookFormats, Message: "no such codebook format"}
}

// ExportCodebook makes the codebook in the given format (see
// CodebookFormats) whole, before anything is written.
func ExportCodebook(cb *Codebook, format string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "qdc":
		err = codebook.WriteQDC(&buf, cb.Codebook)
	case "csv", "xlsx":
		err = codebook.WriteTable(&buf, cb.Codebook, format)
	case "yaml":
		var data []byte
		data, err = codebook.Save(cb.Codebook)
		buf.Write(data)
	default:
		return nil, qcode.FieldError("format", format, "no such codebook format", CodebookFormats...)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes data over path whole or not at all.
func WriteFile(path string, data []byte) error {
	return export.WriteFileAtomic(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// How ImportCodebook treats a codebook already there.
const (
	CodebookKeep    = ""        // refuse to change it
	CodebookReplace = "replace" // replace it
	CodebookMerge   = "merge"   // add the codes whose ids it lacks
)

// CodebookImport is what ImportCodebook did.
type CodebookImport struct {
	Source   string           // the file imported, as shown
	Target   string           // the codebook written, as shown
	Codes    int              // codes in the codebook written
	Replaced int              // codes of the codebook replaced; -1 when there was none
	Added    []*codebook.Code // codes a merge added
	Skipped  []*codebook.Code // codes a merge skipped: their ids were there
	Written  bool             // false when a merge had nothing to add
}

// maxCodebookInput bounds the files codebook import reads: a codebook or
// dictionary is at most a few megabytes.
const maxCodebookInput = 64 << 20

// ImportCodebook reads a codebook made elsewhere (REFI-QDA .qdc, LIWC
// .dic, CSV/XLSX, qcode or quanteda YAML) and writes it as the codebook of
// opts, keeping, replacing or merging into one already there (policy).
// Everything is checked before anything is written; the file is then
// replaced in one step. A file with several problems gives an error that
// codebook.AsProblems lists.
func ImportCodebook(opts Options, file, policy string) (*CodebookImport, error) {
	data, err := readBounded(file)
	if err != nil {
		return nil, err
	}
	src := ShownPath(file)
	in, err := codebook.LoadAny(src, data)
	if err != nil {
		return nil, err
	}
	target, err := CodebookPath(opts)
	if err != nil {
		return nil, err
	}
	if ext := strings.ToLower(filepath.Ext(target)); ext != ".yaml" && ext != ".yml" {
		return nil, qcode.FieldError("codebook", target, "import writes a codebook.yaml; name a .yaml file")
	}
	shown := ShownPath(target)
	res := &CodebookImport{Source: src, Target: shown, Replaced: -1}
	result := in
	var old *codebook.Codebook
	current, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", shown, err)
	case policy == CodebookReplace:
		if old, _ = codebook.Load(shown, current); old != nil { // only to say how many codes it had
			res.Replaced = CountCodes(old)
		}
	case policy == CodebookMerge:
		old, err = codebook.Load(shown, current)
		if err != nil {
			return nil, fmt.Errorf("%w; mend it (qcode codebook validate) or replace it", err)
		}
		res.Added, res.Skipped = codebook.Merge(old, in)
		result = old
	default:
		cb, err := codebook.Load(shown, current)
		if err != nil {
			return nil, qcode.Errorf(qcode.ECONFLICT, "%s already exists (and does not load); replace it", shown)
		}
		return nil, qcode.Errorf(qcode.ECONFLICT, "%s already has %d codes; replace it, or merge the new codes into it", shown, CountCodes(cb))
	}
	res.Codes = CountCodes(result)
	// A merge can join rules that each compiled alone into one that does
	// not (a #ref to a skipped code that has no rule here), so the result is
	// checked again, and so is what Save makes of it.
	if _, err := codebook.NewMatcher(result); err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: after the merge: %v; nothing was written", src, firstLine(err.Error()))
	}
	merging := policy == CodebookMerge && old != nil
	if merging && len(res.Added) == 0 {
		return res, nil
	}
	var out []byte
	if merging {
		// The new codes go into the file as text; the rest of it, comments
		// included, stays as it was.
		out, err = codebook.SaveMerged(current, result, res.Added)
	} else {
		out, err = codebook.Save(result)
	}
	if err != nil {
		return nil, err
	}
	if _, err := codebook.Load(shown, out); err != nil {
		return nil, fmt.Errorf("internal error: the imported codebook does not load back (%v); nothing was written", err)
	}
	if err := WriteFile(target, out); err != nil {
		return nil, err
	}
	res.Written = true
	return res, nil
}

// readBounded reads a file of at most maxCodebookInput bytes.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file", path)
		}
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, qcode.Errorf(qcode.EINVALID, "%s is a folder; name a codebook file", path)
	} else if err == nil && st.Size() > maxCodebookInput {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: the file is %d MB; a codebook or dictionary is at most %d MB", path, st.Size()>>20, maxCodebookInput>>20)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	return buf.Bytes(), nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
