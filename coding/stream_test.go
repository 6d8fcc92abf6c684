package coding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"qcode/internal/sample"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// defaultMatcher compiles the default codebook.
func defaultMatcher(tb testing.TB) *codebook.Matcher {
	tb.Helper()
	m, err := codebook.NewMatcher(codebook.Default())
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// stream runs Stream over input and returns its output.
func stream(tb testing.TB, m *codebook.Matcher, input string, opts coding.StreamOptions) (string, coding.StreamStats, error) {
	tb.Helper()
	var out bytes.Buffer
	st, err := coding.Stream(context.Background(), strings.NewReader(input), &out, m, opts)
	return out.String(), st, err
}

// codeJSON is one element of a record's codes.
type codeJSON struct {
	Code    string      `json:"code"`
	Path    string      `json:"path"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
	Matches []matchJSON `json:"matches"`
	Negated bool        `json:"negated"`
}

// matchJSON is one match of a code, with the tokens it used.
type matchJSON struct {
	Tokens  []tokenJSON `json:"tokens"`
	Negated bool        `json:"negated"`
}

// tokenJSON is one token a match used.
type tokenJSON struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// words returns the texts of a match's tokens, joined by spaces.
func (m matchJSON) words() string {
	var ws []string
	for _, t := range m.Tokens {
		ws = append(ws, t.Text)
	}
	return strings.Join(ws, " ")
}

type recordJSON struct {
	ID    any        `json:"id"`
	Text  string     `json:"text"`
	Codes []codeJSON `json:"codes"`
}

func parseOutput(tb testing.TB, out string) []recordJSON {
	tb.Helper()
	var recs []recordJSON
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" && out == "" {
			break
		}
		var r recordJSON
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			tb.Fatalf("output line %d is not JSON: %v\n%s", i+1, err, line)
		}
		if r.Codes == nil {
			tb.Fatalf("output line %d has no codes array: %s", i+1, line)
		}
		recs = append(recs, r)
	}
	return recs
}

// checkSpans checks every code of every record: its span lies in the text
// (the whole text for unit record), it has matches, each match token's span
// is that token in the text and lies in the code's span, it is negated only
// when every match is, and no code comes twice for one segment.
func checkSpans(tb testing.TB, recs []recordJSON, unit string) {
	tb.Helper()
	for _, r := range recs {
		rs := []rune(r.Text)
		seen := map[string]bool{}
		for _, c := range r.Codes {
			if c.Start < 0 || c.End > len(rs) || c.Start >= c.End {
				tb.Errorf("record %v: %s: span [%d, %d) outside the text of %d code points", r.ID, c.Code, c.Start, c.End, len(rs))
				continue
			}
			if unit == "record" && (c.Start != 0 || c.End != len(rs)) {
				tb.Errorf("record %v: %s: span [%d, %d), want the whole record [0, %d)", r.ID, c.Code, c.Start, c.End, len(rs))
			}
			key := fmt.Sprintf("%s %d %d", c.Code, c.Start, c.End)
			if seen[key] {
				tb.Errorf("record %v: %s twice on [%d, %d)", r.ID, c.Code, c.Start, c.End)
			}
			seen[key] = true
			if len(c.Matches) == 0 {
				tb.Errorf("record %v: %s: no matches", r.ID, c.Code)
			}
			negated := true
			for _, m := range c.Matches {
				negated = negated && m.Negated
				if len(m.Tokens) == 0 {
					tb.Errorf("record %v: %s: a match without tokens", r.ID, c.Code)
				}
				for _, t := range m.Tokens {
					if t.Start < c.Start || t.End > c.End || t.Start >= t.End {
						tb.Errorf("record %v: %s: token %q at [%d, %d) outside the code's span [%d, %d)", r.ID, c.Code, t.Text, t.Start, t.End, c.Start, c.End)
						continue
					}
					if got := string(rs[t.Start:t.End]); got != t.Text {
						tb.Errorf("record %v: %s: token %q at [%d, %d) slices %q from the text", r.ID, c.Code, t.Text, t.Start, t.End, got)
					}
				}
			}
			if c.Negated != negated {
				tb.Errorf("record %v: %s: negated %v, but its matches say %v", r.ID, c.Code, c.Negated, negated)
			}
		}
	}
}

// TestStreamGolden codes realistic free-text answers from an NHS staff
// survey about global health partnerships, in each unit, and compares the
// output with testdata/stream_*.golden (refresh with -update).
func TestStreamGolden(t *testing.T) {
	input, err := os.ReadFile(filepath.Join("testdata", "stream_survey.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	m := defaultMatcher(t)
	for _, unit := range []string{"record", "paragraph", "sentence"} {
		t.Run(unit, func(t *testing.T) {
			out, st, err := stream(t, m, string(input), coding.StreamOptions{Unit: unit})
			if err != nil {
				t.Fatal(err)
			}
			recs := parseOutput(t, out)
			if st.Records != len(recs) || st.Records != 12 || st.Skipped != 0 {
				t.Errorf("stats %+v, want 12 records and %d output lines", st, len(recs))
			}
			codings := 0
			for _, r := range recs {
				codings += len(r.Codes)
			}
			if codings != st.Codings || codings == 0 {
				t.Errorf("stats say %d codings, output holds %d", st.Codings, codings)
			}
			checkSpans(t, recs, unit)
			golden := filepath.Join("testdata", "stream_"+unit+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (run with -update if the change is right):\n%s", golden, lineDiff(string(want), out))
			}
		})
	}
}

// TestStreamCodes checks what a few plain records are coded with.
func TestStreamCodes(t *testing.T) {
	m := defaultMatcher(t)
	in := `{"id":1,"text":"We never had a debrief after the visit. Now we learn from each other, with humility."}
{"id":2,"text":"The flights were delayed by six hours."}
`
	out, st, err := stream(t, m, in, coding.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recs := parseOutput(t, out)
	checkSpans(t, recs, "record")
	var got []string
	for _, c := range recs[0].Codes {
		for _, mt := range c.Matches {
			got = append(got, fmt.Sprintf("%s %q %v", c.Code, mt.words(), mt.Negated))
		}
	}
	for _, want := range []string{
		`absent_debriefs "debrief" true`,
		`humility "humility" false`,
		`everyone_contributes "learn each other" false`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("record 1 lacks %s; it has %q", want, got)
		}
	}
	if len(recs[1].Codes) != 0 {
		t.Errorf("record 2 should have no codes, has %+v", recs[1].Codes)
	}
	for _, c := range recs[0].Codes {
		if c.Code == "humility" && c.Path != "Aspects of the partnership > Enablers > Humility" {
			t.Errorf("humility path %q", c.Path)
		}
	}
	if st.Words != 16+7 {
		t.Errorf("counted %d words, want 23", st.Words)
	}
	if st.Codings != len(recs[0].Codes) {
		t.Errorf("stats say %d codings, record 1 has %d codes", st.Codings, len(recs[0].Codes))
	}
}

// TestStreamMatches checks that a code is written once per segment however
// many matches it has there, with every match and its tokens, and that it
// is negated only when every match is.
func TestStreamMatches(t *testing.T) {
	cb := &codebook.Codebook{Codes: []*codebook.Code{
		{ID: "debrief", Name: "Debriefs", Rule: "debrief*", Negation: codebook.NegationKeep},
		{ID: "humility", Name: "Humility", Rule: "humil* NOT humiliat*"},
	}}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		t.Fatal(err)
	}
	type match struct {
		words   string
		negated bool
	}
	type code struct {
		code, span string
		matches    []match
		negated    bool
	}
	for _, tc := range []struct {
		name, unit, text string
		want             []code
	}{
		{"two matches, one code", "record", "Humility, and more humility — naïve, humble.",
			[]code{{"humility", "Humility, and more humility — naïve, humble.", []match{{"Humility", false}, {"humility", false}}, false}}},
		{"some negated", "record", "There was no debrief at first. The debrief in March helped.",
			[]code{{"debrief", "There was no debrief at first. The debrief in March helped.", []match{{"debrief", true}, {"debrief", false}}, false}}},
		{"all negated", "record", "No debrief, never a debriefing.",
			[]code{{"debrief", "No debrief, never a debriefing.", []match{{"debrief", true}, {"debriefing", true}}, true}}},
		{"by sentence", "sentence", "There was no debrief at first. The debrief in March helped; humility too.",
			[]code{
				{"debrief", "There was no debrief at first.", []match{{"debrief", true}}, true},
				{"debrief", "The debrief in March helped; humility too.", []match{{"debrief", false}}, false},
				{"humility", "The debrief in March helped; humility too.", []match{{"humility", false}}, false},
			}},
		{"by paragraph", "paragraph", "No debrief. Humility, then humility.\n\nNo debrief again.",
			[]code{
				{"debrief", "No debrief. Humility, then humility.", []match{{"debrief", true}}, true},
				{"humility", "No debrief. Humility, then humility.", []match{{"Humility", false}, {"humility", false}}, false},
				{"debrief", "No debrief again.", []match{{"debrief", true}}, true},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, _ := json.Marshal(map[string]string{"text": tc.text})
			out, st, err := stream(t, m, string(in), coding.StreamOptions{Unit: tc.unit})
			if err != nil {
				t.Fatal(err)
			}
			recs := parseOutput(t, out)
			checkSpans(t, recs, tc.unit)
			var got []code
			for _, c := range recs[0].Codes {
				g := code{code: c.Code, span: string([]rune(tc.text)[c.Start:c.End]), negated: c.Negated}
				for _, mt := range c.Matches {
					g.matches = append(g.matches, match{mt.words(), mt.Negated})
				}
				got = append(got, g)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tc.want)
			}
			if st.Codings != len(tc.want) {
				t.Errorf("stats say %d codings, want %d", st.Codings, len(tc.want))
			}
		})
	}
}

// TestStreamPreservesFields checks that every field but codes is written
// back byte for byte, in its order.
func TestStreamPreservesFields(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct{ name, in string }{
		{"numbers", `{"id":12345678901234567890123,"score":1.50,"z":-0.0,"e":6.02e+23,"text":"humility"}`},
		{"nested", `{"meta": {"trust" : "Northbridge", "years":[2019, 2020, {"a":null}]}, "text":"humility", "ok":true}`},
		{"unicode", `{"name":"Zoë Ndlovu 😀","esc":"caf\u00e9 \"quoted\" \\ \/","text":"humility","tag":"ü"}`},
		{"text first", `{"text":"humility","b":2,"a":1,"c":3}`},
		{"white space", "  {  \"id\" : 7 ,\t\"text\" :\"humility\"  }  "},
		{"duplicate keys", `{"id":1,"id":2,"text":"nothing","text":"humility"}`},
		{"key escape", `{"t\u0065xt":"humility","x":"y"}`},
		{"crlf", "{\"id\":1,\"text\":\"humility\"}\r"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := stream(t, m, tc.in+"\n", coding.StreamOptions{})
			if err != nil {
				t.Fatal(err)
			}
			kept := strings.TrimRight(strings.TrimRight(tc.in, "\r"), " ")
			kept = strings.TrimRight(strings.TrimSuffix(kept, "}"), " ")
			if !strings.HasPrefix(out, kept+`,"codes":[{"code":"humility"`) || !strings.HasSuffix(out, "]}\n") {
				t.Errorf("got  %s\nwant %s,\"codes\":[…]}", out, kept)
			}
			var in, got map[string]any
			if err := json.Unmarshal([]byte(tc.in), &in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			delete(got, "codes")
			if !reflect.DeepEqual(in, got) {
				t.Errorf("fields changed:\n got %v\nwant %v", got, in)
			}
		})
	}
}

// TestStreamReplacesCodes checks that a "codes" the input had is dropped,
// wherever it stood, and the other fields kept in order.
func TestStreamReplacesCodes(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct{ in, want string }{
		{`{"codes":["old"],"id":1,"text":"humility"}`, `{"id":1,"text":"humility","codes":[{`},
		{`{"id":1,"codes":{"a":[1,"]"]},"text":"humility"}`, `{"id":1,"text":"humility","codes":[{`},
		{`{"id":1, "text": "humility", "codes" : null}`, `{"id":1,"text": "humility","codes":[{`},
		{`{"codes":1,"text":"humility","codes":2}`, `{"text":"humility","codes":[{`},
		{`{"c\u006fdes":1,"text":"nothing"}`, `{"text":"nothing","codes":[]}`},
	} {
		out, _, err := stream(t, m, tc.in, coding.StreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out, tc.want) || strings.Count(out, `"codes"`) != 1 {
			t.Errorf("%s\n got %s\nwant %s…", tc.in, out, tc.want)
		}
	}
}

// TestStreamOffsets checks that start and end count code points, so that
// []rune(text)[start:end] is the coded span, with accents, emoji (one code
// point and several), escapes and invalid UTF-8.
func TestStreamOffsets(t *testing.T) {
	m := defaultMatcher(t)
	for _, text := range []string{
		`Naïve at first; then humility.`,
		`😀😀 The Ugandan 🇺🇬 team taught us humility — real humility.`,
		`Staff at Mbarara said: \"we learn from each other\" 👩🏽‍⚕️ and it was mutual.`,
		`\ud83d\ude00 escaped emoji before humility`,
		"invalid \xff byte before humility",
		`Ça m'a appris l'humilité, and humility in English.`,
		`humility at the end —  😀 ” `,
	} {
		in := `{"text":"` + text + `"}`
		for _, unit := range []string{"record", "sentence"} {
			out, _, err := stream(t, m, in, coding.StreamOptions{Unit: unit})
			if err != nil {
				t.Fatal(err)
			}
			recs := parseOutput(t, out)
			if len(recs[0].Codes) == 0 {
				t.Errorf("%s: no codes", text)
			}
			checkSpans(t, recs, unit)
		}
	}
}

// TestStreamAsApplier checks that a streamed record's codes say what
// Applier's codings of the same text, as one segment, say: the same codes,
// spans, matches, tokens and negation.
func TestStreamAsApplier(t *testing.T) {
	input, err := os.ReadFile(filepath.Join("testdata", "stream_survey.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	m := defaultMatcher(t)
	out, _, err := stream(t, m, string(input), coding.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := coding.NewApplier(m.Clone(), "", time.Time{})
	for _, r := range parseOutput(t, out) {
		toks, sent := corpus.Words(r.Text)
		seg := &coding.Segment{Source: "R", Unit: coding.UnitSource, End: utf8.RuneCountInString(r.Text),
			ByteEnd: len(r.Text), Text: r.Text, Tokens: toks, Sentence: sent}
		var want []codeJSON
		for _, c := range a.Code(seg, nil) {
			cj := codeJSON{Code: c.Code, Path: codebook.Default().Code(c.Code).Path(), Start: c.Start, End: c.End, Negated: c.Negated}
			for _, mt := range c.Matches {
				var mj matchJSON
				mj.Negated = mt.Negated
				for _, tok := range mt.Tokens {
					mj.Tokens = append(mj.Tokens, tokenJSON{tok.Start, tok.End, tok.Text})
				}
				cj.Matches = append(cj.Matches, mj)
			}
			want = append(want, cj)
		}
		if want == nil {
			want = []codeJSON{}
		}
		if !reflect.DeepEqual(r.Codes, want) {
			t.Errorf("record %v:\nstream  %+v\napplier %+v", r.ID, r.Codes, want)
		}
	}
}

// TestStreamUnits checks the spans of each unit: the whole text for a
// record, the sentence or paragraph otherwise, with the matched words.
func TestStreamUnits(t *testing.T) {
	m := defaultMatcher(t)
	text := "The NHS is overstretched. We showed humility.\n\nThen the visits stopped. Humility again."
	in, _ := json.Marshal(map[string]string{"text": text})
	for _, tc := range []struct {
		unit string
		want []string
	}{
		{"record", []string{"overcrowded_system " + text + " [overstretched]", "humility " + text + " [humility Humility]"}},
		{"sentence", []string{"overcrowded_system The NHS is overstretched. [overstretched]", "humility We showed humility. [humility]", "humility Humility again. [Humility]"}},
		{"paragraph", []string{"overcrowded_system The NHS is overstretched. We showed humility. [overstretched]", "humility The NHS is overstretched. We showed humility. [humility]", "humility Then the visits stopped. Humility again. [Humility]"}},
	} {
		out, _, err := stream(t, m, string(in), coding.StreamOptions{Unit: tc.unit})
		if err != nil {
			t.Fatal(err)
		}
		recs := parseOutput(t, out)
		checkSpans(t, recs, tc.unit)
		var got []string
		for _, c := range recs[0].Codes {
			if c.Code == "humility" || c.Code == "overcrowded_system" {
				var ws []string
				for _, mt := range c.Matches {
					ws = append(ws, mt.words())
				}
				got = append(got, c.Code+" "+string([]rune(text)[c.Start:c.End])+" ["+strings.Join(ws, " ")+"]")
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("unit %s:\n got %q\nwant %q", tc.unit, got, tc.want)
		}
	}
	if _, _, err := stream(t, m, string(in), coding.StreamOptions{Unit: "turn"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("unit turn: got %v, want an invalid-input error", err)
	}
}

// TestStreamTextField codes another field.
func TestStreamTextField(t *testing.T) {
	m := defaultMatcher(t)
	out, _, err := stream(t, m, `{"text":"no","comment":"humility"}`, coding.StreamOptions{TextField: "comment"})
	if err != nil {
		t.Fatal(err)
	}
	if recs := parseOutput(t, out); len(recs[0].Codes) != 1 || recs[0].Codes[0].Code != "humility" {
		t.Errorf("got %s", out)
	}
	if _, _, err := stream(t, m, `{"codes":"humility"}`, coding.StreamOptions{TextField: "codes"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("text field codes: got %v, want an invalid-input error", err)
	}
}

// TestStreamOrder codes records of very different lengths on many workers
// and checks they come out in input order, as they do on one.
func TestStreamOrder(t *testing.T) {
	m := defaultMatcher(t)
	rng := rand.New(rand.NewPCG(3, 4))
	sents := sampleSentences(t)
	var in strings.Builder
	const n = 3000
	for i := range n {
		k := 1 + rng.IntN(3)
		switch rng.IntN(50) {
		case 0:
			k = 400 + rng.IntN(400) // a long answer: thousands of words
		case 1:
			k = 0
		}
		var words []string
		for range k {
			words = append(words, sents[rng.IntN(len(sents))])
		}
		rec, _ := json.Marshal(map[string]any{"id": i, "text": strings.Join(words, " ")})
		in.Write(rec)
		in.WriteByte('\n')
	}
	one, st1, err := stream(t, m, in.String(), coding.StreamOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, st8, err := stream(t, m, in.String(), coding.StreamOptions{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range parseOutput(t, many) {
		if r.ID != float64(i) {
			t.Fatalf("record %d came out as record %v", i, r.ID)
		}
	}
	if one != many || st1 != st8 {
		t.Errorf("8 workers wrote other output than 1 (%+v, %+v)", st8, st1)
	}
	if st8.Records != n {
		t.Errorf("%d records, want %d", st8.Records, n)
	}
}

// TestStreamMalformed checks that a bad line stops the stream with its line
// number, after the records before it, and that KeepGoing skips and counts
// it.
func TestStreamMalformed(t *testing.T) {
	m := defaultMatcher(t)
	good := `{"id":1,"text":"humility"}`
	for _, tc := range []struct {
		name, line string
		problem    coding.LineProblem
		msg        string
	}{
		{"not json", `humility`, coding.LineNotJSON, `stdin:4: not valid JSON (at byte 1: invalid character 'h' looking for beginning of value); each line must be one JSON object such as {"id": 1, "text": "…"}`},
		{"truncated", `{"id":2,"text":"hum`, coding.LineNotJSON, `stdin:4: not valid JSON (at byte 19: unexpected end of JSON input)`},
		{"two objects", `{"text":"a"} {"text":"b"}`, coding.LineNotJSON, `stdin:4: not valid JSON (at byte 14: invalid character '{' after top-level value)`},
		{"array", `["humility"]`, coding.LineNotObject, `stdin:4: an array, not a JSON object; each line must be one object such as {"id": 1, "text": "…"}`},
		{"string", `"humility"`, coding.LineNotObject, `stdin:4: a string, not a JSON object`},
		{"number", `42`, coding.LineNotObject, `stdin:4: a number, not a JSON object`},
		{"null", `null`, coding.LineNotObject, `stdin:4: null, not a JSON object`},
		{"no text", `{"id":2,"body":"humility"}`, coding.LineNoText, `stdin:4: no "text" field; each object needs the text to code, as a string, in "text"`},
		{"empty object", `{}`, coding.LineNoText, `stdin:4: no "text" field`},
		{"text number", `{"id":2,"text":7}`, coding.LineTextNotString, `stdin:4: "text" is a number, not a string; the text to code must be a JSON string`},
		{"text null", `{"id":2,"text":null}`, coding.LineTextNotString, `stdin:4: "text" is null, not a string`},
		{"text object", `{"id":2,"text":{"en":"humility"}}`, coding.LineTextNotString, `stdin:4: "text" is an object, not a string`},
		{"text array", `{"id":2,"text":["humility"]}`, coding.LineTextNotString, `stdin:4: "text" is an array, not a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good + "\n\n" + good + "\n" + tc.line + "\n" + good + "\n"
			out, st, err := stream(t, m, in, coding.StreamOptions{Workers: 3})
			var le *coding.LineError
			if !errors.As(err, &le) {
				t.Fatalf("got error %v, want a *LineError", err)
			}
			if le.Line != 4 || le.Problem != tc.problem {
				t.Errorf("got line %d problem %d, want line 4 problem %d", le.Line, le.Problem, tc.problem)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got  %s\nwant %s…", err, tc.msg)
			}
			if qcode.ErrorCode(err) != qcode.EINVALID {
				t.Errorf("error code %q, want %q", qcode.ErrorCode(err), qcode.EINVALID)
			}
			if n := strings.Count(out, "\n"); n != 2 || st.Records != 2 {
				t.Errorf("wrote %d lines (%d records) before the bad line, want the 2 before it", n, st.Records)
			}

			out, st, err = stream(t, m, in, coding.StreamOptions{KeepGoing: true, Workers: 3})
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(out, "\n"); n != 3 || st.Records != 3 || st.Skipped != 1 {
				t.Errorf("keep going: wrote %d lines, stats %+v; want 3 records and 1 skipped", n, st)
			}
		})
	}
}

// TestStreamMalformedLineNumbers checks line numbers deep into a stream,
// past many batches.
func TestStreamMalformedLineNumbers(t *testing.T) {
	m := defaultMatcher(t)
	var in strings.Builder
	bad := map[int]bool{}
	for i := 1; i <= 20000; i++ {
		switch {
		case i%997 == 0:
			in.WriteString("{oops\n")
			bad[i] = true
		case i%101 == 0:
			in.WriteString("\n")
		default:
			fmt.Fprintf(&in, `{"id":%d,"text":"line %d with humility"}`+"\n", i, i)
		}
	}
	_, _, err := stream(t, m, in.String(), coding.StreamOptions{Workers: 4})
	var le *coding.LineError
	if !errors.As(err, &le) || le.Line != 997 {
		t.Errorf("got %v, want an error at line 997", err)
	}
	out, st, err := stream(t, m, in.String(), coding.StreamOptions{Workers: 4, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != len(bad) || st.Records != 20000-len(bad)-198 {
		t.Errorf("stats %+v, want %d skipped", st, len(bad))
	}
	for _, r := range parseOutput(t, out) {
		if n := int(r.ID.(float64)); bad[n] || !strings.Contains(r.Text, fmt.Sprint("line ", n, " ")) {
			t.Fatalf("record %d holds %q", n, r.Text)
		}
	}
}

// TestStreamEmpty checks that empty input and blank lines write nothing.
func TestStreamEmpty(t *testing.T) {
	m := defaultMatcher(t)
	for _, in := range []string{"", "\n", "\n\n  \n\t\r\n", " "} {
		out, st, err := stream(t, m, in, coding.StreamOptions{})
		if err != nil || out != "" || st != (coding.StreamStats{}) {
			t.Errorf("%q: got %q, %+v, %v; want nothing", in, out, st, err)
		}
	}
	out, st, err := stream(t, m, `{"text":""}`, coding.StreamOptions{})
	if err != nil || out != `{"text":"","codes":[]}`+"\n" || st.Records != 1 {
		t.Errorf("empty text: got %q, %+v, %v", out, st, err)
	}
	out, _, _ = stream(t, m, `{"text":"humility"}`, coding.StreamOptions{}) // no final newline
	if !strings.HasSuffix(out, "]}\n") {
		t.Errorf("last line without a newline: got %q", out)
	}
}

// TestStreamLongLine checks the line-length limit: a line over it is an
// error at its line (or skipped), one at it is coded, and a line longer than
// the read buffer but under the limit is read whole.
func TestStreamLongLine(t *testing.T) {
	m := defaultMatcher(t)
	const max = 4096
	rec := func(n int) string { // a record of exactly n bytes
		head := `{"text":"humility `
		return head + strings.Repeat("a", n-len(head)-2) + `"}`
	}
	in := rec(100) + "\n" + rec(max+1) + "\n" + rec(max) + "\r\n" + rec(max*100) + "\n" + rec(50)
	_, _, err := stream(t, m, in, coding.StreamOptions{MaxLine: max})
	var le *coding.LineError
	if !errors.As(err, &le) || le.Line != 2 || le.Problem != coding.LineTooLong {
		t.Fatalf("got %v, want line 2 too long", err)
	}
	if want := "stdin:2: line longer than 4 KiB"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want %q…", err, want)
	}
	out, st, err := stream(t, m, in, coding.StreamOptions{MaxLine: max, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 3 || st.Skipped != 2 {
		t.Errorf("stats %+v, want 3 records, 2 skipped", st)
	}
	for _, r := range parseOutput(t, out) {
		if len(r.Codes) != 1 {
			t.Errorf("record of %d bytes: codes %+v", len(r.Text), r.Codes)
		}
	}

	big := rec(3 << 20) // over the read buffer, under the default limit
	out, st, err = stream(t, m, big+"\n"+rec(100)+"\n", coding.StreamOptions{})
	if err != nil || st.Records != 2 || len(out) < 3<<20 {
		t.Errorf("3 MiB line: %v, %+v", err, st)
	}
}

// TestStreamCancel checks that a cancelled context stops the stream.
func TestStreamCancel(t *testing.T) {
	m := defaultMatcher(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := coding.Stream(ctx, strings.NewReader(strings.Repeat(`{"text":"humility"}`+"\n", 10000)), io.Discard, m, coding.StreamOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n--; w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestStreamWriteError checks that a write error stops the stream.
func TestStreamWriteError(t *testing.T) {
	m := defaultMatcher(t)
	in := strings.Repeat(`{"text":"humility and a few more words to fill the line"}`+"\n", 50000)
	_, err := coding.Stream(context.Background(), strings.NewReader(in), &failWriter{n: 2}, m, coding.StreamOptions{})
	if err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want disk full", err)
	}
}

// FuzzStream checks that no input makes Stream panic, and that with
// KeepGoing it writes one JSON object for each line that is a JSON object
// with a string "text", holding that line's fields and a codes array.
func FuzzStream(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"text":"We learn from each other, with humility."}`,
		"{\"text\":\"a\"}\n\n{\"text\":\"b\",\"codes\":[1]}\r\n[1]\n{\"text\":7}",
		`{"text":"😀 naïve \u00e9 humility\n\nNo debrief."}`,
		`{"a":{"b":[1,{"c":"}"}]},"text":"\"quoted\" \\ humility","codes":null}`,
		"{\"text\":\"\xff\xfe humility\"}",
		`{"t\u0065xt":"x","text":"humility"}`,
		"not json\n{}\n{\"text\":\"" + strings.Repeat("learn ", 200) + "\"}",
		`{"text":"humility","TEXT":"no","Codes":1}`,
	} {
		f.Add(s)
	}
	m := defaultMatcher(f)
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		st, err := coding.Stream(context.Background(), strings.NewReader(in), &out, m, coding.StreamOptions{KeepGoing: true, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		var want []map[string]any
		for _, line := range strings.Split(in, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			rec, ok := decodeRecord(line)
			if !ok {
				continue
			}
			if _, ok := rec["text"].(string); !ok {
				continue
			}
			delete(rec, "codes")
			want = append(want, rec)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			lines = nil
		}
		if len(lines) != len(want) || st.Records != len(want) {
			t.Fatalf("%d output lines, %d records, want %d", len(lines), st.Records, len(want))
		}
		for i, line := range lines {
			got, ok := decodeRecord(line)
			if !ok {
				t.Fatalf("output line %d is not a JSON object: %s", i+1, line)
			}
			codes, ok := got["codes"].([]any)
			if !ok {
				t.Fatalf("output line %d has no codes array: %s", i+1, line)
			}
			// Read "text" and "codes" by their exact keys: decoding the
			// line into a struct would also take "TEXT" or "Codes".
			rec := recordJSON{Text: got["text"].(string)}
			raw, _ := json.Marshal(codes)
			if err := json.Unmarshal(raw, &rec.Codes); err != nil {
				t.Fatalf("output line %d: codes of the wrong shape: %v", i+1, err)
			}
			checkSpans(t, []recordJSON{rec}, "record")
			delete(got, "codes")
			if !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("output line %d changed the record:\n got %v\nwant %v", i+1, got, want[i])
			}
		}
	})
}

// decodeRecord decodes a JSON object with numbers kept as written.
func decodeRecord(line string) (map[string]any, bool) {
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	var rec map[string]any
	if err := d.Decode(&rec); err != nil || rec == nil {
		return nil, false
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, false // more after the object
	}
	return rec, true
}

// lineDiff shows the first line where two outputs differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n-%s\n+%s", i+1, wl, gl)
		}
	}
	return ""
}

// sampleSentences returns the sentences of the sample interviews, as
// speakers said them: the raw material of generated records.
func sampleSentences(tb testing.TB) []string {
	tb.Helper()
	var sents []string
	speaker := regexp.MustCompile(`^[A-Z][A-Za-z. ]{0,24}: `)
	end := regexp.MustCompile(`([.?!…]["”]?) +`)
	for _, name := range []string{"P01.txt", "P02.txt", "P03.txt", "P04.txt", "P10.txt", "P11.md", "P12.txt"} {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, block := range strings.Split(string(data), "\n\n") {
			if strings.HasPrefix(block, "Interviewer") || strings.HasPrefix(block, "-") || strings.HasPrefix(block, "#") ||
				!speaker.MatchString(block) && len(strings.Fields(block)) < 12 {
				continue
			}
			block = strings.Join(strings.Fields(speaker.ReplaceAllString(block, "")), " ")
			for _, s := range strings.Split(end.ReplaceAllString(block, "$1\x00"), "\x00") {
				if len(strings.Fields(s)) >= 3 {
					sents = append(sents, s)
				}
			}
		}
	}
	if len(sents) < 500 {
		tb.Fatalf("only %d sample sentences", len(sents))
	}
	return sents
}

// genRecords returns NDJSON survey records of about the given number of
// words in all, made of the sample interviews' sentences: answers of one to
// a dozen sentences, a few long ones in paragraphs, with the fields a survey
// export has. It also returns the exact number of words.
func genRecords(tb testing.TB, words int) ([][]byte, int) {
	tb.Helper()
	sents := sampleSentences(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	roles := []string{"NHS", "partner"}
	countries := []string{"UK", "Uganda", "Zambia", "Malawi", "Ghana", "Sierra Leone"}
	professions := []string{"nurse", "midwife", "consultant", "clinical officer", "anaesthetist", "manager"}
	var recs [][]byte
	total := 0
	for i := 1; total < words; i++ {
		k := 1 + rng.IntN(12)
		if rng.IntN(20) == 0 {
			k = 20 + rng.IntN(60)
		}
		var b strings.Builder
		for j := range k {
			if j > 0 {
				if j%8 == 0 {
					b.WriteString("\n\n")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(sents[rng.IntN(len(sents))])
		}
		text := b.String()
		rec, err := json.Marshal(struct {
			ID         string         `json:"id"`
			Role       string         `json:"role"`
			Country    string         `json:"country"`
			Profession string         `json:"profession"`
			Years      int            `json:"years_involved"`
			Scores     map[string]int `json:"scores"`
			Text       string         `json:"text"`
		}{fmt.Sprintf("S%06d", i), roles[rng.IntN(2)], countries[rng.IntN(len(countries))],
			professions[rng.IntN(len(professions))], 1 + rng.IntN(15),
			map[string]int{"q1": 1 + rng.IntN(5), "q2": 1 + rng.IntN(5)}, text})
		if err != nil {
			tb.Fatal(err)
		}
		recs = append(recs, rec)
		total += countWords(text)
	}
	return recs, total
}

func ExampleStream() {
	cb := &codebook.Codebook{Codes: []*codebook.Code{
		{ID: "humility", Name: "Humility", Rule: `humil* NOT humiliat*`},
	}}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := strings.NewReader(`{"id":1,"text":"It taught me humility, and I’m grateful."}` + "\n" +
		`{"id":2,"text":"It was humiliating."}` + "\n")
	st, err := coding.Stream(context.Background(), in, os.Stdout, m, coding.StreamOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d records, %d codings, %d words\n", st.Records, st.Codings, st.Words)
	// Output:
	// {"id":1,"text":"It taught me humility, and I’m grateful.","codes":[{"code":"humility","path":"Humility","start":0,"end":40,"matches":[{"tokens":[{"start":13,"end":21,"text":"humility"}],"negated":false}],"negated":false}]}
	// {"id":2,"text":"It was humiliating.","codes":[]}
	// 2 records, 1 codings, 11 words
}

// TestRecordCoder checks that a RecordCoder fed the lines one by one writes
// what Stream writes, with the same counts, in every unit.
func TestRecordCoder(t *testing.T) {
	m := defaultMatcher(t)
	survey, err := os.ReadFile(filepath.Join("testdata", "stream_survey.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := genRecords(t, 30000)
	input := string(survey) + "\n  \n" + string(bytes.Join(recs, []byte("\n"))) + "\n"
	for _, unit := range []string{"record", "sentence", "paragraph"} {
		t.Run(unit, func(t *testing.T) {
			opts := coding.StreamOptions{Unit: unit}
			want, wantSt, err := stream(t, m, input, opts)
			if err != nil {
				t.Fatal(err)
			}
			c, err := coding.NewRecordCoder(m, opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			var st coding.StreamStats
			for line := range strings.Lines(input) {
				got, err = c.AppendRecord(got, []byte(strings.TrimSuffix(line, "\n")), &st)
				if err != nil {
					t.Fatal(err)
				}
			}
			if d := lineDiff(want, string(got)); d != "" {
				t.Error(d)
			}
			if st != wantSt || st.Codings == 0 {
				t.Errorf("stats %+v, Stream's %+v", st, wantSt)
			}
		})
	}
}

// TestRecordCoderMalformed checks that a malformed record appends nothing
// and is an error that names the input but no line, and that bad options
// are refused as Stream refuses them.
func TestRecordCoderMalformed(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		name, record string
		opts         coding.StreamOptions
		msg          string
	}{
		{"no name", `{"id":2,"body":"humility"}`, coding.StreamOptions{}, `no "text" field; each object`},
		{"name", `["humility"]`, coding.StreamOptions{Name: "gs://survey/part-*.ndjson"}, `gs://survey/part-*.ndjson: an array, not a JSON object`},
		{"too long", `{"text":"` + strings.Repeat("humility ", 200) + `"}`, coding.StreamOptions{MaxLine: 1024}, `line longer than 1 KiB`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := coding.NewRecordCoder(m, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var st coding.StreamStats
			out, err := c.AppendRecord([]byte("before\n"), []byte(tc.record), &st)
			var le *coding.LineError
			if !errors.As(err, &le) || le.Line != 0 || qcode.ErrorCode(err) != qcode.EINVALID {
				t.Fatalf("got %v, want an EINVALID *LineError with no line", err)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("got  %s\nwant %s…", err, tc.msg)
			}
			if string(out) != "before\n" || st != (coding.StreamStats{}) {
				t.Errorf("appended %q, counted %+v; want nothing", out, st)
			}
		})
	}
	for _, opts := range []coding.StreamOptions{{Unit: "turn"}, {TextField: "codes"}} {
		if _, err := coding.NewRecordCoder(m, opts); qcode.ErrorCode(err) != qcode.EINVALID {
			t.Errorf("%+v: got %v, want EINVALID", opts, err)
		}
	}
}

func ExampleRecordCoder() {
	cb := &codebook.Codebook{Codes: []*codebook.Code{
		{ID: "humility", Name: "Humility", Rule: `humil* NOT humiliat*`},
	}}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := coding.NewRecordCoder(m, coding.StreamOptions{Name: "survey.ndjson"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var out []byte
	var st coding.StreamStats
	for _, rec := range []string{`{"id":1,"text":"It taught me humility."}`, `{"id":2,"text":null}`} {
		if out, err = c.AppendRecord(out, []byte(rec), &st); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Print(string(out))
	fmt.Printf("%d records, %d codings\n", st.Records, st.Codings)
	// Output:
	// survey.ndjson: "text" is null, not a string; the text to code must be a JSON string
	// {"id":1,"text":"It taught me humility.","codes":[{"code":"humility","path":"Humility","start":0,"end":22,"matches":[{"tokens":[{"start":13,"end":21,"text":"humility"}],"negated":false}],"negated":false}]}
	// 1 records, 1 codings
}
