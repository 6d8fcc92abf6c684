package main

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qcode/codebook"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/export"
	"qcode/project"
)

// store is what a test reads of a project straight from the store, to
// count independently of package report what the workbook should say.
type store struct {
	codings   []coding.Coding
	sources   []string            // by name
	caseOf    map[string]string   // source → case
	attrs     map[string][]string // case → values of attrNames
	attrNames []string
	cases     []string                   // sorted
	words     map[string][][2]int        // source → its words' character spans, in order
	sentences []storeSentence            // by source, then position
	total     int                        // words in the corpus
	cb        *codebook.Codebook         // the default codebook, which the demo uses
	subtree   map[string]map[string]bool // code → it and its descendants
}

type storeSentence struct {
	source          string
	ord, start, end int
	words           int
	text            string
}

func readStore(t *testing.T, dir string) *store {
	t.Helper()
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := &store{caseOf: map[string]string{}, attrs: map[string][]string{}, words: map[string][][2]int{}, cb: codebook.Default(), subtree: map[string]map[string]bool{}}
	if s.codings, err = p.Codings(ctx, project.CodingFilter{}); err != nil {
		t.Fatal(err)
	}
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		for _, a := range src.Attributes {
			if !slices.Contains(s.attrNames, a.Name) {
				s.attrNames = append(s.attrNames, a.Name)
			}
		}
	}
	for _, src := range srcs {
		s.sources = append(s.sources, src.Name)
		s.caseOf[src.Name] = src.Case
		values := make([]string, len(s.attrNames))
		for _, a := range src.Attributes {
			values[slices.Index(s.attrNames, a.Name)] = a.Value
		}
		s.attrs[src.Case] = values
		if !slices.Contains(s.cases, src.Case) {
			s.cases = append(s.cases, src.Case)
		}
		full, err := p.Source(ctx, src.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tu := range full.Turns {
			for _, st := range tu.Sentences {
				n := 0
				for _, tok := range st.Tokens {
					if tok.IsWord() {
						start := utf8.RuneCountInString(full.Text[:tok.Start])
						s.words[src.Name] = append(s.words[src.Name], [2]int{start, start + utf8.RuneCountInString(tok.Text)})
						n++
					}
				}
				s.sentences = append(s.sentences, storeSentence{src.Name, st.Ord, st.Start, st.End, n, st.Text})
				s.total += n
			}
		}
	}
	sort.Strings(s.cases)
	s.cb.Walk(func(c *codebook.Code) {
		set := map[string]bool{}
		var add func(*codebook.Code)
		add = func(c *codebook.Code) {
			set[c.ID] = true
			for _, ch := range c.Codes {
				add(ch)
			}
		}
		add(c)
		s.subtree[c.ID] = set
	})
	return s
}

// counts are what a set of codings counts, by the plainest means.
type counts struct {
	codings, segments, sources, cases, words int
}

func (s *store) count(keep func(c *coding.Coding) bool) counts {
	segs, srcs, cases, words := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	n := 0
	for i := range s.codings {
		c := &s.codings[i]
		if !keep(c) {
			continue
		}
		n++
		segs[fmt.Sprint(c.Source, c.Start, c.End)] = true
		srcs[c.Source] = true
		cases[s.caseOf[c.Source]] = true
		for k, w := range s.words[c.Source] {
			if w[1] > c.Start && w[0] < c.End {
				words[fmt.Sprint(c.Source, k)] = true
			}
		}
	}
	return counts{n, len(segs), len(srcs), len(cases), len(words)}
}

func (s *store) in(code string, rollUp bool) func(c *coding.Coding) bool {
	return func(c *coding.Coding) bool {
		if rollUp {
			return s.subtree[code][c.Code]
		}
		return c.Code == code
	}
}

// pct formats part/whole as the reports round it, "" for a zero whole.
func pct(part, whole int) string {
	if whole == 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(float64(part)*1000/float64(whole))/10, 'f', -1, 64)
}

// sheet returns a sheet's header and rows, each row as long as the header.
func sheet(t *testing.T, f *excelize.File, name string) ([]string, [][]string) {
	t.Helper()
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatalf("sheet %s: %v", name, err)
	}
	if len(rows) == 0 {
		t.Fatalf("sheet %s is empty", name)
	}
	for i := range rows {
		for len(rows[i]) < len(rows[0]) {
			rows[i] = append(rows[i], "")
		}
	}
	return rows[0], rows[1:]
}

// notes splits a sheet's rows at the first blank row: the table's rows,
// and the notes under it, a cell each.
func notes(rows [][]string) ([][]string, []string) {
	for i, r := range rows {
		if strings.Join(r, "") == "" {
			var ns []string
			for _, n := range rows[i+1:] {
				ns = append(ns, n[0])
			}
			return rows[:i], ns
		}
	}
	return rows, nil
}

// column returns the position of a header, failing if it is missing.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return i
}

// TestResultsWorkbook exports the demo project, coded by the rules and by
// two people, and checks every number of the workbook against counts made
// straight from the store, a few of them counted by hand from the sample
// corpus; then that the CSV files hold the same tables.
func TestResultsWorkbook(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	mustRun(t, "", "demo", "--dir", dir)
	// The demo's two coders (whose agreement agree_test.go checks) are
	// taken out, so that the people's codings below are the only ones and
	// the counts made by hand hold.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, project.Dirname, project.DBName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM codings WHERE coder IN ('amina', 'ben')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	in := t.TempDir()
	// People's codings, each known by hand. P01 turn 16 is Dr Marsh's
	// answer "No. We never had a debrief, not a formal one. We had a drink
	// at the airport in Entebbe … There was no debrief at all after the
	// first two trips. It's one of the things I'd change.": 57 words
	// (1+9+22+6+11+8 by sentence, "wasn't" being was + n't).
	mustRun(t, dir, "coding", "add", "P01:s52", "humility", "--coder", "amina", "--memo", `=HYPERLINK("http://example.com","click")`)
	mustRun(t, dir, "coding", "add", "P01:t16", "risk_aversion", "--coder", "amina")
	// Characters 3350-3420: all of s52 (9 words) and "We had a drink at
	// the\n  airp" of s53: 7 words, the last cut, so 16.
	mustRun(t, dir, "coding", "add", "P01:3350-3420", "humility", "--coder", "amina", "--memo", "+ a span that cuts a word")
	sheetFile := write(t, in, "team-b.csv", "segment,code,memo\nP03:s80,absent_debriefs,\nP02:s149,absent_debriefs,-dash\nP01:s55,humility,@note\n")
	mustRun(t, dir, "coding", "import", sheetFile, "--coder", "team-b")
	// A summary of a Framework cell, which the Framework sheet shows
	// first in the cell.
	summary := "Went out to teach, came back taught; no debrief (P01:s52)"
	mustRun(t, dir, "framework", "set", "P01", "bidirectional_learning", summary, "--coder", "amina")

	xlsx := filepath.Join(t.TempDir(), "results.xlsx")
	if out := mustRun(t, dir, "export", "xlsx", xlsx); !strings.Contains(out, "16 sheets") {
		t.Errorf("export says %q", out)
	}
	csvDir := filepath.Join(t.TempDir(), "results")
	mustRun(t, dir, "export", "csv", csvDir)
	s := readStore(t, dir)
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if got := strings.Join(sheets, ","); got != "About,Codebook,Frequencies,Code x Source (coded segments),Code x role (cases),Code x country (cases),Code x partnership (cases),Code x site (cases),Co-occurrence,Codings,Segments,Framework,Framework quotes,Agreement,Disagreements,Memos" {
		t.Fatalf("sheets %s", got)
	}

	// Two people coded: the Agreement sheet is 'qcode agree' over them,
	// sentence by sentence, with the same bootstrap.
	t.Run("agreement", func(t *testing.T) {
		var rep coding.AgreementReport
		out := mustRun(t, dir, "agree", "--coders", "amina,team-b", "--json", "--bootstrap", "1000", "--seed", "1")
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		h, rows := sheet(t, f, "Agreement")
		if strings.Join(h, ",") != "code,units,all,some,none,agreement,cohen_kappa,fleiss_kappa,alpha,alpha_low,alpha_high,brennan_prediger" {
			t.Fatalf("header %v", h)
		}
		if len(rows) != len(rep.Codes)+1 || rows[len(rows)-1][0] != "(pooled)" {
			t.Fatalf("%d rows for %d codes", len(rows), len(rep.Codes))
		}
		for i, ca := range append(rep.Codes, rep.Pooled) {
			r := rows[i]
			want := []string{fmt.Sprint(ca.Units), fmt.Sprint(ca.All), fmt.Sprint(ca.Some), fmt.Sprint(ca.None)}
			if !slices.Equal(r[1:5], want) {
				t.Errorf("row %s: counts %v, agree says %v", r[0], r[1:5], want)
			}
			if !ca.Alpha.Undefined && r[8] != strconv.FormatFloat(math.Round(ca.Alpha.Value*1000)/1000, 'f', -1, 64) {
				t.Errorf("row %s: alpha %s, agree says %.3f", r[0], r[8], ca.Alpha.Value)
			}
			if ca.Alpha.Undefined && r[8] != "" {
				t.Errorf("row %s: alpha %q where it cannot be computed", r[0], r[8])
			}
		}
		_, dis := sheet(t, f, "Disagreements")
		some := 0
		for _, ca := range rep.Codes {
			some += int(ca.Some)
		}
		if len(dis) != some {
			t.Errorf("%d disagreements listed, %d units some but not all coded", len(dis), some)
		}
	})

	t.Run("frequencies", func(t *testing.T) {
		h, rows := sheet(t, f, "Frequencies")
		ids := 0
		s.cb.Walk(func(*codebook.Code) { ids++ })
		if len(rows) != ids {
			t.Fatalf("%d rows, want a row per code (%d)", len(rows), ids)
		}
		for _, r := range rows {
			code := r[column(t, h, "code")]
			// Each code with its sub-codes, then its own codings alone.
			sub := "no"
			if len(s.subtree[code]) > 1 {
				sub = "yes"
			}
			if got := r[column(t, h, "includes_sub_codes")]; got != sub {
				t.Errorf("%s: includes_sub_codes %s, want %s", code, got, sub)
			}
			for _, suffix := range []string{"", "_own"} {
				want := s.count(s.in(code, suffix == ""))
				got := []string{r[column(t, h, "codings"+suffix)], r[column(t, h, "coded_segments"+suffix)], r[column(t, h, "sources"+suffix)],
					r[column(t, h, "cases"+suffix)], r[column(t, h, "cases_pct"+suffix)], r[column(t, h, "words"+suffix)], r[column(t, h, "coverage_pct"+suffix)]}
				exp := []string{fmt.Sprint(want.codings), fmt.Sprint(want.segments), fmt.Sprint(want.sources), fmt.Sprint(want.cases),
					pct(want.cases, len(s.cases)), fmt.Sprint(want.words), pct(want.words, s.total)}
				if !slices.Equal(got, exp) {
					t.Errorf("%s%s: %v, want %v", code, suffix, got, exp)
				}
			}
		}
		// By hand: risk_aversion gains amina's turn P01:t16, whose 57 words
		// are all coded; humility gains 3 codings by people.
		byCoder := s.count(func(c *coding.Coding) bool { return c.Code == "risk_aversion" && c.Coder == "amina" })
		if byCoder != (counts{1, 1, 1, 1, 57}) {
			t.Errorf("risk_aversion by amina: %+v, want 1 coding of 57 words", byCoder)
		}
		span := s.count(func(c *coding.Coding) bool { return c.Start == 3350 && c.End == 3420 })
		if span.words != 16 {
			t.Errorf("the span P01:3350-3420 covers %d words, want 16 (by hand)", span.words)
		}
	})

	t.Run("code x source", func(t *testing.T) {
		h, rows := sheet(t, f, "Code x Source (coded segments)")
		rows, ns := notes(rows)
		if len(ns) != 1 || !strings.HasPrefix(ns[0], "The total row counts the coded segments of every code together, each once") {
			t.Errorf("notes under the table %q", ns)
		}
		if got := h[2 : 2+len(s.sources)]; !slices.Equal(got, s.sources) {
			t.Fatalf("columns %v, want the sources %v", got, s.sources)
		}
		for _, r := range rows {
			code := r[0]
			keep := s.in(code, true)
			if code == "total" {
				keep = func(*coding.Coding) bool { return true }
			}
			for k, src := range s.sources {
				want := s.count(func(c *coding.Coding) bool { return c.Source == src && keep(c) }).segments
				if r[2+k] != fmt.Sprint(want) {
					t.Errorf("%s × %s: %s, want %d", code, src, r[2+k], want)
				}
			}
			if want := s.count(keep).segments; r[column(t, h, "total_coded_segments")] != fmt.Sprint(want) {
				t.Errorf("%s total %s, want %d", code, r[column(t, h, "total_coded_segments")], want)
			}
		}
		// By hand: P01's rules code absent_debriefs twice, "We never had a
		// debrief, not a formal one." and "There was no debrief at all
		// after the first two trips."; the interviewer's "Did you have a
		// debrief…" is not coded.
		for _, r := range rows {
			if r[0] == "absent_debriefs" && r[2] != "2" {
				t.Errorf("absent_debriefs in P01: %s, want 2", r[2])
			}
		}
	})

	t.Run("code x role", func(t *testing.T) {
		h, rows := sheet(t, f, "Code x role (cases)")
		rows, ns := notes(rows)
		if len(ns) != 1 || !strings.HasPrefix(ns[0], "The total row counts the cases of every code together, each once") {
			t.Errorf("notes under the table %q", ns)
		}
		role := slices.Index(s.attrNames, "role")
		if got := strings.Join(h, ","); got != "code,path,NHS,partner,total_cases,NHS_pct,partner_pct" {
			t.Fatalf("header %s", got)
		}
		var totals [2]int
		for i, v := range []string{"NHS", "partner"} {
			totals[i] = s.count(func(c *coding.Coding) bool { return s.attrs[s.caseOf[c.Source]][role] == v }).cases
		}
		for _, r := range rows {
			keep := s.in(r[0], true)
			if r[0] == "total" {
				keep = func(*coding.Coding) bool { return true }
			}
			for i, v := range []string{"NHS", "partner"} {
				n := s.count(func(c *coding.Coding) bool { return keep(c) && s.attrs[s.caseOf[c.Source]][role] == v }).cases
				if r[2+i] != fmt.Sprint(n) || r[5+i] != pct(n, totals[i]) {
					t.Errorf("%s, %s: %s cases (%s%%), want %d (%s%%)", r[0], v, r[2+i], r[5+i], n, pct(n, totals[i]))
				}
			}
		}
	})

	t.Run("co-occurrence", func(t *testing.T) {
		h, rows := sheet(t, f, "Co-occurrence")
		segs := map[string]map[string]bool{} // code → its segments
		for _, c := range s.codings {
			if segs[c.Code] == nil {
				segs[c.Code] = map[string]bool{}
			}
			segs[c.Code][fmt.Sprint(c.Source, c.Start, c.End)] = true
		}
		if len(rows) != len(segs) || len(h) != len(segs)+2 {
			t.Fatalf("%d rows and %d columns, want one per code with codings (%d)", len(rows), len(h)-2, len(segs))
		}
		for _, r := range rows {
			for k, other := range h[2:] {
				both := 0
				for seg := range segs[r[0]] {
					if segs[other][seg] {
						both++
					}
				}
				if r[2+k] != fmt.Sprint(both) {
					t.Errorf("%s × %s: %s, want %d", r[0], other, r[2+k], both)
				}
			}
		}
	})

	t.Run("codings", func(t *testing.T) {
		h, rows := sheet(t, f, "Codings")
		if len(rows) != len(s.codings) {
			t.Fatalf("%d rows, want one per coding (%d)", len(rows), len(s.codings))
		}
		key := func(seg, code, coder, origin, memo, text string) string {
			return strings.Join([]string{seg, code, coder, origin, memo, text}, "|")
		}
		var got, want []string
		for _, r := range rows {
			got = append(got, key(r[column(t, h, "segment")], r[column(t, h, "code")], r[column(t, h, "coder")], r[column(t, h, "origin")], r[column(t, h, "memo")], r[column(t, h, "text")]))
			code := s.cb.Code(r[column(t, h, "code")])
			var path []string
			for c := code; c != nil; c = c.Parent {
				path = append([]string{c.Name}, path...)
			}
			for d, name := range path {
				if r[column(t, h, fmt.Sprintf("cat%d", d+1))] != name {
					t.Errorf("%s: cat%d is %q, want %q", r[column(t, h, "segment")], d+1, r[column(t, h, fmt.Sprintf("cat%d", d+1))], name)
				}
			}
			if r[column(t, h, "role")] != s.attrs[r[column(t, h, "case")]][slices.Index(s.attrNames, "role")] {
				t.Errorf("%s: role %q", r[column(t, h, "segment")], r[column(t, h, "role")])
			}
		}
		for _, c := range s.codings {
			// The quote reads on one line: its line breaks folded.
			want = append(want, key(c.Segment(), c.Code, c.Coder, string(c.Origin), c.Memo, report.FoldLines(c.Text)))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("the Codings sheet does not hold the store's codings")
		}
		// The turn coding says where it is; the formula stays text.
		for i, r := range rows {
			if r[column(t, h, "segment")] == "P01:t16" {
				if r[column(t, h, "speaker")] != "Dr Marsh" || r[column(t, h, "start")] != "3346" || r[column(t, h, "end")] != "3617" {
					t.Errorf("P01:t16: speaker %q, span %s-%s", r[column(t, h, "speaker")], r[column(t, h, "start")], r[column(t, h, "end")])
				}
			}
			if strings.HasPrefix(r[column(t, h, "memo")], "=HYPERLINK") {
				cell, _ := excelize.CoordinatesToCellName(column(t, h, "memo")+1, i+2)
				if formula, _ := f.GetCellFormula("Codings", cell); formula != "" {
					t.Errorf("the memo %s became the formula %q", cell, formula)
				}
				if typ, _ := f.GetCellType("Codings", cell); typ != excelize.CellTypeInlineString {
					t.Errorf("the memo %s is of type %v, want a string", cell, typ)
				}
			}
		}
	})

	t.Run("segments", func(t *testing.T) {
		h, rows := sheet(t, f, "Segments")
		first := column(t, h, "text") + 1
		bySource := map[string][]coding.Coding{}
		for _, c := range s.codings {
			bySource[c.Source] = append(bySource[c.Source], c)
		}
		// A row per sentence that some coding touches, in order.
		var coded []int
		for i, st := range s.sentences {
			if slices.ContainsFunc(bySource[st.source], func(c coding.Coding) bool { return c.End > st.start && c.Start < st.end }) {
				coded = append(coded, i)
			}
		}
		if len(rows) != len(coded) || len(coded) == len(s.sentences) {
			t.Fatalf("%d rows, want one per coded sentence (%d of %d)", len(rows), len(coded), len(s.sentences))
		}
		for i, r := range rows {
			st := s.sentences[coded[i]]
			if r[0] != fmt.Sprintf("%s:s%d", st.source, st.ord) || r[column(t, h, "words")] != fmt.Sprint(st.words) || r[column(t, h, "text")] != st.text {
				t.Fatalf("row %d: %v, want %s:s%d with %d words", i, r[:first], st.source, st.ord, st.words)
			}
			for k, code := range h[first:] {
				want := "0"
				for _, c := range bySource[st.source] {
					if c.End > st.start && c.Start < st.end && s.subtree[code][c.Code] {
						want = "1"
						break
					}
				}
				if r[first+k] != want {
					t.Errorf("%s %s: %s, want %s", r[0], code, r[first+k], want)
				}
			}
			// By hand: s53 has 22 words ("wasn't" is two) and lies in
			// amina's turn coding and span coding.
			if r[0] == "P01:s53" {
				if r[column(t, h, "words")] != "22" || r[column(t, h, "risk_aversion")] != "1" || r[column(t, h, "humility")] != "1" || r[column(t, h, "barriers")] != "1" {
					t.Errorf("P01:s53: %v", r)
				}
			}
		}
	})

	t.Run("framework", func(t *testing.T) {
		h, rows := sheet(t, f, "Framework")
		if len(rows) != len(s.cases) {
			t.Fatalf("%d rows, want one per case (%d)", len(rows), len(s.cases))
		}
		// The themes come first, so that they start on the first screen;
		// the attributes follow them.
		var themes []*codebook.Code
		for i, c := range s.cb.Codes {
			themes = append(themes, c)
			if column(t, h, c.Name) != 1+i {
				t.Errorf("theme %s in column %d, want %d", c.Name, column(t, h, c.Name), 1+i)
			}
		}
		if got := h[1+len(themes):]; !slices.Equal(got, s.attrNames) {
			t.Errorf("after the themes: %v, want the attributes %v", got, s.attrNames)
		}
		qh, quotes := sheet(t, f, "Framework quotes")
		if got := strings.Join(qh, ","); got != "case,theme,ref,speaker,quote" {
			t.Fatalf("quotes header %s", got)
		}
		// The quote rows of each case and theme, in order; a quote's text
		// may go on in the rows below, which repeat its case.
		quoteRows := map[string][]int{}
		for i, q := range quotes {
			if q[2] != "" {
				quoteRows[q[0]+"|"+q[1]] = append(quoteRows[q[0]+"|"+q[1]], i)
			}
		}
		all := 0
		first := map[string]int{} // a case's first quote's sheet row
		for ri, r := range rows {
			cas := r[0]
			for _, th := range themes {
				var want []string
				lastSrc, lastEnd := "", 0
				for _, c := range s.codings {
					if s.caseOf[c.Source] != cas || !s.subtree[th.ID][c.Code] {
						continue
					}
					if c.Source == lastSrc && c.End <= lastEnd {
						continue
					}
					lastSrc, lastEnd = c.Source, c.End
					want = append(want, c.Segment())
				}
				all += len(want)
				text := r[column(t, h, th.Name)]
				if n := utf8.RuneCountInString(text); n > 1000 {
					t.Errorf("%s × %s: %d characters, more than a cell shows", cas, th.ID, n)
				}
				if cas == "P01" && th.ID == "bidirectional_learning" {
					var ok bool
					if text, ok = strings.CutPrefix(text, summary+"\n\n"); !ok {
						t.Errorf("%s × %s does not start with its summary: %q", cas, th.ID, text)
					}
				}
				// The references, then how many more there are.
				refs, more, _ := strings.Cut(text, " … and ")
				var got []string
				if refs != "" {
					got = strings.Split(refs, ", ")
				}
				counted := 0
				if more != "" {
					fmt.Sscanf(more, "%d more quotes", &counted)
				}
				if len(got)+counted != len(want) || !slices.Equal(got, want[:len(got)]) {
					t.Errorf("%s × %s: %d references %v and %d more, want %v", cas, th.ID, len(got), got, counted, want)
				}
				// The quotes sheet has each, and the cell links to the first.
				var listed []string
				for _, i := range quoteRows[cas+"|"+th.ID] {
					listed = append(listed, quotes[i][2])
				}
				if !slices.Equal(listed, want) {
					t.Errorf("%s × %s: quotes sheet lists %v, want %v", cas, th.ID, listed, want)
				}
				// A theme's cell links to nothing (LibreOffice would not
				// wrap it); the case's cell links to the case's first quote.
				cell, _ := excelize.CoordinatesToCellName(column(t, h, th.Name)+1, ri+2)
				if linked, target, err := f.GetCellHyperLink("Framework", cell); err != nil || linked {
					t.Errorf("%s × %s links to %q (%v)", cas, th.ID, target, err)
				}
				if rows := quoteRows[cas+"|"+th.ID]; len(rows) > 0 && (first[cas] == 0 || rows[0]+2 < first[cas]) {
					first[cas] = rows[0] + 2
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, ri+2)
			linked, target, err := f.GetCellHyperLink("Framework", cell)
			if err != nil {
				t.Fatal(err)
			}
			if first[cas] == 0 {
				if linked {
					t.Errorf("%s has no quotes, yet links to %s", cas, target)
				}
				continue
			}
			if wantTarget := fmt.Sprintf("'Framework quotes'!A%d", first[cas]); !linked || target != wantTarget {
				t.Errorf("%s links to %q (%v), want %s", cas, target, linked, wantTarget)
			}
		}
		if len(quoteRows) == 0 || all == 0 {
			t.Fatal("no quotes at all")
		}
	})

	t.Run("about", func(t *testing.T) {
		_, rows := sheet(t, f, "About")
		about := map[string]string{}
		for _, r := range rows {
			about[r[0]] = r[1]
		}
		for k, want := range map[string]string{
			"codings": fmt.Sprint(len(s.codings)), "words": fmt.Sprint(s.total), "sources": "30", "cases": "30",
			"codebook": "codebook.yaml", "codes": "29", "coder amina": "3 codings", "coder team-b": "3 codings",
		} {
			if about[k] != want {
				t.Errorf("About %s = %q, want %q", k, about[k], want)
			}
		}
		for _, name := range sheets[1:] {
			if about[name] == "" {
				t.Errorf("About does not say what %s is for", name)
			}
		}
	})

	t.Run("chart, heat maps, filters, panes", func(t *testing.T) {
		zr, err := zip.OpenReader(xlsx)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		parts := map[string]string{}
		for _, zf := range zr.File {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			parts[zf.Name] = string(b)
		}
		chart := parts["xl/charts/chart1.xml"]
		if n := strings.Count(chart, "<ser>"); n != len(s.cb.Codes) {
			t.Errorf("the chart has %d series, want one per top-level theme (%d)", n, len(s.cb.Codes))
		}
		for i, name := range sheets {
			xml := parts[fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)]
			if !strings.Contains(xml, `<pane `) || !strings.Contains(xml, `state="frozen"`) {
				t.Errorf("%s: no frozen pane", name)
			}
			if name != "About" && !strings.Contains(xml, "<autoFilter ") {
				t.Errorf("%s: no autofilter", name)
			}
			heat := strings.Contains(xml, "<colorScale>")
			if want := strings.HasPrefix(name, "Code x") || name == "Co-occurrence"; heat != want {
				t.Errorf("%s: colour scale %v, want %v", name, heat, want)
			}
			if strings.Contains(xml, "<f>") {
				t.Errorf("%s holds a formula", name)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		for _, name := range sheets {
			data, err := os.ReadFile(filepath.Join(csvDir, export.FileName(name)))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			h, rows := sheet(t, f, name)
			if name == "About" {
				continue // written at another time
			}
			// The sheet's notes follow a blank row; the CSV's follow the
			// table's rows at once.
			rows, ns := notes(rows)
			for _, n := range ns {
				rows = append(rows, append([]string{n}, make([]string, len(h)-1)...))
			}
			if len(recs) != len(rows)+1 || !slices.Equal(recs[0], h) {
				t.Fatalf("%s: %d CSV rows, %d sheet rows", name, len(recs), len(rows)+1)
			}
			for i, r := range rows {
				for k := range r {
					if v := export.UnescapeFormula(recs[i+1][k]); v != r[k] {
						t.Errorf("%s row %d column %s: CSV %q, sheet %q", name, i+2, h[k], recs[i+1][k], r[k])
					}
				}
			}
		}
		codings, _ := os.ReadFile(filepath.Join(csvDir, "codings.csv"))
		for _, want := range []string{`"'=HYPERLINK(""http://example.com"",""click"")"`, `'+ a span that cuts a word`, `'-dash`, `'@note`} {
			if !strings.Contains(string(codings), want) {
				t.Errorf("codings.csv lacks the escaped %s", want)
			}
		}
	})

	t.Run("bad input", func(t *testing.T) {
		before := dump(t, dir)
		taken := write(t, in, "taken.csv", "x")
		folderXLSX := filepath.Join(in, "folder.xlsx")
		if err := os.Mkdir(folderXLSX, 0o755); err != nil {
			t.Fatal(err)
		}
		tests := []badInput{
			{"unknown coder", []string{"report", "freq", "--coder", "amna"}, exitNotFound, []string{`--coder amna: no codings by amna`, "did you mean amina?"}},
			{"unknown report", []string{"report", "frequencies"}, exitInvalid, []string{`qcode report: no command "frequencies"`, "say one of cooccur, framework, freq, matrix"}},
			{"unknown export format", []string{"export", "pdf", "x.pdf"}, exitInvalid, []string{`no command "pdf"`, "say one of csv, qdpx, xlsx"}},
			{"workbook named as a folder", []string{"export", "xlsx", folderXLSX}, exitInvalid, []string{"is a folder; name the workbook file"}},
			{"unknown split", []string{"report", "freq", "--split", "speaker"}, exitInvalid, []string{"--split speaker", "choose one of coder, origin"}},
			{"unknown --by", []string{"report", "matrix", "--by", "speaker"}, exitInvalid, []string{"--by speaker", "attr:NAME"}},
			{"unknown attribute", []string{"report", "matrix", "--by", "attr:rol"}, exitNotFound, []string{`--by rol: no such attribute`, "did you mean role?"}},
			{"unknown --count", []string{"report", "matrix", "--count", "turns"}, exitInvalid, []string{"--count turns"}},
			{"unknown --percent", []string{"report", "matrix", "--percent", "cell"}, exitInvalid, []string{"--percent cell", "choose one of row, column"}},
			{"unknown theme", []string{"report", "framework", "--themes", "humilty"}, exitNotFound, []string{`--themes humilty: no such code`, "did you mean humility?"}},
			{"unknown framework attribute", []string{"report", "framework", "--attrs", "role,contry"}, exitNotFound, []string{`--attrs contry: no such attribute`, "did you mean country?"}},
			{"summary of an unknown case", []string{"framework", "set", "P1", "bidirectional_learning", "x"}, exitNotFound, []string{"case P1: no such case in the project", "did you mean P01"}},
			{"summary on an unknown theme", []string{"framework", "set", "P01", "bidirectional_lerning", "x"}, exitNotFound, []string{"theme bidirectional_lerning: no such code", "did you mean bidirectional_learning?"}},
			{"summary without text", []string{"framework", "set", "P01", "bidirectional_learning"}, exitInvalid, []string{"give the summary's text", "--clear"}},
			{"summary too long", []string{"framework", "set", "P01", "bidirectional_learning", strings.Repeat("x", 801)}, exitInvalid, []string{"801 characters", "put the rest in a memo"}},
			{"clearing no summary", []string{"framework", "set", "P02", "bidirectional_learning", "--clear"}, exitNotFound, []string{"P02 has no summary on theme bidirectional_learning"}},
			{"framework of an unknown theme", []string{"framework", "--themes", "humilty"}, exitNotFound, []string{`--themes humilty: no such code`, "did you mean humility?"}},
			{"framework as json and csv", []string{"framework", "--json", "--csv"}, exitInvalid, []string{"--json and --csv"}},
			{"json and csv", []string{"report", "cooccur", "--json", "--csv"}, exitInvalid, []string{"--json and --csv"}},
			{"workbook in a missing folder", []string{"export", "xlsx", filepath.Join(in, "nowhere", "r.xlsx")}, exitNotFound, []string{"nowhere", "create it first"}},
			{"workbook without .xlsx", []string{"export", "xlsx", filepath.Join(in, "r.csv")}, exitInvalid, []string{"r.csv", ".xlsx"}},
			{"export by an unknown coder", []string{"export", "xlsx", filepath.Join(in, "r.xlsx"), "--coder", "rulse"}, exitNotFound, []string{"did you mean rules?"}},
			{"export of an unknown attribute", []string{"export", "xlsx", filepath.Join(in, "r.xlsx"), "--attrs", "role,sitee"}, exitNotFound, []string{`--attrs sitee: no such attribute`, "did you mean site?"}},
			{"export of an unknown theme", []string{"export", "csv", filepath.Join(in, "out"), "--themes", "barriers,enabler"}, exitNotFound, []string{`--themes enabler: no such code`, "did you mean enablers?"}},
			{"CSV into a file", []string{"export", "csv", taken}, exitInvalid, []string{"taken.csv", "folder"}},
			{"CSV in a missing folder", []string{"export", "csv", filepath.Join(in, "nowhere", "out")}, exitNotFound, []string{"nowhere", "create it first"}},
			{"demo workbook in a missing folder", []string{"demo", "--out", filepath.Join(in, "nowhere", "demo.xlsx")}, exitNotFound, []string{"nowhere"}},
		}
		checkBadInputs(t, dir, before, tests)
		// Nothing was written by any of them.
		for _, p := range []string{filepath.Join(in, "r.xlsx"), filepath.Join(in, "r.csv"), filepath.Join(in, "out"), filepath.Join(in, "nowhere")} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s was written", p)
			}
		}
		left, _ := filepath.Glob(filepath.Join(in, ".*"))
		if len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}
