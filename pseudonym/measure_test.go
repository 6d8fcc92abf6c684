package pseudonym

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qcode/corpus"
)

// sampleAll reads the whole sample corpus: the interviews and the survey's
// respondents.
func sampleAll(t testing.TB) []*corpus.Source {
	t.Helper()
	srcs := sample(t)
	data, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "survey.csv"))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := corpus.Read(corpus.Input{Path: "survey.csv", Data: data}, "")
	if err != nil {
		t.Fatal(err)
	}
	return append(srcs, docs...)
}

// occurrences returns the spans of text in s where it stands as whole
// words, as written.
func occurrences(s, text string) []corpus.Span {
	var out []corpus.Span
	for at := 0; ; {
		i := strings.Index(s[at:], text)
		if i < 0 {
			return out
		}
		start, end := at+i, at+i+len(text)
		at = start + 1
		if !boundary(s, start, end) {
			continue
		}
		out = append(out, corpus.Span{Start: start, End: end})
	}
}

// TestSampleRecall measures Find and the Replacer on the sample corpus
// against testdata/corpus-identifiers.tsv, where every name of a person,
// place and organisation that identifies someone was marked by hand, by
// reading (countries, months and national bodies are not marked). Every marked
// occurrence but a few must be replaced, and no word outside them may
// change.
func TestSampleRecall(t *testing.T) {
	srcs := sampleAll(t)
	data, err := os.ReadFile(filepath.Join("..", "testdata", "corpus-identifiers.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string][]corpus.Span{} // by source
	kindOf := map[string]string{}
	text := map[string]string{}
	for _, s := range srcs {
		text[s.Name] = s.Text
	}
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "source\t") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 || text[f[0]] == "" {
			t.Fatalf("corpus-identifiers.tsv:%d: %q", i+2, line)
		}
		occ := occurrences(text[f[0]], f[1])
		if len(occ) == 0 {
			t.Fatalf("corpus-identifiers.tsv:%d: %s does not say %q", i+2, f[0], f[1])
		}
		for _, sp := range occ {
			marked[f[0]] = append(marked[f[0]], sp)
			kindOf[fmt.Sprint(f[0], sp)] = f[2]
		}
	}
	items := Find(srcs)
	r, err := NewReplacer(items)
	if err != nil {
		t.Fatal(err)
	}
	var total, found, replacedWords, wrongWords int
	missed := map[string]int{}
	kindTotal, kindFound := map[string]int{}, map[string]int{}
	for _, s := range srcs {
		ms := r.Matches(s.Text)
		covered := func(sp corpus.Span) bool {
			for _, m := range ms {
				if m.Start <= sp.Start && sp.End <= m.End {
					return true
				}
			}
			return false
		}
		for _, sp := range marked[s.Name] {
			total++
			k := kindOf[fmt.Sprint(s.Name, sp)]
			kindTotal[k]++
			if covered(sp) {
				found++
				kindFound[k]++
			} else {
				missed[s.Text[sp.Start:sp.End]]++
			}
		}
		// Every replaced word lies inside a marked occurrence.
		for _, m := range ms {
			words(s.Text, m.Start, m.End, func(ws, we int) {
				replacedWords++
				if !slices.ContainsFunc(marked[s.Name], func(sp corpus.Span) bool { return sp.Start <= ws && we <= sp.End }) {
					wrongWords++
					t.Errorf("%s: %q at %d was replaced but is not marked as identifying", s.Name, s.Text[ws:we], ws)
				}
			})
		}
		// Token by token, the words outside the replacements are the same.
		var edits []corpus.Edit
		for _, m := range ms {
			edits = append(edits, corpus.Edit{Start: m.Start, End: m.End, Text: r.Items()[m.Item].Replacement})
		}
		out, err := corpus.ApplyEdits(s.Text, edits)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := wordsOutside(s.Text, ms, nil), wordsOutside(out, shifted(ms, r), nil); !slices.Equal(a, b) {
			t.Errorf("%s: the words outside the replacements changed", s.Name)
		}
	}
	recall := float64(found) / float64(total)
	precision := float64(replacedWords-wrongWords) / float64(replacedWords)
	t.Logf("marked occurrences %d, replaced %d: recall %.3f (person %d/%d, place %d/%d, organisation %d/%d); words replaced %d, outside the marked set %d: precision %.3f; missed %v",
		total, found, recall, kindFound["person"], kindTotal["person"], kindFound["place"], kindTotal["place"], kindFound["organisation"], kindTotal["organisation"],
		replacedWords, wrongWords, precision, missed)
	if recall < 0.95 {
		t.Errorf("recall %.3f, want at least 0.95; missed %v", recall, missed)
	}
}

// shifted returns the matches' spans in the text after they are replaced.
func shifted(ms []Match, r *Replacer) []Match {
	out := make([]Match, len(ms))
	d := 0
	for i, m := range ms {
		n := len(r.Items()[m.Item].Replacement)
		out[i] = Match{Start: m.Start + d, End: m.Start + d + n, Item: m.Item}
		d += n - (m.End - m.Start)
	}
	return out
}

// wordsOutside returns the words of text outside the spans.
func wordsOutside(text string, ms []Match, out []string) []string {
	at := 0
	for _, m := range ms {
		words(text, at, m.Start, func(s, e int) { out = append(out, text[s:e]) })
		at = m.End
	}
	words(text, at, len(text), func(s, e int) { out = append(out, text[s:e]) })
	return out
}
