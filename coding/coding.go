package coding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"qcode"
)

// Origin says how a coding was made.
type Origin string

// Origins.
const (
	OriginRules  Origin = "rules"  // by the rules engine (qcode code)
	OriginManual Origin = "manual" // by a person, one at a time (qcode coding add)
	OriginImport Origin = "import" // by a person, in a spreadsheet (qcode coding import)
	OriginSearch Origin = "search" // by a person, from search results
)

// Origins lists every origin, for messages and flag checks.
var Origins = []Origin{OriginRules, OriginManual, OriginImport, OriginSearch, OriginSuggested}

// Unit is what a coding's span covers: one segment of a source (a sentence,
// paragraph, turn or the whole source) or a span of characters a person
// chose.
type Unit string

// Units.
const (
	UnitSentence  Unit = "sentence"
	UnitParagraph Unit = "paragraph"
	UnitTurn      Unit = "turn"
	UnitSource    Unit = "source"
	UnitSpan      Unit = "span"
)

// SegmentUnits are the units the rules can code, the values of the field
// "unit".
var SegmentUnits = []Unit{UnitSentence, UnitParagraph, UnitTurn, UnitSource}

// ParseUnit returns the segment unit named s (see SegmentUnits).
func ParseUnit(s string) (Unit, error) {
	return parseUnit(s, SegmentUnits)
}

// parseUnit returns the unit of units named s, or an error about the field
// "unit" that lists them.
func parseUnit(s string, units []Unit) (Unit, error) {
	names := make([]string, len(units))
	for i, u := range units {
		if string(u) == s {
			return u, nil
		}
		names[i] = string(u)
	}
	return "", qcode.FieldError("unit", s, "unknown unit", names...)
}

// Coding is one code applied to one span of a source by one coder.
// Start and End are character offsets into the source's text; ByteStart
// and ByteEnd are the same span in bytes. A coding made by the rules
// records the codebook's hash and every match that made it.
type Coding struct {
	Source       string
	Unit         Unit
	Ord          int // the segment's number for a sentence, paragraph or turn: P03:s41
	Start, End   int
	ByteStart    int
	ByteEnd      int
	Code         string // the code's id
	Coder        string
	Origin       Origin
	CreatedAt    time.Time
	Memo         string
	CodebookHash string      // rules only
	ModelHash    string      // suggested only: the training set of the model that suggested it
	Matches      []RuleMatch // rules only
	Negated      bool        // rules only: every match was negated
	Text         string      // the coded text, when a query asked for it
}

// Segment returns the id of the coded segment as users write it: P03:s41,
// P03:t12, P03:p5, P03 for the whole source, or P03:1200-1388 for a span.
func (c *Coding) Segment() string {
	return Ref{Source: c.Source, Unit: c.Unit, Ord: c.Ord, Start: c.Start, End: c.End}.String()
}

// RuleMatch is one way a rule matched a segment, as a coding keeps it: the
// tokens it used, as character spans of the source's text (a
// codebook.Match gives them as positions in the passage it ran over).
type RuleMatch struct {
	Tokens  []MatchedToken `json:"tokens"`
	Negated bool           `json:"negated"`
}

// MatchedToken is one token a rule matched, with its character span in the
// source's text.
type MatchedToken struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// RulesCoder is the coder name of the rules engine. No person may use it.
const RulesCoder = "rules"

// Coder is who makes codings: a person, by name, or the rules engine with
// the hash of the codebook whose rules it runs, so that every rules coding
// says which version of the codebook made it.
type Coder struct {
	Name         string
	CodebookHash string // the rules engine only
}

// Rules returns the rules engine as a coder, running the codebook with the
// given content hash.
func Rules(codebookHash string) Coder { return Coder{Name: RulesCoder, CodebookHash: codebookHash} }

// IsRules reports whether c is the rules engine.
func (c Coder) IsRules() bool { return c.Name == RulesCoder }

// String returns the coder's name, and for the rules engine the short hash
// of its codebook: "amina", "rules@3f2a9c01b7de".
func (c Coder) String() string {
	if c.IsRules() && c.CodebookHash != "" {
		return c.Name + "@" + ShortHash(c.CodebookHash)
	}
	return c.Name
}

// CheckCoderName reports why name cannot name a person coder: it is empty,
// holds control characters, is very long, or is the rules engine's name.
// Its errors are about the field "coder"; they quote the name in their
// message rather than give it as the Value, which is shown bare, as the
// name's fault may be a space or a control character.
func CheckCoderName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return qcode.FieldError("coder", "", "the coder's name is empty; give a person's name")
	case !utf8.ValidString(name):
		return qcode.FieldError("coder", "", fmt.Sprintf("the name %q is not valid UTF-8; give a person's name", name))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return qcode.FieldError("coder", "", fmt.Sprintf("the name %q holds control characters; give one of letters, digits, spaces or punctuation", name))
	case name != strings.TrimSpace(name):
		return qcode.FieldError("coder", "", fmt.Sprintf("the name %q starts or ends with spaces; give it without them", name))
	case utf8.RuneCountInString(name) > 64:
		return qcode.FieldError("coder", "", fmt.Sprintf("the name %q is longer than 64 characters; give a shorter one", name))
	case strings.EqualFold(name, RulesCoder):
		return qcode.FieldError("coder", "", fmt.Sprintf("the name %q is the rules engine's; give a person's name", name))
	}
	return nil
}

// CodebookHash returns the content hash of a codebook file: the hex SHA-256
// of its bytes. Users are shown its first twelve characters (ShortHash).
func CodebookHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ShortHash returns the first twelve characters of a codebook hash, as
// users see it.
func ShortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Speaker roles, as `qcode speakers mark` sets them. The empty role leaves
// the choice to the speaker's name (see IsInterviewer).
const (
	RoleInterviewer = "interviewer"
	RoleParticipant = "participant"
)

// CheckRole reports whether role is one a speaker may be given.
func CheckRole(role string) error {
	switch role {
	case "", RoleInterviewer, RoleParticipant:
		return nil
	}
	return qcode.FieldError("role", role, "unknown role (no role goes by the speaker's name)", RoleInterviewer, RoleParticipant)
}

// interviewerNames are the names (lower case) that mark an interviewer:
// exactly, or followed by more ("Interviewer 2", "Researcher (JW)").
var interviewerNames = []struct {
	name   string
	prefix bool
}{{"interviewer", true}, {"researcher", true}, {"moderator", true}, {"facilitator", true}, {"i", false}, {"q", false}}

// IsInterviewer reports whether a speaker asks rather than answers, so that
// the rules leave their turns alone: role says so, or, with no role, the
// name is Interviewer…, Researcher…, Moderator…, Facilitator…, I or Q
// (ignoring case).
func IsInterviewer(name, role string) bool {
	switch role {
	case RoleInterviewer:
		return true
	case RoleParticipant:
		return false
	}
	lower := strings.ToLower(strings.TrimSpace(name))
	for _, n := range interviewerNames {
		if lower == n.name || n.prefix && strings.HasPrefix(lower, n.name) {
			return true
		}
	}
	return false
}

// DescribeRole returns a speaker's role for people to read: the role given
// to it, or the role its name implies, marked "(by name)".
func DescribeRole(name, role string) string {
	switch {
	case role != "":
		return role
	case IsInterviewer(name, ""):
		return RoleInterviewer + " (by name)"
	}
	return RoleParticipant + " (by name)"
}

// String returns a short description of c, for messages:
// "humility on P03:s41 by amina".
func (c *Coding) String() string {
	return fmt.Sprintf("%s on %s by %s", c.Code, c.Segment(), c.Coder)
}

// MemoKind is what a memo describes.
type MemoKind string

// The kinds of memo.
const (
	MemoSource MemoKind = "source"
	MemoCode   MemoKind = "code"
	MemoCoding MemoKind = "coding"
	// MemoProject is a memo on the whole project: the study's design,
	// the team's decisions, what to do next. It names nothing else.
	MemoProject MemoKind = "project"
)

// Memo is a note a coder wrote on a source, a code, a coding or the whole
// project. It names
// what it describes (its target) rather than pointing at a stored row:
// a source by name, a code by id, a coding by source, span, code and the
// coding's coder, so that rules runs and imports of the same text keep it.
type Memo struct {
	ID   int64    `json:"id"`
	Kind MemoKind `json:"kind"`
	// Source is the source a source or coding memo describes.
	Source string `json:"source,omitempty"`
	// Code is the id of the code a code or coding memo describes.
	Code string `json:"code,omitempty"`
	// Start, End and CodingCoder name a coding memo's coding: its span
	// in characters and who made it. Start and End are 0 on other memos.
	Start       int       `json:"start"`
	End         int       `json:"end"`
	CodingCoder string    `json:"coding_coder,omitempty"`
	Coder       string    `json:"coder"` // who wrote the memo
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Text        string    `json:"text"`
}

// Target names what m describes, for people: "P03", "code humility",
// "humility on P03:120-188 by rules".
func (m *Memo) Target() string {
	switch m.Kind {
	case MemoCode:
		return "code " + m.Code
	case MemoCoding:
		return fmt.Sprintf("%s on %s:%d-%d by %s", m.Code, m.Source, m.Start, m.End, m.CodingCoder)
	case MemoProject:
		return "the project"
	}
	return m.Source
}
