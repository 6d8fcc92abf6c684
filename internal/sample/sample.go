// Package sample is the sample corpus that ships inside qcode, for the demo
// and the tests: interviews in every format qcode reads, a survey, a cases
// file, and two people's codings of some interviews (corpus/codings), all
// written for qcode (see corpus/README.md).
package sample

import (
	"embed"
	"io/fs"
)

//go:embed corpus/P* corpus/survey.csv corpus/cases.csv corpus/codings
var files embed.FS

// FS returns the sample corpus as a file system whose root holds the files.
func FS() fs.FS {
	sub, err := fs.Sub(files, "corpus")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}
