package codebook

import (
	"fmt"
	"strings"
	"testing"
)

// liwcDic is a small dictionary in the layout of LIWC2015's: categories
// nested by tabs in the header, tab-separated entries, prefixes, entries of
// several words, words in several categories, repeats, a LIWC2007-style
// conditional entry, a line separated by spaces and a word that is an
// operator in the rule language.
const liwcDic = `%
1	function
	2	pronoun
		3	i
	4	negate
30	affect
	31	posemo
	32	negemo
		33	anxiety
50	cogproc
	51	insight
120	work
%
a	1
about	1
i	1	2	3
i'm	1	2	3
me	1	2	3
my	1	2	3
myself	1	2	3
not	1	4
never	1	4
no	1	4
don't	1	4
cannot	1	4
NOT	4
humbl*	30	31
humil*	30	31
grate*	30	31
learn*	30	31	50	51
worr*	30	32	33
nervous*	30	32	33
anxi*	30	32	33
afraid	30	32	33
realis*	50	51
realiz*	50	51
understand	50	51
kind	(02 134)31/51
a lot	1	50
lack of	1	4
job*	120
hospital*	120
well-being	31
#hashtag	31
worr*	33
nhs 120
`

func TestReadDic(t *testing.T) {
	cb, err := ReadDic("liwc2015-mini.dic", []byte(liwcDic))
	if err != nil {
		t.Fatal(err)
	}
	want := `function
  pronoun
    i
  negate
affect
  posemo
  negemo
    anxiety
cogproc
  insight
work
`
	if got := allIDs(cb); got != want {
		t.Errorf("ids:\n%s\nwant:\n%s", got, want)
	}
	rules := map[string]string{
		"function": `a OR about OR i OR i'm OR me OR my OR myself OR not OR never OR no OR don't OR cannot OR "a lot" OR "lack of"`,
		"pronoun":  `i OR i'm OR me OR my OR myself`,
		"negate":   `not OR never OR no OR don't OR cannot OR "NOT" OR "lack of"`,
		"posemo":   `humbl* OR humil* OR grate* OR learn* OR kind OR well-being OR "#hashtag"`,
		"anxiety":  `worr* OR nervous* OR anxi* OR afraid`,
		"insight":  `learn* OR realis* OR realiz* OR understand OR kind`,
		"cogproc":  `learn* OR realis* OR realiz* OR understand OR "a lot"`,
		"work":     `job* OR hospital* OR nhs`,
	}
	for id, rule := range rules {
		if c := cb.Code(id); c == nil || c.Rule != rule {
			t.Errorf("%s: rule\n%q\nwant\n%q", id, c.Rule, rule)
		}
	}
	if c := cb.Code("anxiety"); c.Description != "Category 33 of the dictionary liwc2015-mini.dic (4 entries)." || c.Path() != "affect > negemo > anxiety" {
		t.Errorf("anxiety: %q, %q", c.Description, c.Path())
	}
	if cb.Name != "liwc2015-mini" || !strings.Contains(cb.Description, "11 categories, 33 entries") {
		t.Errorf("codebook %q: %q", cb.Name, cb.Description)
	}
	roundTripYAML(t, cb)
}

// TestReadDicKeepsEveryWord builds a dictionary of many words and checks
// that each one is in its category's rule, unchanged.
func TestReadDicKeepsEveryWord(t *testing.T) {
	words := dictionaryWords()
	var b strings.Builder
	b.WriteString("%\n1\tall\n2\tprefixes\n3\tphrases\n%\n")
	for _, w := range words {
		cat := "1"
		switch {
		case strings.Contains(w, " "):
			cat = "1\t3"
		case strings.HasSuffix(w, "*"):
			cat = "1\t2"
		}
		b.WriteString(w + "\t" + cat + "\n")
	}
	cb, err := ReadDic("big.dic", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkEveryWord(t, cb.Code("all"), words)
}

// dictionaryWords are entries of the kinds validated dictionaries hold.
func dictionaryWords() []string {
	words := []string{"don't", "can't", "won't", "i'd", "o'clock", "e-mail", "well-being", "co-operat*", "covid-19", "24/7",
		"naïve", "café*", "über", "straße", "ok", "OK", "and", "or", "not", "near", "AND", "OR", "NOT", "NEAR/3", "BEFORE",
		"#1", "(un)happy", "a lot", "kind of", "sort of", "lack of", "in spite of", "as a matter of fact", "organi?ation",
		"*ness", "c.e.o.", "u.s.a", "mr.", "etc", "e.g.", "1st", "2nd", "100%", "$100", "x:y", "q&a", "he/she", "a+", "c#"}
	for i := range 300 {
		words = append(words, "word"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))+"*")
	}
	return words
}

// checkEveryWord checks each word stands in c's rule as itself, or as a
// one-word phrase when the rule language would read it otherwise.
func checkEveryWord(t *testing.T, c *Code, words []string) {
	t.Helper()
	terms := map[string]bool{}
	for _, term := range strings.Split(c.Rule, " OR ") {
		terms[term] = true
	}
	for _, w := range words {
		if !terms[w] && !terms[`"`+w+`"`] {
			t.Errorf("%q is not in the rule", w)
		}
	}
	e, err := ParseRule(c.Rule)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := e.(Or); !ok || len(o.Terms) != len(words) {
		t.Errorf("the rule has %d terms for %d words", len(e.(Or).Terms), len(words))
	}
}

func roundTripYAML(t *testing.T, cb *Codebook) {
	t.Helper()
	out, err := Save(cb)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load("codebook.yaml", out)
	if err != nil {
		t.Fatalf("Load(Save(cb)): %v\n%s", err, out)
	}
	checkSame(t, cb, back, true)
}

func TestReadDicBad(t *testing.T) {
	tests := []struct {
		name, dic, want string
	}{
		{"undefined category", liwcDic[:strings.Index(liwcDic, "nhs")] + "hospice*\t120\t12\n", "liwc.dic:46: category 12 is not defined in the % header"},
		{"every undefined category", "%\n1\tx\n%\na\t1\t7\nb\t8\n", "liwc.dic:4: category 7 is not defined in the % header (and 1 more problem)"},
		{"no header", "a\t1\n", "liwc.dic:1: a .dic file starts with a line holding only %"},
		{"header never closed", "\n%\n1\tx\na\t1\n", "liwc.dic:2: the % header that starts here is never closed"},
		{"empty header", "%\n%\na\t1\n", "liwc.dic:1: the % header names no categories"},
		{"category without name", "%\n1\n%\n", "liwc.dic:2: category 1 has no name"},
		{"category twice", "%\n1\tx\n1\ty\n%\n", "liwc.dic:3: category 1 is defined twice in the % header (lines 2 and 3)"},
		{"entry without category", "%\n1\tx\n%\nword\n", `liwc.dic:4: entry "word" names no category`},
		{"punctuation only", "%\n1\tnetspeak\n%\n:)\t1\n", `liwc.dic:4: ":)" has no letter or digit, so it could never match`},
		{"double quote", "%\n1\tx\n%\nsay \"hi\"\t1\n", `liwc.dic:4: "say \"hi\"" holds a double quote`},
		{"wildcard alone", "%\n1\tx\n%\n*\t1\n", `liwc.dic:4: "*" has no letter or digit`},
		{"empty file", "", "liwc.dic:1: a .dic file starts with a line holding only %"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDic("liwc.dic", []byte(tt.dic))
			if err == nil {
				t.Fatal("read without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func FuzzReadDic(f *testing.F) {
	f.Add([]byte(liwcDic))
	f.Add([]byte("%\n1\tx\n\t2\ty\n%\na b\t1 2\nc*\t(1)2/1\n"))
	f.Add([]byte("%\r\n01 a\r\n%\r\nword 1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadDic("fuzz.dic", data)
		if err != nil {
			return
		}
		out, err := Save(cb)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load("codebook.yaml", out); err != nil {
			t.Fatalf("Load(Save(ReadDic)): %v\n%s", err, out)
		}
	})
}

// BenchmarkReadDic imports a dictionary of 5,000 entries in 50 categories,
// LIWC's size, rules compiled included.
func BenchmarkReadDic(b *testing.B) {
	var d strings.Builder
	d.WriteString("%\n")
	for c := 1; c <= 50; c++ {
		fmt.Fprintf(&d, "%d\tcategory%d\n", c, c)
	}
	d.WriteString("%\n")
	for i := range 5000 {
		fmt.Fprintf(&d, "w%dx*\t%d\t%d\n", i, i%50+1, (i*7)%50+1)
	}
	data := []byte(d.String())
	for b.Loop() {
		if _, err := ReadDic("big.dic", data); err != nil {
			b.Fatal(err)
		}
	}
}
