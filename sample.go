package qcode

import (
	"embed"
	"io/fs"
)

// The sample corpus: interviews in every format qcode reads, a survey, a
// cases file, and two people's codings of some interviews (codings/), all
// written for qcode (see testdata/corpus/README.md).
//
//go:embed testdata/corpus/P* testdata/corpus/survey.csv testdata/corpus/cases.csv testdata/corpus/codings
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
