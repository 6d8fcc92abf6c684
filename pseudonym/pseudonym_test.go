package pseudonym

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode"
	"qcode/corpus"
)

func init() { ScryptWorkFactor = 10 } // tests need no protection from guessing

func TestReplacerWholeWordsOnly(t *testing.T) {
	r, err := NewReplacer([]Item{
		{Original: "Tom", Replacement: "[Participant 8]", Kind: Speaker},
		{Original: "Tom Reilly", Replacement: "[Participant 8]", Kind: Speaker},
		{Original: "Gulu", Replacement: "[Town 1]", Kind: Place},
		{Original: "+44 20 7946 0958", Replacement: "[Phone 1]", Kind: Phone},
		{Original: "grace@example.org", Replacement: "[Email 1]", Kind: Email},
		{Original: "St Mary's", Replacement: "[Hospital B]"},
		{Original: "j.okello@nhs.net", Replacement: "[Email 2]"},
		{Original: "0113 496 0000", Replacement: "[Phone 2]"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"Tomorrow Tom said Tom's tomato", "Tomorrow [Participant 8] said [Participant 8]'s tomato"},
		{"[00:01:05] Tom Reilly: we went to Gulu–Lira.", "[00:01:05] [Participant 8]: we went to [Town 1]–Lira."},
		{"00:03:10 [Tom] fine", "00:03:10 [[Participant 8]] fine"},
		{"TOM and tom", "[Participant 8] and tom"},
		{"call +44 20 7946 0958 or Grace@Example.org", "call [Phone 1] or [Email 1]"},
		{"Gulus and Gulu.", "Gulus and [Town 1]."},
		{"at ST MARY'S, st mary's: J.Okello@NHS.net on 0113 496 0000", "at [Hospital B], st mary's: [Email 2] on [Phone 2]"},
	} {
		if got := r.Replace(c.in); got != c.want {
			t.Errorf("Replace(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPatterns(t *testing.T) {
	text := "Her NHS number is 943 476 5919, not 943 476 5910. Born 12/03/1961; seen 14 March 2024.\n" +
		"Ring 07700 900123 or +44 (0)113 496 0000, write to j.okello@northbridge.nhs.uk, LS1 4AP.\n" +
		"DOB: 3 April 1958. The ward had 4012345678 beds."
	got := map[Kind][]string{}
	for _, p := range findPatterns(text) {
		got[p.kind] = append(got[p.kind], text[p.start:p.end])
	}
	want := map[Kind][]string{
		NHSNumber:   {"943 476 5919"},
		DateOfBirth: {"12/03/1961", "3 April 1958"},
		Phone:       {"07700 900123", "+44 (0)113 496 0000"},
		Email:       {"j.okello@northbridge.nhs.uk"},
		Postcode:    {"LS1 4AP"},
	}
	for k, w := range want {
		if strings.Join(got[k], "|") != strings.Join(w, "|") {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("found kinds %v, want only %v", got, want)
	}
}

func TestNHSCheckDigit(t *testing.T) {
	for s, want := range map[string]bool{"9434765919": true, "943 476 5919": true, "9434765918": false, "4010232137": true, "1234567890": false} {
		if nhsValid(s) != want {
			t.Errorf("nhsValid(%q) = %v", s, !want)
		}
	}
}

// sample reads the sample corpus's interviews.
func sample(t testing.TB) []*corpus.Source {
	t.Helper()
	files, err := filepath.Glob("../testdata/corpus/P*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample corpus: %v", err)
	}
	var srcs []*corpus.Source
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := corpus.Read(corpus.Input{Path: f, Data: data}, "")
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, docs...)
	}
	return srcs
}

func TestFindSample(t *testing.T) {
	items := Find(sample(t))
	byOriginal := map[string]Item{}
	for _, it := range items {
		byOriginal[it.Original] = it
	}
	for _, c := range []struct {
		original string
		kind     Kind
	}{
		{"Grace Akello", Speaker}, {"Marsh", Speaker}, {"Tom", Speaker},
		{"Gulu", Place}, {"Lusaka", Place}, {"Kumasi Teaching Hospital", Organisation},
		{"Wessex Women’s Hospital", Organisation}, {"Patel", Person}, {"Haddad", Person},
	} {
		it, ok := byOriginal[c.original]
		if !ok {
			t.Errorf("%q not found", c.original)
			continue
		}
		if it.Kind != c.kind {
			t.Errorf("%q is a %s, want %s", c.original, it.Kind, c.kind)
		}
	}
	for _, never := range []string{"Interviewer", "Interviewer 1", "P03", "R", "NHS", "Uganda", "March", "MoU", "Tomorrow"} {
		if _, ok := byOriginal[never]; ok {
			t.Errorf("%q was taken for an identifier", never)
		}
	}
	// One replacement per person: Grace Akello's first name alone gets hers.
	if a, b := byOriginal["Grace"].Replacement, byOriginal["Grace Akello"].Replacement; a != b || !strings.HasPrefix(a, "[Participant ") {
		t.Errorf("Grace → %q, Grace Akello → %q", a, b)
	}
	if r := byOriginal["Kumasi Teaching Hospital"].Replacement; r != "[Hospital A]" {
		t.Errorf("Kumasi Teaching Hospital → %q", r)
	}
}

func TestListRoundTrip(t *testing.T) {
	items := []Item{
		{Original: "Gulu", Replacement: "[Town 1]", Kind: Place, Count: 35, Sources: []string{"P01", "P02"}},
		{Original: "Marsh", Replacement: "", Kind: Speaker, Count: 42, Sources: []string{"P01"}},
	}
	var b bytes.Buffer
	if err := WriteList(&b, items); err != nil {
		t.Fatal(err)
	}
	data := b.String() + "St Mary's,[Hospital B],,,\n"
	got, err := ReadList("list.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Original != "Gulu" || got[0].Replacement != "[Town 1]" || got[1].Replacement != "" || got[2].Original != "St Mary's" {
		t.Errorf("read back %+v", got)
	}
}

func TestListBadInput(t *testing.T) {
	head := "original,replacement,kind,count,sources\n"
	for name, c := range map[string]struct{ data, want string }{
		"blank original":          {head + "Gulu,[Town 1],place,,\n ,[Town 2],place,,\n", `list.csv:3:1: the original is blank`},
		"two replacements":        {head + "Gulu,[Town 1],place,,\ngulu,[Town 2],place,,\n", `list.csv:3:1: "gulu" is listed again (first at list.csv:2:1) with another replacement`},
		"replacement is original": {head + "Gulu,Lira,place,,\nLira,[Town 2],place,,\n", `the replacement "Lira" of "Gulu" is itself an original to replace (list.csv:3:1)`},
		"unknown column":          {"original,replacement,notes\nGulu,[Town 1],x\n", `list.csv:1: unknown column "notes"`},
		"unknown kind":            {head + "Gulu,[Town 1],city,,\n", `list.csv:2:15: unknown kind "city"`},
		"no replacement column":   {"original,kind\nGulu,place\n", `has no column "replacement"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadList("list.csv", []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) || qcode.ErrorCode(err) != qcode.EINVALID || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v, want one line with %q", err, c.want)
			}
		})
	}
}

func TestKeyRoundTrip(t *testing.T) {
	k := &Key{Project: "study", Items: []Item{{Original: "Gulu", Replacement: "[Town 1]", Kind: Place}},
		Sources: []KeySource{{Name: "P01", Hash: "abc", Edits: []KeyEdit{{Start: 4, End: 12, Text: "Gulu"}}}}}
	for _, pass := range []string{"", "correct horse battery staple"} {
		var b bytes.Buffer
		if err := WriteKey(&b, k, pass); err != nil {
			t.Fatal(err)
		}
		if pass != "" && bytes.Contains(b.Bytes(), []byte("Gulu")) {
			t.Fatal("the encrypted key holds an original in clear")
		}
		got, err := ReadKey("key", b.Bytes(), pass)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sources[0].Edits[0].Text != "Gulu" || got.Items[0].Replacement != "[Town 1]" {
			t.Errorf("read back %+v", got)
		}
		if pass != "" {
			if _, err := ReadKey("key", b.Bytes(), "wrong"); err == nil || !strings.Contains(err.Error(), "passphrase: does not open the key key") {
				t.Errorf("wrong passphrase: %v", err)
			}
			if _, err := ReadKey("key", b.Bytes(), ""); err == nil || !strings.Contains(err.Error(), "is encrypted; give its passphrase") {
				t.Errorf("no passphrase: %v", err)
			}
		}
	}
	for _, data := range []string{"not a key", `{"format":"something else"}`, "original,replacement\n"} {
		if _, err := ReadKey("notes.txt", []byte(data), ""); err == nil || !strings.Contains(err.Error(), "key notes.txt: is not a qcode pseudonym key") {
			t.Errorf("%q: %v", data, err)
		}
	}
}
