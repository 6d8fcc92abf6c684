package coding

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"qcode/codebook"
	"qcode/corpus"
	"qcode/internal/corpusgen"
)

// TestRankByHand checks the arithmetic on a model small enough to work
// out: codes a (segments {x y} and {x}) and b ({z}), α = 1, so V = 3,
// N_a = 3 and N_¬a = 1, N_b = 1 and N_¬b = 3. For {x}, a's odds are
// P(x | a) / P(x | ¬a) = ((2+1)/(3+3)) / ((0+1)/(1+3)) = 2, b's are
// ((0+1)/(1+3)) / ((2+1)/(3+3)) = 1/2, so a's share is 2 / (2 + 1/2) = 0.8.
func TestRankByHand(t *testing.T) {
	ex := []Example{
		{ID: "A:s1", Group: "A", Features: []string{"x", "y"}, Codes: []string{"a"}},
		{ID: "A:s2", Group: "A", Features: []string{"x"}, Codes: []string{"a"}},
		{ID: "B:s1", Group: "B", Features: []string{"z"}, Codes: []string{"b"}},
	}
	m := TrainSuggest(ex, SuggestOptions{MinExamples: 1, Alpha: 1})
	got := m.Rank([]string{"x", "never-seen"}, 3, nil)
	if len(got) != 2 || got[0].Code != "a" || got[0].Rank != 1 || got[1].Code != "b" || got[1].Rank != 2 {
		t.Fatalf("ranks %+v, want a then b", got)
	}
	if math.Abs(got[0].Score-0.8) > 1e-12 || math.Abs(got[1].Score-0.2) > 1e-12 {
		t.Errorf("scores %.6f %.6f, want 0.8 and 0.2", got[0].Score, got[1].Score)
	}
	// MinExamples 2 turns b off: it is never suggested.
	m = TrainSuggest(ex, SuggestOptions{MinExamples: 2, Alpha: 1})
	if got := m.Rank([]string{"z"}, 3, nil); len(got) != 1 || got[0].Code != "a" || got[0].Score != 1 {
		t.Errorf("with b off: %+v, want a alone", got)
	}
	if !m.On[0] || m.On[1] || m.Examples[0] != 2 || m.Examples[1] != 1 {
		t.Errorf("on %v examples %v", m.On, m.Examples)
	}
}

func TestSuggestFeatures(t *testing.T) {
	for _, c := range []struct {
		name string
		in   SuggestInput
		want []string
	}{
		{"words and phrases", SuggestInput{Words: []string{"the", "risk", "", "the", "risk", "was"}},
			[]string{"risk", "risk was", "the", "the risk", "was"}},
		{"stems of longer words", SuggestInput{Words: []string{"teaching", "them", "", "débriefs"}},
			[]string{"débriefs", "débri~", "teaching", "teaching them", "teach~", "them"}},
		{"near, question and rules", SuggestInput{
			Words:    []string{"none"},
			Near:     [][]string{{"no", "", "debrief"}, {"no"}},
			Question: []string{"any", "debrief", ""},
			Rules:    []string{"absent_debriefs", "active_debriefs"}},
			[]string{"near:debrief", "near:no", "none", "q:any", "q:any debrief", "q:debrief", "rule:absent_debriefs", "rule:active_debriefs"}},
	} {
		if got := SuggestFeatures(c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestCrossValidateByHand works two sources through by hand. Source G1:
// s1 {x} a, s2 {z} b, s5 {w} c; G2: s3 {x} a, s4 {y} b. Testing G2 on a
// model of G1: s3 ranks a first; s4's word is unknown, so every code
// scores alike and ties go by code: a, b, c (b second). Testing G1 on a
// model of G2 (a: x, b: y; no c): s1 ranks a first; s2 ranks a, b (b
// second); s5's code c is not in the model: missed. Overall 5 tested, 2
// first, 4 in the top three; c 1 tested, 0 in the top three.
func TestCrossValidateByHand(t *testing.T) {
	ex := []Example{
		{ID: "G1:s1", Group: "G1", Features: []string{"x"}, Codes: []string{"a"}},
		{ID: "G1:s2", Group: "G1", Features: []string{"z"}, Codes: []string{"b"}},
		{ID: "G1:s5", Group: "G1", Features: []string{"w"}, Codes: []string{"c"}},
		{ID: "G1:s6", Group: "G1", Features: []string{"x"}}, // uncoded: not tested
		{ID: "G2:s3", Group: "G2", Features: []string{"x"}, Codes: []string{"a"}},
		{ID: "G2:s4", Group: "G2", Features: []string{"y"}, Codes: []string{"b"}},
	}
	cv := CrossValidate(ex, SuggestOptions{MinExamples: 1, Alpha: 1, Folds: 5})
	if cv.Folds != 2 || cv.Groups != 2 {
		t.Fatalf("folds %d groups %d, want 2 and 2", cv.Folds, cv.Groups)
	}
	o := cv.Overall
	if o.Examples != 5 || o.Tested != 5 || o.Top1 != 2 || o.Top3 != 4 {
		t.Errorf("overall %+v, want 5 examples, 5 tested, 2 first, 4 in the top three", o)
	}
	want := map[string][3]int{"a": {2, 2, 2}, "b": {2, 0, 2}, "c": {1, 0, 0}}
	for _, a := range cv.Codes {
		if w := want[a.Code]; [3]int{a.Tested, a.Top1, a.Top3} != w {
			t.Errorf("%s: tested %d top1 %d top3 %d, want %v", a.Code, a.Tested, a.Top1, a.Top3, w)
		}
	}
	// With c off (MinExamples 2), s5 is not tested. a and b, on with two
	// examples each, are still ranked by each fold's model, which learnt
	// from one of each: as above, a first and b second everywhere.
	cv = CrossValidate(ex, SuggestOptions{MinExamples: 2, Alpha: 1})
	if cv.Overall.Tested != 4 || cv.Codes[2].On || cv.Codes[2].Tested != 0 {
		t.Errorf("c off: overall %+v, c %+v", cv.Overall, cv.Codes[2])
	}
	if o := cv.Overall; o.Top1 != 2 || o.Top3 != 4 {
		t.Errorf("c off: overall %+v, want 2 first and 4 in the top three", o)
	}
	// One source cannot be split.
	if cv := CrossValidate(ex[:4], SuggestOptions{MinExamples: 1}); cv.Folds != 0 || cv.Overall.Tested != 0 {
		t.Errorf("one source: %+v", cv)
	}
}

func TestTrainingHash(t *testing.T) {
	a := []Example{{ID: "P1:s1", Codes: []string{"x", "y"}}, {ID: "P1:s2", Codes: []string{"z"}}, {ID: "P1:s3"}}
	b := []Example{{ID: "P1:s2", Codes: []string{"z"}}, {ID: "P1:s1", Codes: []string{"y", "x"}}}
	o := SuggestOptions{}
	if TrainingHash(a, o) != TrainingHash(b, o) {
		t.Error("the hash depends on the order of the examples, or counts uncoded ones")
	}
	c := []Example{{ID: "P1:s1", Codes: []string{"x"}}, {ID: "P1:s2", Codes: []string{"z"}}}
	if TrainingHash(a, o) == TrainingHash(c, o) {
		t.Error("a coding less leaves the hash as it was")
	}
	if TrainingHash(a, o) == TrainingHash(a, SuggestOptions{MinExamples: 3}) {
		t.Error("the options leave the hash as it was")
	}
}

// benchExamples makes segments of generated interviews, words in all, a
// third of them coded with one of 20 codes by the first long word's
// letters, so that the codes have words that mark them.
func benchExamples(tb testing.TB, words int) []Example {
	var buf bytes.Buffer
	if err := corpusgen.Interview(&buf, "txt", words, rand.New(rand.NewPCG(7, 7))); err != nil {
		tb.Fatal(err)
	}
	var out []Example
	for i, line := range strings.Split(buf.String(), "\n") {
		toks, _ := corpus.Words(line)
		var ws []string
		key := ""
		for _, t := range toks {
			w := ""
			if t.IsWord() {
				w = codebook.NormWord(t.Text)
				if key == "" && len(w) > 6 {
					key = w
				}
			}
			ws = append(ws, w)
		}
		e := Example{ID: fmt.Sprintf("P%d:s%d", i/200, i), Group: fmt.Sprint(i / 200), Features: SuggestFeatures(SuggestInput{Words: ws})}
		if key != "" && i%3 == 0 {
			e.Codes = []string{fmt.Sprintf("code%02d", (int(key[0])+int(key[3]))%20)}
		}
		out = append(out, e)
	}
	return out
}

// BenchmarkSuggest trains a model on the coded segments of a corpus of 1M
// words and ranks every segment's codes, as qcode code --suggest does
// (without the store).
func BenchmarkSuggest(b *testing.B) {
	ex := benchExamples(b, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	var out []Suggestion
	for range b.N {
		m := TrainSuggest(ex, SuggestOptions{})
		for _, e := range ex {
			out = m.Rank(e.Features, 3, out[:0])
		}
	}
}

// BenchmarkCrossValidate is the cross-validation of the same corpus.
func BenchmarkCrossValidate(b *testing.B) {
	ex := benchExamples(b, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		CrossValidate(ex, SuggestOptions{})
	}
}
