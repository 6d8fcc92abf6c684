package qcode

import (
	"embed"
	"io/fs"
)

// The sample corpus: interviews in every format qcode reads, a survey and
// a cases file, written for qcode (see testdata/corpus/README.md).
//
//go:embed testdata/corpus/P* testdata/corpus/survey.csv testdata/corpus/cases.csv
var sample embed.FS

// Sample returns the bundled sample corpus as a file system whose root holds
// the files.
func Sample() fs.FS {
	sub, err := fs.Sub(sample, "testdata/corpus")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}
