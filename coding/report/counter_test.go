package report

import (
	"slices"
	"testing"

	"qcode"
	"qcode/coding"
)

// feed gives a FrequencyCounter the data d source by source, as a store
// reading one source at a time does.
func feed(t *testing.T, d *Data, coder string, o FrequencyOptions) (*Table, *Analysis, error) {
	t.Helper()
	head := &Data{Codebook: d.Codebook, Attributes: d.Attributes, Cases: d.Cases, Sources: d.Sources}
	fc, err := NewFrequencyCounter(head, coder, o)
	if err != nil {
		return nil, nil, err
	}
	for src := range d.Sources {
		var sents []Sentence
		for _, s := range d.Sentences {
			if s.Source == src {
				sents = append(sents, s)
			}
		}
		var codings []*coding.Coding
		for _, c := range d.Codings {
			if c.Source == d.Sources[src].Name {
				codings = append(codings, c)
			}
		}
		if err := fc.Add(src, sents, codings); err != nil {
			t.Fatal(err)
		}
	}
	return fc.Table()
}

// TestFrequencyCounter counts source by source what Frequencies counts
// over the whole analysis, for every coder and every choice of columns:
// codings by several coders and origins, a span across sentences and
// turns, a code the codebook lacks, and two sources of one case, whose
// case counts once.
func TestFrequencyCounter(t *testing.T) {
	variants := map[string]func(d *Data){
		"as made": func(*Data) {},
		"one case for two sources": func(d *Data) {
			d.Sources[1].Case = 0
		},
		"a code not in the codebook": func(d *Data) {
			c := *d.Codings[len(d.Codings)-1]
			c.Code, c.Coder = "w", "amina"
			d.Codings = append(d.Codings, &c)
		},
	}
	for name, change := range variants {
		for _, coder := range []string{"", "amina", "rules", "bo"} {
			for _, o := range []FrequencyOptions{{}, {Own: true}, {Split: "coder"}, {Split: "origin", Own: true}} {
				d := testData(t)
				change(d)
				a, err := New(d, coder)
				if err != nil {
					t.Fatal(err)
				}
				want, err := a.Frequencies(o)
				if err != nil {
					t.Fatal(err)
				}
				d = testData(t)
				change(d)
				got, ga, err := feed(t, d, coder, o)
				if err != nil {
					t.Fatalf("%s, coder %q, %+v: %v", name, coder, o, err)
				}
				if df := diff(cells(want), cells(got)); df != "" {
					t.Errorf("%s, coder %q, %+v: counted source by source (-whole +by source):\n%s", name, coder, o, df)
				}
				if ga.CodingCount() != a.CodingCount() || ga.Words() != a.Words() || !slices.Equal(ga.Coders(), a.Coders()) {
					t.Errorf("%s, coder %q: %d codings, %d words, coders %q; want %d, %d, %q", name, coder,
						ga.CodingCount(), ga.Words(), ga.Coders(), a.CodingCount(), a.Words(), a.Coders())
				}
			}
		}
	}
}

// TestFrequencyCounterRefuses gives New's errors: a coder with no codings,
// and a split by something else than coder or origin, before any source
// is read.
func TestFrequencyCounterRefuses(t *testing.T) {
	_, _, err := feed(t, testData(t), "nobody", FrequencyOptions{})
	_, werr := New(testData(t), "nobody")
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || err.Error() != werr.Error() {
		t.Errorf("coder nobody: %v, want %v", err, werr)
	}
	d := testData(t)
	if _, err := NewFrequencyCounter(&Data{Cases: d.Cases, Sources: d.Sources}, "", FrequencyOptions{Split: "speaker"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("split by speaker: %v, want an invalid split", err)
	}
}
