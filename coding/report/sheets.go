package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// Codebook returns the codebook as a table: a row per code with its id,
// path, name, level, description, include and exclude criteria, rule ("coded
// by people" for a code people code) and colour.
func (a *part) Codebook() *Table {
	t := NewTable("Codebook",
		Column{Name: "code", Kind: Text, Width: 26}, Column{Name: "path", Kind: Text, Width: 50, Wrap: true},
		Column{Name: "name", Kind: Text, Width: 28}, Column{Name: "level", Kind: Int, Width: 6},
		Column{Name: "description", Kind: Text, Width: 60, Wrap: true}, Column{Name: "include", Kind: Text, Width: 40, Wrap: true},
		Column{Name: "exclude", Kind: Text, Width: 40, Wrap: true}, Column{Name: "rule", Kind: Text, Width: 60, Wrap: true},
		Column{Name: "color", Kind: Text, Width: 9})
	for _, r := range a.codes {
		if r.code == nil {
			continue
		}
		c := r.code
		t.Add(T(c.ID), T(r.path), T(c.Name), I(r.level), T(c.Description), T(c.Include), T(c.Exclude), T(ruleCell(c)), T(c.Color))
	}
	return t
}

// Codings returns a row per coding, by source and position, laid out to
// read as a list of quotes: source, speaker, code, the code's path, the
// coded text with its line breaks folded into spaces, memo, coder, origin
// (rules, manual, import or search) and when it was made; then the case
// and its attributes; then where the coding stands exactly, so that the
// sheet reads back (qcode coding import) and pivots: the times of the
// turns it is in, segment id, character span, the code's path as
// cat1…catN, the words its rule matched ("a b; c", a match per ";"),
// whether every match was negated (rules only) and the codebook's hash
// (rules only). The rows are made as they are read.
func (a *part) Codings() *Table {
	cols := []Column{{Name: "source", Kind: Text, Width: 10}, {Name: "speaker", Kind: Text, Width: 16, Blank: corpus.DocumentLabel},
		{Name: "code", Kind: Text, Width: 20}, {Name: "path", Kind: Text, Width: 44, Wrap: true},
		{Name: "text", Kind: Text, Width: 80, Wrap: true}, {Name: "memo", Kind: Text, Width: 24, Wrap: true},
		{Name: "coder", Kind: Text, Width: 10}, {Name: "origin", Kind: Text, Width: 8}, {Name: "created_at", Kind: Text, Width: 20},
		{Name: "case", Kind: Text, Width: 8}}
	for at := range a.data.Attributes {
		cols = append(cols, a.attrColumn(at))
	}
	cols = append(cols, Column{Name: "time_start", Kind: Text, Width: 10}, Column{Name: "time_end", Kind: Text, Width: 10},
		Column{Name: "segment", Kind: Text, Width: 16}, Column{Name: "start", Kind: Int, Width: 8}, Column{Name: "end", Kind: Int, Width: 8})
	for d := 1; d <= a.maxDepth; d++ {
		cols = append(cols, Column{Name: "cat" + strconv.Itoa(d), Kind: Text, Width: 20})
	}
	cols = append(cols, Column{Name: "matched", Kind: Text, Width: 24}, Column{Name: "negated", Kind: Int, Width: 8},
		Column{Name: "codebook_hash", Kind: Text, Width: 14})
	// Each code's path, split once.
	cats := make([][]string, len(a.codes))
	for r := range a.codes {
		if a.codes[r].code == nil {
			cats[r] = []string{a.codes[r].id}
			continue
		}
		for c := a.codes[r].code; c != nil; c = c.Parent {
			cats[r] = append([]string{c.Name}, cats[r]...)
		}
	}
	return newLazyTable("Codings", cols, len(a.cs), func(i int, row []Cell) []Cell {
		c, s := &a.cs[i], a.src[i]
		src := a.data.Sources[s]
		cs := a.data.Cases[src.Case]
		who, t0, t1 := a.speakers(s, c.Start, c.End)
		cr := &a.codes[c.code]
		origin := a.origins[c.origin]
		row = append(row, T(src.Name), T(who), T(cr.id), T(cr.path), T(FoldLines(c.text)), T(c.memo),
			T(a.coders[c.coder]), T(string(origin)), T(createdAt(c.created)), T(cs.Name))
		for at, v := range cs.Values {
			row = append(row, a.attrCell(at, v))
		}
		row = append(row, timeCell(t0), timeCell(t1), T(a.segment(int32(i))), I(c.Start), I(c.End))
		path := cats[c.code]
		for d := range a.maxDepth {
			if d < len(path) {
				row = append(row, T(path[d]))
			} else {
				row = append(row, Cell{})
			}
		}
		row = append(row, T(c.matched))
		if origin == coding.OriginRules {
			row = append(row, I(b2i(c.negated)))
		} else {
			row = append(row, Cell{})
		}
		return append(row, T(coding.ShortHash(c.hash)))
	})
}

// FoldLines returns text with its hard line breaks (and the spaces around
// them) folded into single spaces, as a quote reads in a list; the text
// stored and its span are left as they are.
func FoldLines(text string) string {
	if !strings.ContainsAny(text, "\r\n") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	gap := false // a line break has passed since the last word
	for line := range strings.Lines(text) {
		body := strings.TrimRight(line, "\r\n")
		brk := len(body) < len(line)
		if gap {
			body = strings.TrimLeft(body, " \t")
		}
		if brk {
			body = strings.TrimRight(body, " \t")
		}
		if body != "" {
			if gap && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(body)
			gap = false
		}
		gap = gap || brk
	}
	return b.String()
}

func timeCell(t corpus.Time) Cell {
	if t < 0 {
		return Cell{}
	}
	return T(t.Clock())
}

func createdAt(unix int64) string {
	if unix == noTime {
		return ""
	}
	return time.Unix(unix, 0).UTC().Format(time.RFC3339)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matched returns the words of each match, a match per ";".
func matched(ms []coding.RuleMatch) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString("; ")
		}
		for j, t := range m.Tokens {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// Segments returns a row per coded sentence (segment, source, case, the
// case's attributes, speaker, turn, the turn's time, character span, words
// and text) with a 0/1 column per code, headed by its id: 1 when a coding
// of the code or of one of its sub-codes covers any of the sentence, so
// that a theme's column says whether any part of it is there. Sentences no
// coding touches are left out: they would be a row of zeros each, most of
// a large corpus (the About sheet gives how many sentences there are in
// all). The rows are made as they are read.
func (a *part) Segments() *Table {
	cols := []Column{{Name: "segment", Kind: Text, Width: 12}, {Name: "source", Kind: Text, Width: 8}, {Name: "case", Kind: Text, Width: 8}}
	for at := range a.data.Attributes {
		cols = append(cols, a.attrColumn(at))
	}
	cols = append(cols, Column{Name: "speaker", Kind: Text, Width: 18, Blank: corpus.DocumentLabel}, Column{Name: "turn", Kind: Int, Width: 6},
		Column{Name: "time_start", Kind: Text, Width: 10}, Column{Name: "start", Kind: Int, Width: 8},
		Column{Name: "end", Kind: Int, Width: 8}, Column{Name: "words", Kind: Int, Width: 7},
		Column{Name: "text", Kind: Text, Width: 70, Wrap: true})
	first := len(cols)
	for _, r := range a.codes {
		cols = append(cols, Column{Name: r.id, Kind: Int, Width: max(6, float64(len(r.id))/2)})
	}
	// codes[at[k]:at[k+1]] are the codes on sentence k: each coding's
	// code and its ancestors.
	depth := func(r int32) int32 { return int32(a.codes[r].level) }
	at := make([]int32, len(a.sents)+1)
	for i := range a.cs {
		c := &a.cs[i]
		lo, hi := a.sentencesIn(a.src[i], c.Start, c.End)
		for k := lo; k < hi; k++ {
			at[k+1] += depth(c.code)
		}
	}
	for k := range a.sents {
		at[k+1] += at[k]
	}
	codes := make([]int32, at[len(a.sents)])
	fill := slices.Clone(at[:len(a.sents)])
	for i := range a.cs {
		c := &a.cs[i]
		lo, hi := a.sentencesIn(a.src[i], c.Start, c.End)
		for k := lo; k < hi; k++ {
			for r := int(c.code); r >= 0; r = a.codes[r].parent {
				codes[fill[k]] = int32(r)
				fill[k]++
			}
		}
	}
	var coded []int32
	for k := range a.sents {
		if at[k+1] > at[k] {
			coded = append(coded, int32(k))
		}
	}
	return newLazyTable("Segments", cols, len(coded), func(i int, row []Cell) []Cell {
		k := coded[i]
		st := a.sents[k]
		src := a.data.Sources[st.Source]
		cs := a.data.Cases[src.Case]
		row = append(row, T(fmt.Sprintf("%s:s%d", src.Name, st.Ord)), T(src.Name), T(cs.Name))
		for at, v := range cs.Values {
			row = append(row, a.attrCell(at, v))
		}
		row = append(row, T(st.Speaker), I(st.Turn), timeCell(st.TimeStart), I(st.Start), I(st.End), I(st.words()), T(st.Text))
		for range a.codes {
			row = append(row, I(0))
		}
		for _, r := range codes[at[k]:at[k+1]] {
			row[first+int(r)] = I(1)
		}
		return row
	})
}

// AboutInfo is what the About sheet says of where the workbook comes from.
type AboutInfo struct {
	Project      string    // the project's name
	Written      time.Time // when the workbook was written
	CodebookPath string    // the codebook file as users name it
	CodebookHash string    // its SHA-256, hex
}

// Workbook holds the tables of the results workbook, one per sheet.
type Workbook struct {
	About        *Table
	Codebook     *Table
	Frequencies  *Table
	Matrices     []*Table // Code x Source, then Code x <attribute>
	Cooccurrence *Table
	Codings      *Table
	Segments     *Table
	// Framework is the Framework matrix (a row per case, a column per
	// theme); FrameworkQuotes its quotes, a row each, and
	// FrameworkQuoteRows the row of FrameworkQuotes where each cell's
	// quotes start (by case, then theme; -1 for none).
	Framework          *Table
	FrameworkQuotes    *Table
	FrameworkQuoteRows [][]int
	// Agreement and Disagreements compare the people who coded, when
	// WorkbookOptions.Agreement is given; else nil.
	Agreement     *Table
	Disagreements *Table
	// Memos lists the project's memos (WorkbookOptions.Memos), on
	// sources, codes, codings and the project.
	Memos *Table
}

// Tables returns the workbook's tables in sheet order.
func (w *Workbook) Tables() []*Table {
	out := []*Table{w.About, w.Codebook, w.Frequencies}
	out = append(out, w.Matrices...)
	out = append(out, w.Cooccurrence, w.Codings, w.Segments, w.Framework, w.FrameworkQuotes)
	if w.Agreement != nil {
		out = append(out, w.Agreement, w.Disagreements)
	}
	return append(out, w.Memos)
}

// WorkbookOptions choose what the workbook holds.
type WorkbookOptions struct {
	About AboutInfo
	// Attrs are the attributes given a Code x <attribute> sheet; nil picks
	// every text attribute with 2 to MaxGroups values.
	Attrs     []string
	Framework FrameworkOptions
	// Agreement, when the project has two or more people's codings, is
	// their agreement (with disagreements), for the Agreement and
	// Disagreements sheets.
	Agreement *coding.AgreementReport
	// Memos are the project's memos, for the Memos sheet, in the order
	// it lists them.
	Memos []coding.Memo
}

// MaxGroups is the most values an attribute may have for the workbook to
// give it a sheet of its own unasked: more make groups too small to compare.
const MaxGroups = 12

// MaxCooccurrenceCodes is the most codes the workbook's co-occurrence sheet
// shows as a matrix; with more it lists the pairs that co-occur.
const MaxCooccurrenceCodes = 500

// Workbook returns the tables of the results workbook: About, Codebook,
// Frequencies (each code with its sub-codes, then alone), Code x Source
// (coded segments, rolled up), a Code x <attribute> (cases) sheet per chosen
// attribute (cases, rolled up, with column percentages), Co-occurrence (segments
// coded with both codes), Codings, Segments, Framework and Framework
// quotes. The analysis must be counted with CountOptions' zero
// co-occurrence and no split. The tables of a row per coding, coded
// segment or quote, and the Framework, read the project again, source by
// source (or case by case), as they are written.
func (a *Analysis) Workbook(o WorkbookOptions) (*Workbook, error) {
	attrs := o.Attrs
	if attrs == nil {
		attrs = a.g.groupingAttributes()
	}
	w := &Workbook{Codebook: a.Codebook(), Matrices: make([]*Table, 1+len(attrs))}
	w.Codings, w.Segments = a.sourceTables()
	var err error
	if w.Frequencies, err = a.Frequencies(FrequencyOptions{Own: true}); err != nil {
		return nil, err
	}
	if w.Matrices[0], err = a.Matrix(MatrixOptions{By: "source", Count: string(countSegments), RollUp: true}); err != nil {
		return nil, err
	}
	if w.Cooccurrence, err = a.Cooccurrence(CooccurrenceOptions{PairsOver: MaxCooccurrenceCodes}); err != nil {
		return nil, err
	}
	if w.Framework, w.FrameworkQuotes, w.FrameworkQuoteRows, err = a.framework(o.Framework); err != nil {
		return nil, err
	}
	for i, name := range attrs {
		if w.Matrices[1+i], err = a.Matrix(MatrixOptions{By: "attr:" + name, Count: string(countCases), Percent: "column", RollUp: true}); err != nil {
			return nil, err
		}
	}
	if o.Agreement != nil {
		w.Agreement, w.Disagreements = AgreementTables(o.Agreement, false)
		a.agreement = o.Agreement
	}
	w.Memos = MemosTable(o.Memos)
	w.About = a.about(o.About, w, attrs)
	return w, nil
}

// MemosTable returns a row per memo: its id, its kind (source, code,
// coding or project), what it is on (as coding.Memo.Target names it), the
// source and code it names, who wrote it, when, when it was last edited
// (empty if never), and its text.
func MemosTable(ms []coding.Memo) *Table {
	t := NewTable("Memos", Column{Name: "id", Kind: Int, Width: 6}, Column{Name: "kind", Kind: Text, Width: 8},
		Column{Name: "on", Kind: Text, Width: 30}, Column{Name: "source", Kind: Text, Width: 8}, Column{Name: "code", Kind: Text, Width: 18},
		Column{Name: "coder", Kind: Text, Width: 10}, Column{Name: "created_at", Kind: Text, Width: 20},
		Column{Name: "updated_at", Kind: Text, Width: 20}, Column{Name: "text", Kind: Text, Width: 70, Wrap: true})
	for i := range ms {
		m := &ms[i]
		edited := Cell{}
		if !m.UpdatedAt.Equal(m.CreatedAt) {
			edited = T(m.UpdatedAt.UTC().Format(time.RFC3339))
		}
		t.Add(I(int(m.ID)), T(string(m.Kind)), T(m.Target()), T(m.Source), T(m.Code), T(m.Coder), T(m.CreatedAt.UTC().Format(time.RFC3339)), edited, T(m.Text))
	}
	return t
}

// groupingAttributes returns the text attributes with 2 to MaxGroups
// values among the cases.
func (a *part) groupingAttributes() []string {
	var out []string
	for at, attr := range a.data.Attributes {
		if attr.Type != corpus.AttrText {
			continue
		}
		values, _ := a.attributeValues(at)
		n := len(values)
		if slices.Contains(values, NoValue) {
			n--
		}
		if n >= 2 && n <= MaxGroups {
			out = append(out, attr.Name)
		}
	}
	return out
}

// about returns the About sheet: where the workbook comes from, what it
// counts, and how to read each sheet.
func (a *Analysis) about(info AboutInfo, w *Workbook, attrs []string) *Table {
	d := a.g.data
	t := NewTable("About", Column{Name: "item", Kind: Text, Width: 24}, Column{Name: "value", Kind: Text, Width: 110, Wrap: true})
	w.About = t // described with the others
	add := func(item, value string) { t.Add(T(item), T(value)) }
	num := func(item string, n int) { t.Add(T(item), I(n)) }
	add("project", info.Project)
	if !info.Written.IsZero() {
		add("written", info.Written.Format(time.RFC3339))
	}
	num("sources", len(d.Sources))
	num("cases", len(d.Cases))
	num("sentences", a.sentences)
	num("words", a.words)
	add("codebook", info.CodebookPath)
	add("codebook name", d.Codebook.Name)
	ncodes := 0
	for _, r := range a.g.codes {
		if r.code != nil {
			ncodes++
		}
	}
	num("codes", ncodes)
	add("codebook hash", info.CodebookHash)
	if a.coder == "" {
		add("coders", "all: "+strings.Join(a.g.coders, ", "))
	} else {
		add("coders", "only "+a.coder)
	}
	num("codings", a.codings)
	perCoder, hashes := a.perCoder, a.hashes
	for _, name := range a.g.coders {
		v := fmt.Sprintf("%d codings", perCoder[name])
		if perCoder[name] == 1 {
			v = "1 coding"
		}
		if hs := hashes[name]; hs != nil {
			var made []string
			stale := false
			for _, h := range sortedKeys(boolKeys(hs)) {
				made = append(made, fmt.Sprintf("%d with codebook %s", hs[h], coding.ShortHash(h)))
				stale = stale || h != info.CodebookHash
			}
			v += " (" + strings.Join(made, ", ") + ")"
			if stale && info.CodebookHash != "" {
				v += "; the codebook has changed since: run 'qcode code' to bring them up to date"
			}
		}
		add("coder "+name, v)
	}
	add("", "")
	add("sheet", "what it is for")
	for _, tb := range w.Tables() {
		add(tb.Name, a.describe(tb, attrs))
	}
	add("", "")
	add("long cells", "A spreadsheet cell holds at most 32,767 characters: longer text goes on in the next row, marked at the cut. The CSV export (qcode export csv) holds it whole.")
	return t
}

func boolKeys(m map[string]int) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// describe says what a workbook table is for.
func (a *Analysis) describe(t *Table, attrs []string) string {
	switch t.Name {
	case "About":
		return "Where this workbook comes from, and how to read each sheet."
	case "Codebook":
		return "Every code of the codebook: its id, its path in the tree, its name and level, its definition, when to use it and when not, its rule, and its colour."
	case "Frequencies":
		return "Per code, in codebook order: codings; coded segments (distinct passages: two coders on one sentence make one); sources and cases with the code, and % of all cases; words coded, and % of the corpus's words (coverage). A code with sub-codes counts them with it (includes_sub_codes: yes), so a theme shows what its sub-codes hold; columns ending _own count each code's own codings alone. The chart compares the top-level themes by coded segments, with their sub-codes."
	case "Code x Source (coded segments)":
		return "Coded segments of each code, with its sub-codes, in each source; the total row counts segments with any code, each once (see the note under the table). Darker cells hold more."
	case "Co-occurrence":
		if t.Column("code_a") >= 0 {
			return "Pairs of codes that code the same segments, most shared first, with the Jaccard index (both / either)."
		}
		return "Segments coded with both codes (on the diagonal: with the code). Codes with no codings are left out. Darker cells hold more."
	case "Codings":
		return "One row per coding, read as a list of quotes: source, speaker (\"document\" in a text without speaker labels), code and its path, the coded text (line breaks folded into spaces), memo, who made it (coder; origin rules, manual, import or search) and when; then the case and its attributes; then, for re-import (qcode coding import) and pivot tables, the turn times, segment id, exact character span, the code's path as cat1…catN, the words a rule matched, whether they were negated and the codebook's hash. Printed, it shows the quote list (source to origin)."
	case "Segments":
		return fmt.Sprintf("One row per coded sentence (%d of the %d sentences; the others have no code) with a 0/1 column per code (1 when a coding of the code, or of one of its sub-codes, covers any of the sentence), for R or SPSS.", t.Len(), a.sentences)
	case "Agreement":
		rep := a.agreement
		return fmt.Sprintf("How far %s agree, code by code and pooled over the codes (%s), each %s a unit: units used (%d; %d more in sources not every coder coded were left out), units all, some and none of them coded, percent agreement, Cohen's kappa (two coders), Fleiss' kappa, Krippendorff's alpha (nominal) with a bootstrap 95%% interval (%d resamples, seed %d), and Brennan–Prediger kappa. An empty cell cannot be computed (see docs/agreement.md).",
			strings.Join(rep.Coders, ", "), PooledLabel, rep.Unit, rep.Units, rep.Dropped, rep.Resamples, rep.Seed)
	case "Disagreements":
		return "Each unit and code the coders split on: the segment, the code, who applied it and who did not, and the text."
	case "Memos":
		return "Every memo: its id, what it is on (a source, a code, a coding, or the whole project) with the source and code it names, who wrote it, when, when it was last edited, and its text."
	case "Framework":
		return fmt.Sprintf("The Framework Method matrix: one row per case, one column per theme, then the case's attributes. Each cell holds the team's summary of what the case says on the theme (written with 'qcode framework set' or on the workspace's Framework page), then the references (source:segment) of the case's quotes coded with the theme or its sub-codes, as many as fit in %d characters; click a cell to go to its quotes on the %s sheet.", MaxFrameworkCell, FrameworkQuotesName)
	case FrameworkQuotesName:
		return "Every quote of the Framework matrix, one row each, by case and theme: the case, the theme's code id, the quote's reference (source:segment), who speaks in it, and its text."
	}
	for _, name := range attrs {
		if t.Name == "Code x "+name+" (cases)" {
			return fmt.Sprintf("Cases with each code, with its sub-codes, among the cases of each %s; then (columns ending _pct) the percentage of that group's coded cases. The total row counts cases with any code, each once (see the note under the table). Darker cells hold more. 'qcode report matrix --by attr:%s --count cases --rollup --percent column' prints the same table.", name, name)
		}
	}
	return ""
}

// ruleCell is what the code list shows for a code's rule: the rule, or that
// people code it.
func ruleCell(c *codebook.Code) string {
	if c.ByPeople {
		return codebook.CodedByPeople
	}
	return c.Rule
}
