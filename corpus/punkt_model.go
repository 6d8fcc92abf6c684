package corpus

import (
	_ "embed"
	"fmt"
	"strings"

	"gopkg.in/neurosnap/sentences.v1"
)

// punktModelTSV is Punkt's English model, the one the sentences package
// ships as gzipped JSON (data/english.json), written out as plain lines:
// for each of its four sets a line "# Name count", then a line
// "type<TAB>value" per member, sorted. Reading it takes a tenth of the
// time that decompressing and decoding the JSON takes (some 15 ms, paid by
// every process that splits a sentence); TestPunktModel checks it is the
// same model, and `go test ./corpus -run TestPunktModel -update` writes it
// again from the sentences package.
//
//go:embed punkt_english.tsv
var punktModelTSV string

// punktStorage reads punktModelTSV.
func punktStorage() (*sentences.Storage, error) {
	st := &sentences.Storage{}
	var set sentences.SetString
	text := punktModelTSV
	for n := 1; text != ""; n++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if name, ok := strings.CutPrefix(line, "# "); ok {
			name, count, _ := strings.Cut(name, " ")
			size := 0
			for _, c := range count {
				size = size*10 + int(c-'0')
			}
			set = make(sentences.SetString, size)
			switch name {
			case "AbbrevTypes":
				st.AbbrevTypes = set
			case "Collocations":
				st.Collocations = set
			case "SentStarters":
				st.SentStarters = set
			case "OrthoContext":
				st.OrthoContext = set
			default:
				return nil, fmt.Errorf("punkt_english.tsv:%d: unknown set %q", n, name)
			}
			continue
		}
		typ, value, ok := strings.Cut(line, "\t")
		if !ok || set == nil || value == "" {
			return nil, fmt.Errorf("punkt_english.tsv:%d: want type<TAB>value after a set's name", n)
		}
		v := 0
		for i := 0; i < len(value); i++ {
			c := value[i]
			if c < '0' || c > '9' {
				return nil, fmt.Errorf("punkt_english.tsv:%d: value %q is not a number", n, value)
			}
			v = v*10 + int(c-'0')
		}
		set[typ] = v
	}
	if st.AbbrevTypes == nil || st.Collocations == nil || st.SentStarters == nil || st.OrthoContext == nil {
		return nil, fmt.Errorf("punkt_english.tsv: a set is missing")
	}
	return st, nil
}
