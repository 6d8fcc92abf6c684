package qcode_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The layers of docs/architecture.md, checked: for each package, the qcode
// packages its code (not its tests) must not import.
var forbidden = map[string][]string{
	"corpus":          {"qcode/codebook", "qcode/coding", "qcode/project", "qcode/search", "qcode/export", "qcode/app"},
	"codebook":        {"qcode/coding", "qcode/project", "qcode/search", "qcode/export", "qcode/app"},
	"coding":          {"qcode/project", "qcode/search", "qcode/export", "qcode/app"},
	"table":           {"qcode/corpus", "qcode/codebook", "qcode/coding", "qcode/project", "qcode/search", "qcode/export", "qcode/app"},
	"textfile":        {"qcode/corpus", "qcode/codebook", "qcode/coding", "qcode/project", "qcode/search", "qcode/export", "qcode/app"},
	"project":         {"qcode/search", "qcode/export", "qcode/app"},
	"search":          {"qcode/project", "qcode/export", "qcode/app"},
	"export":          {"qcode/project", "qcode/search", "qcode/app"},
	"app":             {"qcode/cmd"},
	"cmd/qcode":       {"qcode/project", "qcode/search", "qcode/export"},
	"web":             {"qcode/project", "qcode/search", "qcode/export"},
	"internal/sample": {"qcode/"},
	"refi":            {"qcode/project", "qcode/search", "qcode/export", "qcode/app", "qcode/web"},
	"pseudonym":       {"qcode/codebook", "qcode/coding", "qcode/project", "qcode/search", "qcode/export", "qcode/app", "qcode/web"},
	// The examples are other modules built on the domain packages alone.
	"examples": {"qcode/project", "qcode/search", "qcode/export", "qcode/app", "qcode/web"},
}

func TestLayers(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		var rules []string
		for p, r := range forbidden {
			if pkg == p || strings.HasPrefix(pkg, p+"/") {
				rules = append(rules, r...)
			}
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			name, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(name, "qcode/cmd") {
				t.Errorf("%s imports %s: nothing imports a front end", path, name)
			}
			for _, bad := range rules {
				if name == bad || strings.HasPrefix(name, strings.TrimSuffix(bad, "/")+"/") {
					t.Errorf("%s imports %s, against the layers (docs/architecture.md)", path, name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Errorf("checked only %d files; is the test in the repository's root?", checked)
	}
}
