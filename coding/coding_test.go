package coding_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode"
	"qcode/app"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

func TestParseRef(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want coding.Ref
		err  string // a substring of the error, "" for none
	}{
		{in: "P03:s41", want: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 41}},
		{in: "P03:t12", want: coding.Ref{Source: "P03", Unit: coding.UnitTurn, Ord: 12}},
		{in: "P03:p5", want: coding.Ref{Source: "P03", Unit: coding.UnitParagraph, Ord: 5}},
		{in: "P03:S7", want: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 7}},
		{in: "P03:1200-1388", want: coding.Ref{Source: "P03", Unit: coding.UnitSpan, Start: 1200, End: 1388}},
		{in: "P03", want: coding.Ref{Source: "P03", Unit: coding.UnitSource}},
		{in: "Site A: ward 2:s3", want: coding.Ref{Source: "Site A: ward 2", Unit: coding.UnitSentence, Ord: 3}},
		{in: "P03:1388-1200", err: "ends (1200) before it starts (1388)"},
		{in: "P03:12-12", err: "the span is empty"},
		{in: "P03:s0", err: "numbered from 1"},
		{in: "P03:x5", err: `unknown segment "x5"`},
		{in: "P03:s", err: `unknown segment "s"`},
		{in: "P03:-5-10", err: "unknown segment"},
		{in: ":s4", err: "names no source"},
		{in: "", err: "empty"},
		{in: "P03:99999999999999999999-1", err: "too large"},
	} {
		got, err := coding.ParseRef(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || qcode.ErrorCode(err) != qcode.EINVALID {
				t.Errorf("ParseRef(%q) = %+v, %v; want an error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if s := got.String(); s != tt.in && !strings.EqualFold(s, tt.in) {
			t.Errorf("%+v.String() = %q, want %q", got, s, tt.in)
		}
	}
}

func TestIsInterviewer(t *testing.T) {
	for _, tt := range []struct {
		name, role string
		want       bool
	}{
		{"Interviewer", "", true},
		{"interviewer 2", "", true},
		{"INTERVIEWER", "", true},
		{"I", "", true},
		{"i", "", true},
		{"Q", "", true},
		{"Researcher (JW)", "", true},
		{"Moderator", "", true},
		{"Facilitator 1", "", true},
		{"Interviewee", "", false},
		{"Interviewers", "", true},
		{"Ingrid", "", false},
		{"R", "", false},
		{"A", "", false},
		{"Dr Marsh", "", false},
		{"Dr Marsh", coding.RoleInterviewer, true},
		{"Interviewer", coding.RoleParticipant, false},
	} {
		if got := coding.IsInterviewer(tt.name, tt.role); got != tt.want {
			t.Errorf("IsInterviewer(%q, %q) = %v, want %v", tt.name, tt.role, got, tt.want)
		}
	}
}

func TestCheckCoderName(t *testing.T) {
	for _, name := range []string{"amina", "team-b", "Amina K.", "Zoë"} {
		if err := coding.CheckCoderName(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"", "  ", "ami\x1bna", "a\nb", "rules", "Rules", " amina", strings.Repeat("a", 65), "\xff"} {
		if err := coding.CheckCoderName(name); qcode.ErrorCode(err) != qcode.EINVALID {
			t.Errorf("%q: %v, want invalid", name, err)
		}
	}
}

func TestCodebookHash(t *testing.T) {
	h := coding.CodebookHash([]byte("name: x\n"))
	if len(h) != 64 || coding.ShortHash(h) != h[:12] || coding.Rules(h).String() != "rules@"+h[:12] {
		t.Errorf("hash %q, short %q, coder %q", h, coding.ShortHash(h), coding.Rules(h))
	}
	if coding.CodebookHash([]byte("name: y\n")) == h {
		t.Error("two codebooks with one hash")
	}
}

// segmentOf tokenises text as import does and makes it one segment of the
// given unit, starting at character start of a source.
func segmentOf(text string, unit coding.Unit) *coding.Segment {
	toks, sent := corpus.Words(text)
	seg := &coding.Segment{Source: "P01", Unit: unit, Ord: 1, Start: 0, End: len([]rune(text)), ByteEnd: len(text), Text: text, Tokens: toks}
	if unit != coding.UnitSentence {
		seg.Sentence = sent
	}
	return seg
}

func defaultApplier(tb testing.TB) *coding.Applier {
	tb.Helper()
	m, err := codebook.NewMatcher(codebook.Default())
	if err != nil {
		tb.Fatal(err)
	}
	return coding.NewApplier(m, coding.CodebookHash(codebook.DefaultYAML()), time.Unix(0, 0))
}

// TestApplierDefaultCodebook codes passages from interviews like the
// sample's with the default codebook.
func TestApplierDefaultCodebook(t *testing.T) {
	a := defaultApplier(t)
	for _, tt := range []struct {
		text string
		want []string // codes
	}{
		{"We never had a debrief, not a formal one.", []string{"absent_debriefs"}},
		{"We had a debrief a fortnight after each trip.", []string{"active_debriefs"}},
		{"It was humbling, honestly; their triage was better than ours.", []string{"humility"}},
		{"The flights were delayed by six hours, so we got in after midnight.", nil},
	} {
		var codes []string
		for _, c := range a.Code(segmentOf(tt.text, coding.UnitSentence), nil) {
			codes = append(codes, c.Code)
			if c.Start != 0 || c.End != len([]rune(tt.text)) || c.Coder != coding.RulesCoder || c.Origin != coding.OriginRules || len(c.Matches) == 0 {
				t.Errorf("%q: coding %+v does not span the segment as the rules'", tt.text, c)
			}
		}
		for _, w := range tt.want {
			if !slices.Contains(codes, w) {
				t.Errorf("%q coded %v, want %s among them", tt.text, codes, w)
			}
		}
		if tt.want == nil && len(codes) > 0 {
			t.Errorf("%q coded %v, want nothing", tt.text, codes)
		}
	}
}

// TestApplierOneCodingPerCode codes a turn in which a code matches twice,
// in two sentences, and checks it makes one coding with both matches, with
// character spans that slice the text though it is not ASCII.
func TestApplierOneCodingPerCode(t *testing.T) {
	cb, err := codebook.Load("t.yaml", []byte("codes:\n  - id: debrief\n    name: Debrief\n    rule: debrief*\n    negation: keep\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := codebook.NewMatcher(cb)
	a := coding.NewApplier(m, "h", time.Unix(0, 0))
	text := "Zoë’s team debriefed us. But we — the NHS side — never had a debrief."
	cs := a.Code(segmentOf(text, coding.UnitTurn), nil)
	if len(cs) != 1 || len(cs[0].Matches) != 2 {
		t.Fatalf("codings = %+v", cs)
	}
	runes := []rune(text)
	for _, m := range cs[0].Matches {
		for _, tok := range m.Tokens {
			if got := string(runes[tok.Start:tok.End]); got != tok.Text {
				t.Errorf("token %+v slices %q", tok, got)
			}
		}
	}
	if cs[0].Matches[0].Negated || !cs[0].Matches[1].Negated || cs[0].Negated {
		t.Errorf("negation: %+v, coding negated %v", cs[0].Matches, cs[0].Negated)
	}
}

func TestReadSheet(t *testing.T) {
	codes := []string{"humility", "risk_aversion", "chart"}
	for _, tt := range []struct {
		name, file, data string
		want             string // rows as "line ref quote code memo", joined by "; "
		err              string
	}{
		{name: "long", file: "a.csv", data: "segment,code,memo\nP03:s41,humility,self-deprecating\nP03:s42,,\nP03:1200-1388,humility; risk_aversion,\n",
			want: "2 P03:s41  humility self-deprecating; 4 P03:1200-1388  humility ; 4 P03:1200-1388  risk_aversion "},
		{name: "wide", file: "b.csv", data: "segment,text,humility,risk_aversion\nP03:s1,some text,1,0\nP03:s2,more,,x\nP03:s3,none,0,\n",
			want: "2 P03:s1  humility ; 3 P03:s2  risk_aversion "},
		{name: "quote", file: "c.csv", data: "source,quote,code\nP03,early warning chart,chart\n",
			want: "2 P03 early warning chart chart "},
		{name: "quote in a segment", file: "c.csv", data: "Segment,Quote,Code\nP03:t4,handover,chart\n",
			want: "2 P03:t4 handover chart "},
		{name: "unknown code", file: "d.csv", data: "segment,code\nP03:s1,humility\nP03:s2,humilty\n", err: `d.csv:3: no code "humilty" in the codebook; write the codes' ids; did you mean humility?`},
		{name: "unknown code column", file: "e.csv", data: "segment,humility,risk_avoidance\nP03:s1,1,1\n", err: `e.csv:1: column "risk_avoidance" holds 0/1 values like a code column`},
		{name: "bad flag", file: "f.csv", data: "segment,humility\nP03:s1,maybe\n", err: `f.csv:2: column humility holds "maybe"`},
		{name: "bad segment", file: "g.csv", data: "segment,code\nP03:x1,humility\n", err: `g.csv:2: segment "P03:x1"`},
		{name: "no segment", file: "h.csv", data: "segment,code\n,humility\n", err: "h.csv:2: the row codes humility but names no segment"},
		{name: "no code column", file: "i.csv", data: "segment,text\nP03:s1,hello\n", err: "no code column"},
		{name: "no segment column", file: "j.csv", data: "code,text\nhumility,hello\n", err: "no segment column"},
		{name: "both layouts", file: "k.csv", data: "segment,code,humility\nP03:s1,humility,1\n", err: "use one layout"},
		{name: "segment and source disagree", file: "l.csv", data: "segment,source,code\nP03:s1,P04,humility\n", err: "l.csv:2: segment P03:s1 is not in source P04"},
		{name: "empty", file: "m.csv", data: "", err: "m.csv: file is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sheet, err := coding.ReadSheet(tt.file, []byte(tt.data), codes)
			if tt.err != "" {
				if err == nil || !strings.Contains(app.Phrase(err, nil), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range sheet.Codings {
				got = append(got, fmt.Sprintf("%d %s %s %s %s", r.Line, r.Ref, r.Quote, r.Code, r.Memo))
			}
			if g := strings.Join(got, "; "); g != tt.want {
				t.Errorf("rows:\n got %s\nwant %s", g, tt.want)
			}
		})
	}
}

// An unknown code in a sheet carries what a front end needs to ask "did
// you mean humility?": the code given and the codebook's ids.
func TestReadSheetUnknownCodeNear(t *testing.T) {
	codes := []string{"humility", "risk_aversion", "chart"}
	for _, data := range []string{"segment,code\nP03:s2,humilty\n", "segment,humilty\nP03:s2,1\n"} {
		_, err := coding.ReadSheet("d.csv", []byte(data), codes)
		var e *qcode.Error
		if !errors.As(err, &e) || e.Code != qcode.EINVALID || e.Value != "humilty" || !slices.Equal(e.Near, codes) {
			t.Errorf("%q: %#v", data, err)
		}
	}
}

func ExampleApplier() {
	cb, _ := codebook.Load("codebook.yaml", []byte(`codes:
  - id: humility
    name: Humility
    rule: humbl* OR humility
`))
	m, _ := codebook.NewMatcher(cb)
	a := coding.NewApplier(m, coding.CodebookHash([]byte("…")), time.Now())

	text := "It was humbling. Their triage was better than ours."
	toks, sent := corpus.Words(text)
	seg := &coding.Segment{Source: "P01", Unit: coding.UnitTurn, Ord: 4, End: len(text), ByteEnd: len(text), Text: text, Tokens: toks, Sentence: sent}
	for _, c := range a.Code(seg, nil) {
		fmt.Println(c.Segment(), c.Code, c.Coder, c.Matches[0].Tokens[0].Text)
	}
	// Output:
	// P01:t4 humility rules humbling
}
