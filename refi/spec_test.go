package refi

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/internal/testenv"
)

// specExample is Annex A.2 of the REFI-QDA standard, an ATLAS.ti project,
// kept beside the checkout (see /work/shared/refi-qda/README.md).
var specExample = filepath.Join("..", "..", "shared", "refi-qda", "spec-example2-simple-project.qde")

func readSpecExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(specExample)
	testenv.Need(t, err, "the REFI-QDA standard's example project", "put ../shared beside the checkout")
	return data
}

// The example ships without its sources: reading it names the first file
// it misses.
func TestSpecExampleWithoutSources(t *testing.T) {
	data := readSpecExample(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "atlas.qde")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadFile(path)
	want := "atlas.qde: TextSource 69A4332D-5B31-4915-B520-5275CFC21B40: its text " + filepath.Join(dir, "sources", "01106019-2518-43DD-BBD1-8F0252BACB30.txt") + " is missing"
	if err == nil || err.Error() != want || qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("err = %v (%s)\nwant %s", err, qcode.ErrorCode(err), want)
	}
}

// TestSpecExample builds the plain texts the example implies (each
// selection's text where its name is the selected text) and reads it.
func TestSpecExample(t *testing.T) {
	data := readSpecExample(t)
	x, err := decodeQDE("atlas.qde", data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sources"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ts := range x.Sources.Text {
		end := 0
		for _, sel := range ts.Selections {
			e, _ := strconv.Atoi(sel.End)
			end = max(end, e)
		}
		text := []rune(strings.Repeat("breakfast ", end/10+3))
		used := make([]bool, len(text))
		for _, sel := range ts.Selections {
			s, _ := strconv.Atoi(sel.Start)
			e, _ := strconv.Atoi(sel.End)
			name := []rune(strings.TrimSuffix(sel.Name, "…"))
			if len(name) > e-s {
				continue
			}
			free := true
			for i := s; i < s+len(name); i++ {
				free = free && !used[i]
			}
			if free {
				copy(text[s:], name)
				for i := s; i < s+len(name); i++ {
					used[i] = true
				}
			}
		}
		rel, _ := internalPath(ts.PlainPath)
		if err := os.WriteFile(filepath.Join(dir, "sources", rel), []byte(string(text)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "atlas.qde")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	p, notes, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "ATLAS.ti standard project" || len(p.Users) != 3 || p.Users[1].Name != "Friedrich Markgraf" {
		t.Errorf("project %q, users %+v", p.Name, p.Users)
	}
	if len(p.Sources) != 6 {
		t.Errorf("%d sources, want the 6 text sources", len(p.Sources))
	}
	n := 0
	p.Codebook.Walk(func(*codebook.Code) { n++ })
	if n != 14 {
		t.Errorf("%d codes, want 14", n)
	}
	if c := p.Codebook.Code("cornflakes"); c == nil || c.Description != "breakfast cereal made by Kellogg’s" || c.GUID != "AE6D04CE-D987-4FC8-AF97-D72CA6FFD08F" {
		t.Errorf("cornflakes: %+v", c)
	}
	var diet *struct{ text string }
	for _, c := range p.Codings {
		if c.Code == "coke_diet_coke" {
			src := p.Sources[0]
			for _, s := range p.Sources {
				if s.Name == c.Source {
					src = s
				}
			}
			diet = &struct{ text string }{string([]rune(src.Text)[c.Start:c.End])}
			if c.Coder != "Friedrich Markgraf" || c.Origin != coding.OriginManual || c.GUID != "445A6AEC-1400-4502-919D-0867832FF211" {
				t.Errorf("diet coke coding: %+v", c)
			}
		}
	}
	if diet == nil || diet.text != "Oh, that was great. See you tomorrow? Eleven thirty. Mm." {
		t.Errorf("diet coke coding: %+v", diet)
	}
	if len(p.Memos) != 2 || p.Memos[0].Text != "This is a great project by a dynamic team of researcher-developers.\n" || p.Memos[0].Coder != "Friedrich Markgraf" {
		t.Errorf("memos: %+v", p.Memos)
	}
	joined := strings.Join(notes, "\n")
	for _, want := range []string{"PictureSource", "PDFSource", "AudioSource", "VideoSource", "describes nothing in particular", "has a description but no code"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes lack %q:\n%s", want, joined)
		}
	}
}
