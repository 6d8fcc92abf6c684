package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"qcode/corpus"
	"qcode/internal/sample"
)

// Sample is the bundled sample corpus written out to a folder.
type Sample struct {
	Dir     string
	Files   []string          // the transcripts and the survey, in name order
	Cases   string            // the case attributes
	Coders  []string          // the people whose codings of the sample ship with it
	Codings map[string]string // each coder's codings file
}

// sampleCoders are the people whose codings of the sample ship with it
// (internal/sample/corpus/codings).
var sampleCoders = []string{"amina", "ben"}

// WriteSample writes the sample corpus into dir (made if missing), so that
// it is imported like any user's files.
func WriteSample(dir string) (*Sample, error) {
	if err := os.CopyFS(dir, sample.FS()); err != nil {
		return nil, err
	}
	s := &Sample{Dir: dir, Cases: filepath.Join(dir, "cases.csv"), Coders: sampleCoders, Codings: map[string]string{}}
	entries, err := fs.ReadDir(sample.FS(), ".")
	if err != nil {
		return nil, err
	}
	for _, ent := range entries {
		name := ent.Name()
		if _, err := corpus.FormatOf(name, ""); err != nil || name == "cases.csv" {
			continue
		}
		s.Files = append(s.Files, filepath.Join(dir, name))
	}
	sort.Strings(s.Files)
	for _, c := range s.Coders {
		s.Codings[c] = filepath.Join(dir, "codings", c+".csv")
	}
	return s, nil
}
