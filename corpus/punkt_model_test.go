package corpus

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"
)

var updatePunkt = flag.Bool("update", false, "rewrite punkt_english.tsv from the sentences package's English model")

// TestPunktModel checks that punkt_english.tsv holds the model the
// sentences package loads, set by set and value by value.
func TestPunktModel(t *testing.T) {
	raw, err := data.Asset("data/english.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := sentences.LoadTraining(raw)
	if err != nil {
		t.Fatal(err)
	}
	sets := []struct {
		name string
		set  sentences.SetString
	}{{"AbbrevTypes", want.AbbrevTypes}, {"Collocations", want.Collocations}, {"SentStarters", want.SentStarters}, {"OrthoContext", want.OrthoContext}}
	if *updatePunkt {
		var b strings.Builder
		for _, s := range sets {
			fmt.Fprintf(&b, "# %s %d\n", s.name, len(s.set))
			for _, k := range slices.Sorted(maps.Keys(s.set)) {
				if strings.ContainsAny(k, "\t\n") {
					t.Fatalf("%s: type %q holds a tab or a line break", s.name, k)
				}
				fmt.Fprintf(&b, "%s\t%d\n", k, s.set[k])
			}
		}
		if err := os.WriteFile("punkt_english.tsv", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		punktModelTSV = b.String()
	}
	got, err := punktStorage()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		name      string
		got, want sentences.SetString
	}{
		{"AbbrevTypes", got.AbbrevTypes, want.AbbrevTypes},
		{"Collocations", got.Collocations, want.Collocations},
		{"SentStarters", got.SentStarters, want.SentStarters},
		{"OrthoContext", got.OrthoContext, want.OrthoContext},
	} {
		if len(s.want) == 0 {
			t.Fatalf("%s: the sentences package's model has none", s.name)
		}
		if !maps.Equal(s.got, s.want) {
			t.Errorf("punkt_english.tsv's %s differs from the sentences package's (%d types, want %d): run go test ./corpus -run TestPunktModel -update", s.name, len(s.got), len(s.want))
		}
	}
}

func BenchmarkPunktModel(b *testing.B) {
	b.Run("tsv", func(b *testing.B) {
		for b.Loop() {
			if _, err := punktStorage(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			raw, err := data.Asset("data/english.json")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sentences.LoadTraining(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}
