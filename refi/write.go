// Package refi reads and writes REFI-QDA projects: .qdpx files (a zip
// holding project.qde and sources/<GUID>.txt) and a .qde file with its
// sources folder beside it, the way NVivo, ATLAS.ti, MAXQDA and QualCoder
// exchange whole projects (QDA-XML 1.0, schema Project-mrt2019.xsd,
// namespace urn:QDA-XML:project:1.0). It converts them to and from an
// exchange.Project and knows no qcode project store.
//
// What REFI-QDA has no place for travels in XML comments other tools
// ignore: a source's format, a coding's origin, the codebook's settings.
// A code's qcode fields (rule, include, exclude, examples) travel at the
// end of its description, as in a .qdc codebook.
package refi

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/exchange"
	"qcode/internal/atomicfile"
	"qcode/internal/qdaxml"
)

// Namespace is the XML namespace of REFI-QDA projects.
const Namespace = "urn:QDA-XML:project:1.0"

// RulesUser is the name the rules engine's user has in a REFI-QDA project,
// so people in other tools see whose codings the rules made.
const RulesUser = "qcode rules"

// projectQDE is the name of the project's XML inside a .qdpx.
const projectQDE = "project.qde"

// selectionNameMax is how many characters of the selected text a
// selection's name holds, as ATLAS.ti names its quotations.
const selectionNameMax = 100

// guidNamespace is the namespace of the name-based UUIDs made for what has
// no GUID of its own, so it keeps the same GUID from one export to the next.
var guidNamespace = [16]byte{0x6b, 0x1e, 0x3f, 0x52, 0x9a, 0x07, 0x4c, 0x5d, 0x8e, 0x21, 0xd4, 0x70, 0x11, 0xa6, 0x3c, 0x9f}

// stableGUID is a version 5 UUID of the parts, joined by NUL bytes.
func stableGUID(parts ...string) string {
	return codebook.UUIDv5(guidNamespace, strings.Join(parts, "\x00"))
}

// WriteFile writes p as a REFI-QDA project (.qdpx zip: project.qde +
// sources/<GUID>.txt), whole or not at all (temp file + rename);
// exportedAt is the only thing that varies between two exports of the same
// project.
func WriteFile(path string, p *exchange.Project, exportedAt time.Time) error {
	// Everything is checked before the file is touched; the zip then
	// streams into the temporary file, project.qde into its entry, so
	// neither is held in memory whole (a project of 100,000 codings made
	// a project.qde of over 100 MB).
	pl, err := plan(p)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(f *os.File) error {
		bw := bufio.NewWriterSize(f, 256<<10)
		if err := pl.write(bw, exportedAt); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// Write writes p as a .qdpx zip to w. Codings are written source by
// source, each source's in the order p lists them; memos in p's order.
func Write(w io.Writer, p *exchange.Project, exportedAt time.Time) error {
	pl, err := plan(p)
	if err != nil {
		return err
	}
	return pl.write(w, exportedAt)
}

// write writes the planned project as a .qdpx zip to w.
func (pl *writePlan) write(w io.Writer, exportedAt time.Time) error {
	zw := zip.NewWriter(w)
	create := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: exportedAt.UTC()})
	}
	fw, err := create(projectQDE)
	if err != nil {
		return err
	}
	if err := pl.writeQDE(fw, exportedAt); err != nil {
		return err
	}
	for i, s := range pl.p.Sources {
		fw, err := create("sources/" + pl.sourceGUID[i] + ".txt")
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, s.Text); err != nil {
			return err
		}
	}
	return zw.Close()
}

// A writePlan is p with every GUID and cross reference worked out.
type writePlan struct {
	p          *exchange.Project
	users      []exchange.User
	userGUID   map[string]string // by Name
	sourceGUID []string          // by index in p.Sources
	sourceIdx  map[string]int    // by Name
	codingGUID []string          // by index in p.Codings
	bySource   [][]int           // coding indexes per source
	memoGUID   []string          // by index in p.Memos
	frameGUID  []string          // by index in p.Summaries
	noteRefs   map[string][]string
	variables  []variable
	cases      []caseOut
}

type variable struct {
	guid, name, typ string // typ as Project.xsd names it: Text, Integer, Float, Date
}

type caseOut struct {
	guid, name string
	attrs      []corpus.Attribute
	sources    []int
}

// Keys of noteRefs: what a note hangs on.
func sourceKey(name string) string { return "source\x00" + name }
func codeKey(id string) string     { return "code\x00" + id }
func codingKey(i int) string       { return "coding\x00" + strconv.Itoa(i) }

const projectKey = "project"

func plan(p *exchange.Project) (*writePlan, error) {
	pl := &writePlan{p: p, userGUID: map[string]string{}, sourceIdx: map[string]int{}, noteRefs: map[string][]string{}}
	if p.Codebook != nil {
		if err := codebook.CheckQDC(p.Codebook); err != nil {
			return nil, err
		}
	}
	addUser := func(u exchange.User) {
		if _, ok := pl.userGUID[u.Name]; ok {
			return
		}
		if u.GUID == "" {
			u.GUID = stableGUID("user", u.Name)
		}
		pl.userGUID[u.Name] = u.GUID
		pl.users = append(pl.users, u)
	}
	for _, u := range p.Users {
		if err := checkText("user "+u.Name, u.Name); err != nil {
			return nil, err
		}
		addUser(u)
	}
	// Coders the project names but does not list still need a <User>.
	var implied []string
	seen := map[string]bool{}
	note := func(name string) {
		if _, ok := pl.userGUID[name]; !ok && name != "" && !seen[name] {
			seen[name] = true
			implied = append(implied, name)
		}
	}
	for _, c := range p.Codings {
		note(c.Coder)
	}
	for _, m := range p.Memos {
		note(m.Coder)
	}
	for _, sm := range p.Summaries {
		note(sm.Coder)
	}
	sort.Strings(implied)
	for _, name := range implied {
		addUser(exchange.User{Name: name, Rules: name == coding.RulesCoder})
	}

	pl.sourceGUID = make([]string, len(p.Sources))
	pl.bySource = make([][]int, len(p.Sources))
	for i, s := range p.Sources {
		if _, dup := pl.sourceIdx[s.Name]; dup {
			return nil, qcode.Errorf(qcode.EINVALID, "two sources are named %s; source names must be unique", s.Name)
		}
		if !utf8.ValidString(s.Text) {
			return nil, qcode.Errorf(qcode.EINVALID, "source %s: its text is not valid UTF-8", s.Name)
		}
		if err := checkText("source "+s.Name, s.Name); err != nil {
			return nil, err
		}
		pl.sourceIdx[s.Name] = i
		g := s.GUID
		if g == "" {
			h := sha256.Sum256([]byte(s.Text))
			g = stableGUID("source", s.Name, hex.EncodeToString(h[:]))
		}
		pl.sourceGUID[i] = g
	}
	chars := make([]int, len(p.Sources)) // counted once per source, not per coding
	for i := range p.Sources {
		chars[i] = utf8.RuneCountInString(p.Sources[i].Text)
	}
	pl.codingGUID = make([]string, len(p.Codings))
	for i, c := range p.Codings {
		si, ok := pl.sourceIdx[c.Source]
		if !ok {
			return nil, qcode.Errorf(qcode.EINVALID, "a coding of %s names source %s, which the project does not hold", c.Code, c.Source)
		}
		n := chars[si]
		if c.Start < 0 || c.Start > c.End || c.End > n {
			return nil, qcode.Errorf(qcode.EINVALID, "a coding of %s on %s spans %d-%d, outside the source's %d characters", c.Code, c.Source, c.Start, c.End, n)
		}
		if p.Codebook == nil || p.Codebook.Code(c.Code) == nil {
			return nil, qcode.Errorf(qcode.EINVALID, "a coding on %s:%d-%d names code %s, which the codebook lacks", c.Source, c.Start, c.End, c.Code)
		}
		if err := checkText("a coding's memo on "+c.Source, c.Memo); err != nil {
			return nil, err
		}
		g := c.GUID
		if g == "" {
			g = stableGUID("coding", pl.sourceGUID[si], strconv.Itoa(c.Start), strconv.Itoa(c.End), c.Code, c.Coder)
		}
		pl.codingGUID[i] = g
		pl.bySource[si] = append(pl.bySource[si], i)
	}

	pl.memoGUID = make([]string, len(p.Memos))
	for i, m := range p.Memos {
		if err := checkText("memo on "+m.Target(), m.Text); err != nil {
			return nil, err
		}
		g := m.GUID
		if g == "" {
			g = stableGUID("memo", string(m.Kind), m.Target(), m.CreatedAt.UTC().Format(time.RFC3339Nano), m.Coder)
		}
		pl.memoGUID[i] = g
		key, err := pl.memoKey(&m.Memo)
		if err != nil {
			return nil, err
		}
		pl.noteRefs[key] = append(pl.noteRefs[key], g)
	}
	// A Framework summary is a Note on the project, its case and theme in
	// qcode's comments, so that another tool shows it and qcode reads it
	// back as the summary it was.
	pl.frameGUID = make([]string, len(p.Summaries))
	for i, sm := range p.Summaries {
		if err := checkText("Framework summary of "+sm.Case+" on "+sm.Theme, sm.Text); err != nil {
			return nil, err
		}
		pl.frameGUID[i] = stableGUID("summary", sm.Case, sm.Theme)
		pl.noteRefs[projectKey] = append(pl.noteRefs[projectKey], pl.frameGUID[i])
	}
	if err := pl.planCases(); err != nil {
		return nil, err
	}
	return pl, nil
}

// memoKey says which element a memo's NoteRef goes in.
func (pl *writePlan) memoKey(m *coding.Memo) (string, error) {
	switch m.Kind {
	case coding.MemoSource:
		if _, ok := pl.sourceIdx[m.Source]; !ok {
			return "", qcode.Errorf(qcode.EINVALID, "a memo describes source %s, which the project does not hold", m.Source)
		}
		return sourceKey(m.Source), nil
	case coding.MemoCode:
		if pl.p.Codebook == nil || pl.p.Codebook.Code(m.Code) == nil {
			return "", qcode.Errorf(qcode.EINVALID, "a memo describes code %s, which the codebook lacks", m.Code)
		}
		return codeKey(m.Code), nil
	case coding.MemoCoding:
		for i, c := range pl.p.Codings {
			if c.Source == m.Source && c.Code == m.Code && c.Start == m.Start && c.End == m.End && c.Coder == m.CodingCoder {
				return codingKey(i), nil
			}
		}
		return "", qcode.Errorf(qcode.EINVALID, "a memo describes the coding %s, which the project does not hold", m.Target())
	}
	// A memo on the whole project, whatever its kind is called.
	return projectKey, nil
}

// planCases gathers the variables and the cases: a case for every source
// that names one or has attributes, holding the attributes of its first
// source; a later source of the case whose attributes differ keeps its
// own on its TextSource.
func (pl *writePlan) planCases() error {
	types := map[string]corpus.AttrType{}
	ints := map[string]bool{}
	var names []string
	byName := map[string]int{} // index in pl.cases
	for i, s := range pl.p.Sources {
		for _, a := range s.Attributes {
			if err := checkText("attribute "+a.Name, a.Name+a.Value); err != nil {
				return err
			}
			t, ok := types[a.Name]
			if !ok {
				names = append(names, a.Name)
				types[a.Name] = a.Type
				ints[a.Name] = true
				t = a.Type
			}
			if t != a.Type {
				return qcode.Errorf(qcode.EINVALID, "attribute %s is %s on one source and %s on %s; give it one type", a.Name, t, a.Type, s.Name)
			}
			if a.Type == corpus.AttrNumber && a.Value != "" {
				if _, err := strconv.ParseInt(a.Value, 10, 64); err != nil {
					ints[a.Name] = false
				}
			}
		}
		name := caseName(s)
		if s.Case == "" && len(s.Attributes) == 0 {
			continue
		}
		ci, ok := byName[name]
		if !ok {
			ci = len(pl.cases)
			byName[name] = ci
			pl.cases = append(pl.cases, caseOut{guid: stableGUID("case", name), name: name, attrs: s.Attributes})
		}
		pl.cases[ci].sources = append(pl.cases[ci].sources, i)
	}
	for _, n := range names {
		typ := "Text"
		switch types[n] {
		case corpus.AttrNumber:
			typ = "Float"
			if ints[n] {
				typ = "Integer"
			}
		case corpus.AttrDate:
			typ = "Date"
		}
		pl.variables = append(pl.variables, variable{guid: stableGUID("variable", n), name: n, typ: typ})
	}
	return nil
}

func caseName(s exchange.Source) string {
	if s.Case != "" {
		return s.Case
	}
	return s.Name
}

// checkText refuses text that XML 1.0 cannot carry, even escaped.
func checkText(what, s string) error {
	if r, bad := qdaxml.BadChar(s); bad {
		return qcode.Errorf(qcode.EINVALID, "%s holds the character %U, which XML cannot carry; remove it", what, r)
	}
	return nil
}

var (
	xmlText = qdaxml.Text
	xmlAttr = qdaxml.Attr
)

// xmlComment makes s safe inside an XML comment, which may hold no "--".
func xmlComment(s string) string {
	q := strconv.Quote(s)
	return strings.ReplaceAll(q, "--", `-\x2d`)
}

func xmlTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (pl *writePlan) writeQDE(w io.Writer, exportedAt time.Time) error {
	p := pl.p
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	bw.WriteString(`<Project xmlns="` + Namespace + `" name="` + xmlAttr(p.Name) + `" origin="qcode" modifiedDateTime="` + xmlTime(exportedAt) + `">` + "\n")
	if len(pl.users) > 0 {
		bw.WriteString("  <Users>\n")
		for _, u := range pl.users {
			name := u.Name
			if u.Rules {
				name = RulesUser
			}
			bw.WriteString(`    <User guid="` + xmlAttr(u.GUID) + `" name="` + xmlAttr(name) + `"/>` + "\n")
		}
		bw.WriteString("  </Users>\n")
	}
	if p.Codebook != nil && len(p.Codebook.Codes) > 0 {
		bw.WriteString("  <CodeBook>\n")
		codebook.WriteQDCCodes(bw, p.Codebook, "    ", func(c *codebook.Code) []string { return pl.noteRefs[codeKey(c.ID)] })
		bw.WriteString("  </CodeBook>\n")
	}
	if len(pl.variables) > 0 {
		bw.WriteString("  <Variables>\n")
		for _, v := range pl.variables {
			bw.WriteString(`    <Variable guid="` + v.guid + `" name="` + xmlAttr(v.name) + `" typeOfVariable="` + v.typ + `"/>` + "\n")
		}
		bw.WriteString("  </Variables>\n")
	}
	if len(pl.cases) > 0 {
		bw.WriteString("  <Cases>\n")
		for _, c := range pl.cases {
			bw.WriteString(`    <Case guid="` + c.guid + `" name="` + xmlAttr(c.name) + `">` + "\n")
			pl.writeValues(bw, c.attrs, "      ")
			for _, i := range c.sources {
				bw.WriteString(`      <SourceRef targetGUID="` + xmlAttr(pl.sourceGUID[i]) + `"/>` + "\n")
			}
			bw.WriteString("    </Case>\n")
		}
		bw.WriteString("  </Cases>\n")
	}
	if len(p.Sources) > 0 {
		bw.WriteString("  <Sources>\n")
		for i := range p.Sources {
			pl.writeSource(bw, i)
		}
		bw.WriteString("  </Sources>\n")
	}
	if len(p.Memos)+len(p.Summaries) > 0 {
		bw.WriteString("  <Notes>\n")
		for i, m := range p.Memos {
			name := m.Target()
			if name == "" {
				name = p.Name
			}
			bw.WriteString(`    <Note guid="` + xmlAttr(pl.memoGUID[i]) + `" name="` + xmlAttr(name) + `"`)
			if g, ok := pl.userGUID[m.Coder]; ok {
				bw.WriteString(` creatingUser="` + xmlAttr(g) + `"`)
			}
			if !m.CreatedAt.IsZero() {
				bw.WriteString(` creationDateTime="` + xmlTime(m.CreatedAt) + `"`)
			}
			if !m.UpdatedAt.IsZero() {
				bw.WriteString(` modifiedDateTime="` + xmlTime(m.UpdatedAt) + `"`)
			}
			bw.WriteString(">\n")
			bw.WriteString("      <!-- qcode memo: " + xmlComment(string(m.Kind)) + " -->\n")
			bw.WriteString("      <PlainTextContent>" + xmlText(m.Text) + "</PlainTextContent>\n")
			bw.WriteString("    </Note>\n")
		}
		for i, sm := range p.Summaries {
			bw.WriteString(`    <Note guid="` + xmlAttr(pl.frameGUID[i]) + `" name="` + xmlAttr("Framework summary of "+sm.Case+" on "+sm.Theme) + `"`)
			if g, ok := pl.userGUID[sm.Coder]; ok {
				bw.WriteString(` creatingUser="` + xmlAttr(g) + `"`)
			}
			if !sm.CreatedAt.IsZero() {
				bw.WriteString(` creationDateTime="` + xmlTime(sm.CreatedAt) + `"`)
			}
			if !sm.UpdatedAt.IsZero() {
				bw.WriteString(` modifiedDateTime="` + xmlTime(sm.UpdatedAt) + `"`)
			}
			bw.WriteString(">\n")
			bw.WriteString("      <!-- qcode summary: " + xmlComment(sm.Case) + " -->\n")
			bw.WriteString("      <!-- qcode theme: " + xmlComment(sm.Theme) + " -->\n")
			bw.WriteString("      <PlainTextContent>" + xmlText(sm.Text) + "</PlainTextContent>\n")
			bw.WriteString("    </Note>\n")
		}
		bw.WriteString("  </Notes>\n")
	}
	for _, g := range pl.noteRefs[projectKey] {
		bw.WriteString(`  <NoteRef targetGUID="` + xmlAttr(g) + `"/>` + "\n")
	}
	bw.WriteString("</Project>\n")
	return bw.Flush()
}

// writeValues writes attributes as <VariableValue> elements.
func (pl *writePlan) writeValues(bw *bufio.Writer, attrs []corpus.Attribute, indent string) {
	for _, a := range attrs {
		var v variable
		for _, x := range pl.variables {
			if x.name == a.Name {
				v = x
			}
		}
		bw.WriteString(indent + "<VariableValue>\n")
		bw.WriteString(indent + `  <VariableRef targetGUID="` + v.guid + `"/>` + "\n")
		if a.Value != "" {
			el := v.typ + "Value"
			bw.WriteString(indent + "  <" + el + ">" + xmlText(a.Value) + "</" + el + ">\n")
		}
		bw.WriteString(indent + "</VariableValue>\n")
	}
}

func (pl *writePlan) writeSource(bw *bufio.Writer, i int) {
	s := pl.p.Sources[i]
	g := pl.sourceGUID[i]
	bw.WriteString(`    <TextSource guid="` + xmlAttr(g) + `" name="` + xmlAttr(s.Name) + `" plainTextPath="internal://` + xmlAttr(g) + `.txt"`)
	if !s.CreatedAt.IsZero() {
		bw.WriteString(` creationDateTime="` + xmlTime(s.CreatedAt) + `"`)
	}
	bw.WriteString(">\n")
	if s.Format != "" {
		bw.WriteString("      <!-- qcode format: " + xmlComment(s.Format) + " -->\n")
	}
	runes := []rune(s.Text)
	for _, ci := range pl.bySource[i] {
		c := pl.p.Codings[ci]
		cg := pl.codingGUID[ci]
		name := string(runes[c.Start:c.End])
		if utf8.RuneCountInString(name) > selectionNameMax {
			name = string([]rune(name)[:selectionNameMax-1]) + "…"
		}
		bw.WriteString(`      <PlainTextSelection guid="` + stableGUID("selection", cg) + `" name="` + xmlAttr(cleanXML(name)) + `"`)
		fmt.Fprintf(bw, ` startPosition="%d" endPosition="%d"`, c.Start, c.End)
		user, hasUser := pl.userGUID[c.Coder]
		if hasUser {
			bw.WriteString(` creatingUser="` + xmlAttr(user) + `"`)
		}
		if !c.CreatedAt.IsZero() {
			bw.WriteString(` creationDateTime="` + xmlTime(c.CreatedAt) + `"`)
		}
		bw.WriteString(">\n")
		if c.Origin != "" {
			bw.WriteString("        <!-- qcode origin: " + xmlComment(string(c.Origin)) + " -->\n")
		}
		if c.Memo != "" {
			bw.WriteString("        <Description>" + xmlText(c.Memo) + "</Description>\n")
		}
		bw.WriteString(`        <Coding guid="` + xmlAttr(cg) + `"`)
		if hasUser {
			bw.WriteString(` creatingUser="` + xmlAttr(user) + `"`)
		}
		if !c.CreatedAt.IsZero() {
			bw.WriteString(` creationDateTime="` + xmlTime(c.CreatedAt) + `"`)
		}
		bw.WriteString(">\n")
		bw.WriteString(`          <CodeRef targetGUID="` + xmlAttr(pl.p.Codebook.Code(c.Code).QDCGUID()) + `"/>` + "\n")
		bw.WriteString("        </Coding>\n")
		for _, n := range pl.noteRefs[codingKey(ci)] {
			bw.WriteString(`        <NoteRef targetGUID="` + xmlAttr(n) + `"/>` + "\n")
		}
		bw.WriteString("      </PlainTextSelection>\n")
	}
	for _, n := range pl.noteRefs[sourceKey(s.Name)] {
		bw.WriteString(`      <NoteRef targetGUID="` + xmlAttr(n) + `"/>` + "\n")
	}
	if own := pl.ownAttributes(i); own != nil {
		pl.writeValues(bw, own, "      ")
	}
	bw.WriteString("    </TextSource>\n")
}

// ownAttributes is what a source's TextSource carries itself: its
// attributes when they differ from its case's.
func (pl *writePlan) ownAttributes(i int) []corpus.Attribute {
	s := pl.p.Sources[i]
	for _, c := range pl.cases {
		if c.name == caseName(s) {
			if attrsEqual(c.attrs, s.Attributes) {
				return nil
			}
			return s.Attributes
		}
	}
	return nil
}

func attrsEqual(a, b []corpus.Attribute) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// cleanXML drops characters XML cannot carry from a selection's name, a
// preview of text that the source file carries whole.
func cleanXML(s string) string {
	return strings.Map(func(r rune) rune {
		if qdaxml.IsChar(r) {
			return r
		}
		return -1
	}, s)
}
