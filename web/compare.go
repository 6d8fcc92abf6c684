package web

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"qcode"
	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
)

// compareUnits are the units the compare view judges agreement on: those
// of 'qcode agree' that mark a place in a turn (a source or a character
// would mark all or nothing).
var compareUnits = []string{string(coding.UnitSentence), string(coding.UnitParagraph), string(coding.UnitTurn)}

// compareResamples and compareSeed are the bootstrap of 'qcode agree's
// defaults, so that the page shows the figures the command prints.
const (
	compareResamples = 1000
	compareSeed      = 1
)

// coderCount is a coder of a source and how many codings they made in it.
type coderCount struct {
	Name string
	N    int
}

// sourceCoders counts each coder's codings, most first, then by name.
func sourceCoders(cs []coding.Coding) []coderCount {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Coder]++
	}
	var out []coderCount
	for name, k := range n {
		out = append(out, coderCount{name, k})
	}
	slices.SortFunc(out, func(a, b coderCount) int {
		return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Name, b.Name))
	})
	return out
}

// projectKey names the project in the browser's storage without showing
// its folder, so that choices made in one project stay out of another.
func (s *Server) projectKey() string {
	h := sha256.Sum256([]byte(s.p.Dir))
	return hex.EncodeToString(h[:6])
}

// comparison is what the compare view shows.
type comparison struct {
	Source        string
	Coders        []coderCount
	Alone         string // the one coder of the source, when there is one
	A, B, Unit    string
	Units         []string
	Turns         []compareTurn
	Disagreements []disagreementRow
	Here, Project agreementTable
}

// compareTurn is a turn as coder A (Sides[0]) and B (Sides[1]) coded it.
type compareTurn struct {
	Speaker, Time string
	Sides         [2][]stretch
}

// stretch is a run of a turn's text that is wholly inside or outside one
// unit the coders disagree on.
type stretch struct {
	Pieces   []piece
	Disagree bool
	ID       string // on A's side, where the disagreement starts: the list links here
	Title    string
}

// disagreementRow is one code of one unit the coders split on.
type disagreementRow struct {
	Segment, Path, Color, By, NotBy, Text, Link string
}

// agreementTable is 'qcode agree's table as a person reads it.
type agreementTable struct {
	Units   string // what the figures were computed on
	Header  []string
	Rows    [][]string
	Pooled  []string
	Missing bool // no unit was coded by both: nothing to compare
}

// comparePage shows two coders' codings of a source side by side, each
// unit they disagree on marked and listed, with their agreement per code
// on this source and in the project, as 'qcode agree' computes it.
func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := r.PathValue("name")
	q := r.URL.Query()
	src, err := s.p.Source(ctx, name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	list, err := s.p.ListCodings(ctx, app.ListOptions{Source: name})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	v := comparison{Source: src.Name, Coders: sourceCoders(list.Codings), Unit: cmp.Or(q.Get("unit"), string(coding.UnitSentence)), Units: compareUnits}
	if !slices.Contains(compareUnits, v.Unit) {
		s.failErr(w, r, qcode.FieldError("unit", v.Unit, "not a unit the comparison marks", compareUnits...))
		return
	}
	var names []string
	for _, c := range v.Coders {
		names = append(names, c.Name)
	}
	if err := checkCoders(src.Name, names, q.Get("a"), q.Get("b")); err != nil {
		s.fail(w, r, status(err), s.phrase(err, compareLabel))
		return
	}
	if len(v.Coders) < 2 {
		if len(v.Coders) == 1 {
			v.Alone = v.Coders[0].Name
		}
		s.render(w, "compare.html", v)
		return
	}
	if v.A, v.B, err = chooseCoders(names, q.Get("a"), q.Get("b")); err != nil {
		s.fail(w, r, status(err), s.phrase(err, compareLabel))
		return
	}
	o := app.AgreementOptions{Unit: v.Unit, Coders: []string{v.A, v.B}, Bootstrap: compareResamples, Seed: compareSeed}
	here, all := o, o
	here.Sources, here.Disagreements = []string{src.Name}, true
	hereRep, err := s.p.Agreement(ctx, here)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	allRep, err := s.p.Agreement(ctx, all)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	v.Here, v.Project = agreementOf(hereRep), agreementOf(allRep)
	codes := s.codes()
	var sides [2]*app.Listing
	for i, coder := range []string{v.A, v.B} {
		sides[i] = &app.Listing{Path: list.Path, Codings: slices.DeleteFunc(slices.Clone(list.Codings), func(c coding.Coding) bool { return c.Coder != coder })}
	}
	ds := hereRep.Disagreements
	for _, t := range src.Turns {
		v.Turns = append(v.Turns, compareTurn{Speaker: t.Speaker, Time: clock(t.Begin),
			Sides: [2][]stretch{stretches(t.Text, t.Start, ds, sides[0], codes, true), stretches(t.Text, t.Start, ds, sides[1], codes, false)}})
	}
	for _, d := range ds {
		for _, sp := range d.Codes {
			v.Disagreements = append(v.Disagreements, disagreementRow{Segment: d.Segment, Path: list.Path(sp.Code), Color: colorOf(codes, sp.Code),
				By: strings.Join(sp.By, ", "), NotBy: strings.Join(sp.NotBy, ", "), Text: strings.Join(strings.Fields(d.Text), " "), Link: "#" + disagreementAnchor(d.Start)})
		}
	}
	s.render(w, "compare.html", v)
}

// checkCoders refuses coders a and b (as given, "" for the default) when
// one of them has no coding of the source, naming those who have (names).
func checkCoders(source string, names []string, a, b string) error {
	for _, x := range []struct{ field, name string }{{"a", a}, {"b", b}} {
		if x.name == "" || slices.Contains(names, x.name) {
			continue
		}
		theirs := "nobody has coded it yet"
		if len(names) > 0 {
			theirs = "its coders are " + strings.Join(names, ", ")
		}
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: x.field, Value: x.name, Near: names,
			Message: fmt.Sprintf("no codings of %s by this coder (%s)", source, theirs)}
	}
	return nil
}

// chooseCoders returns the coders to compare: those asked for, else the
// two with most codings of the source (names, two or more, is sorted so).
func chooseCoders(names []string, a, b string) (string, string, error) {
	if a == "" {
		a = names[0]
		if a == b {
			a = names[1]
		}
	}
	if b == "" {
		b = names[0]
		if b == a {
			b = names[1]
		}
	}
	if a == b {
		return "", "", qcode.FieldError("b", b, "the same coder as coder A; choose two coders to compare")
	}
	return a, b, nil
}

// compareLabel names the compare form's fields as the page shows them.
func compareLabel(field string) string {
	switch field {
	case "a":
		return "coder A"
	case "b":
		return "coder B"
	}
	return fieldLabel(field)
}

// disagreementAnchor is the id of the place in the compare view where a
// disagreement on the unit starting at character start is marked.
func disagreementAnchor(start int) string { return "d-" + strconv.Itoa(start) }

// stretches cuts a turn's text (at character start of its source) at the
// edges of the units the coders disagree on (ds, by position), and each
// stretch at the edges of one coder's codings (list). Only A's side
// (first) carries the anchors the list links to, so that each id is on
// the page once.
func stretches(text string, start int, ds []coding.Disagreement, list *app.Listing, codes []codeInfo, first bool) []stretch {
	runes := []rune(text)
	end := start + len(runes)
	var out []stretch
	add := func(a, b int, d *coding.Disagreement) {
		if a >= b {
			return
		}
		st := stretch{Pieces: cut([]app.Turn{{Start: a, Text: string(runes[a-start : b-start])}}, list, colorMap(codes))[0], Disagree: d != nil}
		for i := range st.Pieces {
			// The source page's anchors would be on the page twice.
			for j := range st.Pieces[i].Codings {
				st.Pieces[i].Codings[j].ID = ""
			}
		}
		if d != nil {
			var why []string
			for _, sp := range d.Codes {
				why = append(why, list.Path(sp.Code)+": "+strings.Join(sp.By, ", ")+", not "+strings.Join(sp.NotBy, ", "))
			}
			st.Title = d.Segment + " · " + strings.Join(why, "; ")
			if first && a == max(d.Start, start) {
				st.ID = disagreementAnchor(d.Start)
			}
		}
		out = append(out, st)
	}
	at := start
	for i := range ds {
		d := &ds[i]
		if d.End <= start || d.Start >= end {
			continue
		}
		add(at, max(d.Start, at), nil)
		at = max(d.Start, at)
		add(at, min(d.End, end), d)
		at = min(d.End, end)
	}
	add(at, end, nil)
	return out
}

// agreementOf lays out an agreement report as 'qcode agree' prints it on
// a terminal, with the pooled row apart.
func agreementOf(rep *coding.AgreementReport) agreementTable {
	t, _ := report.AgreementTables(rep, false)
	rows := t.Strings(true)
	out := agreementTable{Header: rows[0], Missing: rep.Units == 0 || len(rep.Codes) == 0,
		Units: fmt.Sprintf("%s %ss", report.Thousands(int(rep.Units)), rep.Unit)}
	for _, row := range rows[1:] {
		if row[0] == report.PooledLabel {
			out.Pooled = row
			continue
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// compareLink is the compare view of a source.
func compareLink(source string) string {
	return "/sources/" + url.PathEscape(source) + "/compare"
}
