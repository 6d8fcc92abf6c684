package qcode_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/codebook"
)

var update = flag.Bool("update", false, "rewrite testdata/devset/DEFINITIONS.md from the default codebook")

// definitionsFile is what readers who code the development set see of the
// default codebook: its definitions, never its rules or examples, so that
// their coding measures the rules instead of repeating them.
const definitionsFile = "testdata/devset/DEFINITIONS.md"

// definitions renders the code definitions of cb as Markdown: for every
// code in tree order its id, name, path, description, include and exclude
// criteria, and whether it is coded by people.
func definitions(cb *codebook.Codebook) []byte {
	var b bytes.Buffer
	b.WriteString("# Code definitions: " + cb.Name + "\n\n")
	b.WriteString("<!-- Written from codebook/default.yaml by `go test -run TestDefinitions -update .`; edit the codebook, not this file. -->\n\n")
	b.WriteString("These are the definitions of the default codebook's codes, for coding passages against the\n")
	b.WriteString("framework. A code marked *coded by people* is never applied by the rules. A grouping code\n")
	b.WriteString("is applied through its children unless its include criteria say otherwise.\n\n")
	if cb.Description != "" {
		b.WriteString(cb.Description + "\n")
	}
	cb.Walk(func(c *codebook.Code) {
		b.WriteString("\n" + strings.Repeat("#", min(c.Depth()+1, 6)) + " " + c.Name + "\n\n")
		b.WriteString("- id: `" + c.ID + "`\n")
		b.WriteString("- path: " + c.Path() + "\n")
		if c.ByPeople {
			b.WriteString("- " + codebook.CodedByPeople + "\n")
		}
		for _, f := range []struct{ name, text string }{
			{"Description", c.Description}, {"Include", c.Include}, {"Exclude", c.Exclude},
		} {
			if f.text != "" {
				b.WriteString("\n**" + f.name + ".** " + f.text + "\n")
			}
		}
	})
	return b.Bytes()
}

// TestDefinitions checks that the definitions file given to the readers is
// the default codebook's current one, and that it carries no rule.
func TestDefinitions(t *testing.T) {
	cb := codebook.Default()
	want := definitions(cb)
	if *update {
		if err := os.MkdirAll(filepath.Dir(definitionsFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(definitionsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(definitionsFile)
	if err != nil {
		t.Fatalf("%v (go test -run TestDefinitions -update . writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not the default codebook's definitions; go test -run TestDefinitions -update . rewrites it", definitionsFile)
	}
	text := string(got)
	cb.Walk(func(c *codebook.Code) {
		if !strings.Contains(text, "- id: `"+c.ID+"`\n") {
			t.Errorf("%s has no entry for %s", definitionsFile, c.ID)
		}
		// A reader who saw a rule or an example would code by it.
		if c.Rule != "" && strings.Contains(text, c.Rule) {
			t.Errorf("%s shows the rule of %s", definitionsFile, c.ID)
		}
		for _, e := range append(c.Examples, c.Counterexamples...) {
			if strings.Contains(text, e) {
				t.Errorf("%s shows an example of %s: %q", definitionsFile, c.ID, e)
			}
		}
	})
	for _, id := range []string{"learning_as_imagined", "equal_knowledge_brokers", "system_innovation"} {
		if !strings.Contains(text, "- id: `"+id+"`\n- path: "+cb.Code(id).Path()+"\n- coded by people\n") {
			t.Errorf("%s does not say that %s is coded by people", definitionsFile, id)
		}
	}
}
