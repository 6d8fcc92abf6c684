package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSearchCommand(t *testing.T) {
	dir, in := newProject(t)
	if code, _, errs := qcodeRun(t, dir, "attributes", "import", write(t, in, "cases.csv", "case,role,country\nP01,NHS,UK\n")); code != 0 {
		t.Fatal(errs)
	}
	// Piped: tab-separated hits, the totals on stderr. The interviewer's
	// s5 is left out, as coding leaves it out, and the totals say so.
	code, out, errs := qcodeRun(t, dir, "search", "learn* OR teach", "--width", "12")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := "segment\tspeaker\ttime\tleft\tmatch\tright\n" +
		"P01:s4\tDr Marsh\t\tso much to\tteach\t.\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if errs != "1 sentence in 1 source: P01 1\n1 sentence by interviewers left out, as coding leaves them out; --include-interviewer shows them\n" {
		t.Errorf("stderr %q", errs)
	}
	code, out, errs = qcodeRun(t, dir, "search", "learn* OR teach", "--width", "12", "--include-interviewer")
	want += "P01:s5\tInterviewer\t\tAnd did you\tlearn\tanything?\n"
	if code != 0 || out != want || errs != "2 sentences in 1 source: P01 2\n" {
		t.Errorf("--include-interviewer: exit %d, stdout:\n%s\nwant:\n%s\nstderr %q", code, out, want, errs)
	}
	// Naming whom to search searches them, interviewers too.
	if _, out, errs := qcodeRun(t, dir, "search", "learn* OR teach", "--speaker", "interviewer"); !strings.Contains(out, "P01:s5") || strings.Contains(out, "P01:s4") || strings.Contains(errs, "left out") {
		t.Errorf("--speaker interviewer: %q %q", out, errs)
	}
	// A search its filters empty says which filter did.
	if _, out, _ := qcodeRun(t, dir, "search", "learn*"); out != "1 sentence matches learn*, but all are said by interviewers, left out as in coding (--include-interviewer shows them)\n" {
		t.Errorf("learn*: %q", out)
	}
	if _, out, _ := qcodeRun(t, dir, "search", "learn* OR teach", "--speaker-not", "Dr Marsh", "--include-interviewer", "--code", "absent_debriefs"); out != "2 sentences match learn* OR teach; 1 of them is not said by Dr Marsh (--speaker-not), but none is coded absent_debriefs (--code)\n" {
		t.Errorf("--speaker-not --code: %q", out)
	}
	// JSON with character spans; facets.
	code, out, _ = qcodeRun(t, dir, "search", "triage", "--json", "--facet", "attr:role", "--facet", "speaker")
	var res struct {
		Total int
		Hits  []struct {
			Segment string
			Matches []struct {
				Tokens []struct {
					Start, End int
					Text       string
				}
			}
		}
		Facets []struct {
			Field  string
			Values []struct {
				Value string
				Count int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Total != 1 || res.Hits[0].Segment != "P01:s7" || res.Hits[0].Matches[0].Tokens[0].Text != "triage" {
		t.Errorf("%+v", res)
	}
	tok := res.Hits[0].Matches[0].Tokens[0]
	if got := string([]rune(interview)[tok.Start:tok.End]); got != "triage" {
		t.Errorf("span %d-%d holds %q", tok.Start, tok.End, got)
	}
	if len(res.Facets) != 2 || res.Facets[0].Values[0].Value != "NHS" || res.Facets[1].Values[0].Value != "Dr Marsh" {
		t.Errorf("facets %+v", res.Facets)
	}
	// Negated mentions are left out as in coding, unless asked for.
	if _, out, _ := qcodeRun(t, dir, "search", "debrief*"); !strings.Contains(out, "no sentences match debrief*") {
		t.Errorf("negated debrief: %q", out)
	}
	if code, out, _ := qcodeRun(t, dir, "search", "debrief*", "--negation", "keep", "--speaker", "Dr Marsh"); code != 0 || !strings.Contains(out, "P01:s7") {
		t.Errorf("--negation keep: %q", out)
	}

	// Search, then code every hit.
	code, _, errs = qcodeRun(t, dir, "search", "learn* OR teach", "--include-interviewer", "--code-as", "humility", "--coder", "amina", "--yes", "--limit", "1") // every hit, not only the one shown
	if code != 0 || !strings.Contains(errs, "coded 2 sentences as humility by amina") {
		t.Fatalf("--code-as: exit %d, %q", code, errs)
	}
	_, out, _ = qcodeRun(t, dir, "coding", "list", "--coder", "amina", "--json")
	var cs []struct {
		Segment, Origin, Memo string
	}
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		t.Fatal(err, out)
	}
	if len(cs) != 2 || cs[0].Origin != "search" || cs[0].Memo != "search: learn* OR teach" || cs[1].Segment != "P01:s5" {
		t.Errorf("codings %+v", cs)
	}
	// The code by its name, as the browser's picker gives it, is the same code.
	if _, _, errs := qcodeRun(t, dir, "search", "learn* OR teach", "--include-interviewer", "--code-as", "Humility", "--coder", "amina", "--yes"); !strings.Contains(errs, "coded 0 sentences as humility by amina; 2 already had it") {
		t.Errorf("again: %q", errs)
	}
	// Then search within what is coded.
	if _, out, _ := qcodeRun(t, dir, "search", "anything OR teach", "--code", "humility", "--coder", "amina", "--include-interviewer"); !strings.Contains(out, "P01:s4") || !strings.Contains(out, "P01:s5") {
		t.Errorf("--code humility: %q", out)
	}
	if _, out, _ := qcodeRun(t, dir, "search", "triage", "--code", "humility", "--coder", "amina"); out != "1 sentence matches triage, but none is coded humility by amina (--code, --coder)\n" {
		t.Errorf("triage --code humility: %q", out)
	}

	// The index is made again on request; losing it loses nothing.
	if code, out, _ := qcodeRun(t, dir, "index", "--rebuild"); code != 0 || !strings.HasPrefix(out, "indexed 1 source (7 sentences)") {
		t.Errorf("index --rebuild: %q", out)
	}
	if code, out, _ := qcodeRun(t, dir, "index"); code != 0 || !strings.HasPrefix(out, "the search index is up to date") {
		t.Errorf("index: %q", out)
	}
	if _, err := filepath.Glob(filepath.Join(dir, ".qcode", "index", "*")); err != nil {
		t.Fatal(err)
	}
}

func TestSearchBadInput(t *testing.T) {
	dir, in := newProject(t)
	if code, _, errs := qcodeRun(t, dir, "attributes", "import", write(t, in, "cases.csv", "case,role,country\nP01,NHS,UK\n")); code != 0 {
		t.Fatal(errs)
	}
	checkBadInputs(t, dir, dump(t, dir), []badInput{
		{"syntax error", []string{"search", "learn* AND"}, exitInvalid, []string{`query "learn* AND"`, "col 8"}},
		{"empty query", []string{"search", " "}, exitInvalid, []string{"the query is empty"}},
		{"50,000 parentheses", []string{"search", strings.Repeat("(", 50000) + "humility" + strings.Repeat(")", 50000)}, exitInvalid,
			[]string{`query "` + strings.Repeat("(", 60) + `"…: col 101: parentheses nest too deep`}},
		{"bleve query a page long", []string{"search", strings.Repeat("learn ", 2000) + `"unclosed`, "--syntax", "bleve"}, exitInvalid,
			[]string{`bleve query "` + strings.Repeat("learn ", 10) + `"…: `}},
		{"unknown attribute", []string{"search", "learn*", "--attr", "rol=NHS"}, exitNotFound, []string{"attr rol", "no case has the attribute rol"}},
		{"unknown attribute value", []string{"search", "learn*", "--attr", "role=NSH"}, exitNotFound, []string{"attr role=NSH", "choose one of NHS"}},
		{"attr without value", []string{"search", "learn*", "--attr", "role"}, exitInvalid, []string{"KEY=VALUE"}},
		{"unknown speaker", []string{"search", "learn*", "--speaker", "Dr Marh"}, exitNotFound, []string{"--speaker Dr Marh: no such speaker", "did you mean Dr Marsh"}},
		{"unknown code", []string{"search", "learn*", "--code", "humilty"}, exitNotFound, []string{"--code humilty: no such code (see", "did you mean humility?"}},
		{"unknown coder", []string{"search", "learn*", "--coder", "amna"}, exitNotFound, []string{"--coder amna", "the project has no codings yet"}},
		{"unknown source", []string{"search", "learn*", "--source", "P10"}, exitNotFound, []string{"P10"}},
		{"unknown facet", []string{"search", "learn*", "--facet", "speakers"}, exitInvalid, []string{"facet speakers: cannot count by that; choose one of code, speaker"}},
		{"unknown facet attribute", []string{"search", "learn*", "--facet", "attr:contry"}, exitNotFound, []string{"facet attr:contry: no case has the attribute contry"}},
		{"bad unit", []string{"search", "learn*", "--unit", "paragraph"}, exitInvalid, []string{"sentence or turn"}},
		{"bad sort", []string{"search", "learn*", "--sort", "date"}, exitInvalid, []string{"--sort date: no such order; choose one of document, relevance"}},
		{"bad syntax flag", []string{"search", "learn*", "--syntax", "lucene"}, exitInvalid, []string{"--syntax lucene: no such query syntax; choose one of rules, bleve"}},
		{"bad negation", []string{"search", "learn*", "--negation", "drop"}, exitInvalid, []string{"--negation drop: no such way with negated mentions; choose one of skip, keep, only"}},
		{"bleve syntax error", []string{"search", `"unclosed`, "--syntax", "bleve"}, exitInvalid, []string{"bleve query"}},
		{"code-as unknown code", []string{"search", "learn*", "--code-as", "humilty", "--coder", "amina", "--yes"}, exitNotFound, []string{"did you mean humility"}},
		{"code-as without asking", []string{"search", "learn*", "--code-as", "humility", "--coder", "amina"}, exitInvalid, []string{"--yes"}},
		{"code-as bad coder", []string{"search", "learn*", "--code-as", "humility", "--coder", "rules", "--yes"}, exitInvalid, []string{"rules engine"}},
	})
}

// On a pipe the hits are printed as the search makes them; --json takes
// them all at once, with their matches. On four sample interviews, by
// sentence and by turn, every line is the JSON's hit, in the same order,
// and a limit shows as many.
func TestSearchPipedIsJSON(t *testing.T) {
	dir := sampleCodedProject(t)
	for _, args := range [][]string{
		{"humil* OR learn* OR team"},
		{"humil* OR learn* OR team", "--unit", "turn", "--width", "25"},
		{"risk*", "--include-interviewer", "--negation", "keep"},
		{"learn*", "--limit", "3"},
	} {
		code, out, errs := qcodeRun(t, dir, append([]string{"search"}, args...)...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		var res struct {
			Total int
			Hits  []struct {
				Segment, Left, Match, Right string
				Matches                     []any
			}
		}
		if err := json.Unmarshal([]byte(mustRun(t, dir, append([]string{"search", "--json"}, args...)...)), &res); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != len(res.Hits)+1 || len(res.Hits) < 3 {
			t.Fatalf("%q: %d lines for %d hits", args, len(lines), len(res.Hits))
		}
		for i, h := range res.Hits {
			// The speaker's label and the turn's clock are the table's
			// own; the rest is the hit's.
			f := strings.Split(lines[i+1], "\t")
			if len(f) != 6 {
				t.Fatalf("%q: line %d %q has %d cells", args, i+1, lines[i+1], len(f))
			}
			got := strings.Join([]string{f[0], f[3], f[4], f[5]}, "\t")
			want := strings.Join([]string{h.Segment, h.Left, h.Match, h.Right}, "\t")
			if got != want || len(h.Matches) == 0 {
				t.Errorf("%q: line %d %q, the JSON's hit %q (%d matches)", args, i+1, lines[i+1], want, len(h.Matches))
			}
		}
		shown := ""
		if len(res.Hits) < res.Total {
			shown = fmt.Sprintf(" (%d shown)", len(res.Hits))
		}
		if !strings.HasPrefix(errs, fmt.Sprintf("%d %ss%s in ", res.Total, map[bool]string{true: "turn", false: "sentence"}[slices.Contains(args, "turn")], shown)) {
			t.Errorf("%q: totals %q", args, errs)
		}
	}
}
