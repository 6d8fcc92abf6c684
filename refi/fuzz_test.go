package refi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"qcode"
)

// anyText gives every plainTextPath the same interview text, so the fuzzer
// reaches the positions, references and memos behind the files.
type anyText struct{}

func (anyText) open(ref, what string) ([]byte, error) {
	if _, ok := internalPath(ref); !ok {
		return nil, inputErr(qcode.EINVALID, "fuzz.qdpx", "%s: plainTextPath %q is outside the project", what, ref)
	}
	return []byte(goodText + "\nJosé: Funding 💷 ran out after eighteen months.\n"), nil
}

// FuzzReadQDE feeds project.qde text to the reader: it returns a project
// whose codings lie inside their sources, or one line of qcode.Error, and
// never panics.
func FuzzReadQDE(f *testing.F) {
	f.Add([]byte(goodQDE))
	for _, dir := range []string{"maxqda", "atlas"} {
		data, err := os.ReadFile(filepath.Join("testdata", dir, "project.qde"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(strings.Replace(goodQDE, `endPosition="30"`, `endPosition="99999"`, 1)))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaa">]><Project xmlns="urn:QDA-XML:project:1.0" name="&a;"/>`))
	f.Add([]byte(`<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes><Code guid="2e8d5b3f-6c4a-4d7e-9f0a-1b2c3d4e5f60" name="a"><Code guid="2e8d5b3f-6c4a-4d7e-9f0a-1b2c3d4e5f60" name="b" isCodable="true"/></Code></Codes></CodeBook></Project>`))
	f.Add([]byte("\xff\xfe<\x00P\x00/\x00>\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &reader{name: "fuzz.qdpx", files: anyText{}}
		p, err := r.read(data)
		if err != nil {
			var qe *qcode.Error
			if !errors.As(err, &qe) {
				t.Fatalf("not a qcode.Error: %T %v", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		for _, c := range p.Codings {
			found := false
			for _, s := range p.Sources {
				if s.Name == c.Source {
					found = true
					if c.Start < 0 || c.Start > c.End || c.End > utf8.RuneCountInString(s.Text) {
						t.Fatalf("coding %+v outside its source", c)
					}
				}
			}
			if !found {
				t.Fatalf("coding on a source the project lacks: %+v", c)
			}
		}
	})
}
