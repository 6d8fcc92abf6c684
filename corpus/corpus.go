package corpus

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// Span is a half-open [Start, End) range of byte offsets into a Source's Text.
type Span struct {
	Start, End int
}

// Len returns the span's length in bytes.
func (s Span) Len() int { return s.End - s.Start }

// Time is a moment in a recording, in milliseconds from its start.
// NoTime marks an unknown time.
type Time int64

// NoTime is the Time of a turn whose transcript gives no timestamp.
const NoTime Time = -1

// String formats t as hh:mm:ss, with milliseconds when it has any, and ""
// for NoTime.
func (t Time) String() string {
	if t < 0 {
		return ""
	}
	ms := int64(t)
	h, m, s, f := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
	if f == 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d:%02d.%03d", h, m, s, f)
}

// Clock formats t as hh:mm:ss, a fraction of a second dropped, and "" for
// NoTime: how qcode shows a time to people (show, search, the workbook),
// one width for every time whatever the transcript gave. String keeps the
// milliseconds, for text that must say the time exactly.
func (t Time) Clock() string {
	if t < 0 {
		return ""
	}
	return (t - t%1000).String()
}

// Turn is one speaker's stretch of a transcript. Its Span covers what was
// said, without the speaker label or timestamp.
type Turn struct {
	Speaker string
	Span
	Begin, Finish Time // NoTime when unknown
	Line          int  // 1-based line (or cue, paragraph, row) where the turn starts
	Paragraphs    []Paragraph
}

// Paragraph is a stretch of a turn between blank lines (or one .docx
// paragraph). Its sentences never cross its ends.
type Paragraph struct {
	Span
	Sentences []Sentence
}

// Sentence is one sentence of a paragraph with its tokens.
type Sentence struct {
	Span
	Tokens []Token
}

// Token is one word, number or punctuation mark. Text is the exact stretch of
// the Source's Text at [Start, End).
type Token struct {
	Text       string
	Start, End int
}

// IsWord reports whether the token holds a letter or digit, which is what
// word counts count.
func (t Token) IsWord() bool {
	for _, r := range t.Text {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

// Attribute is one typed value describing a case (a participant).
type Attribute struct {
	Name  string   `json:"name"`
	Type  AttrType `json:"type"`
	Value string   `json:"value"`
}

// AttrType is the type of an attribute's values.
type AttrType string

// Attribute types.
const (
	AttrText   AttrType = "text"
	AttrNumber AttrType = "number"
	AttrDate   AttrType = "date"
)

// Source is one source as read from a file: its normalised text and turns.
// A Reader fills Name, Format, Text, Header, Turns (and for surveys Case and
// Attributes); Segment fills each turn's Paragraphs.
type Source struct {
	Name       string // source name, unique in a project
	Format     string // reader name: txt, docx, vtt, srt, csv, xlsx
	Path       string // the file it came from
	Text       string
	Header     Span // text before the first turn (title, date, notes); kept, not a turn
	Turns      []Turn
	Case       string // case the source belongs to; "" means one named like the source
	Attributes []Attribute
}

// Segmented reports whether Segment has filled the source's paragraphs. A
// source read by Parse is not: a writer may segment it piece by piece as it
// stores it (see EachSentence), which holds far less in memory than
// Segment's sentences and tokens of the whole source.
func (d *Source) Segmented() bool {
	for _, t := range d.Turns {
		if t.Paragraphs != nil {
			return true
		}
	}
	return false
}

// Speakers returns the source's speakers in order of first appearance with
// the number of turns of each.
func (d *Source) Speakers() (names []string, turns map[string]int) {
	turns = map[string]int{}
	// The names are copies: a reader's names may be substrings of the text,
	// and the caller may keep them after the source is gone. (Assigning
	// to a map with an equal key stores the new key, so the count goes
	// through the copy too.)
	copies := map[string]string{}
	for _, t := range d.Turns {
		name, ok := copies[t.Speaker]
		if !ok {
			name = strings.Clone(t.Speaker)
			copies[name] = name
			names = append(names, name)
		}
		turns[name]++
	}
	return names, turns
}

// IsDocument reports whether the source is a document rather than a
// transcript: a text without speaker labels (field notes, a report, an
// essay answer, captions that name no one), whose turns are its paragraphs
// and have no speaker.
func (d *Source) IsDocument() bool {
	for _, t := range d.Turns {
		if t.Speaker != "" {
			return false
		}
	}
	return len(d.Turns) > 0
}

// DocumentLabel is what a front end shows in place of the speaker of a
// turn that has none, which is a paragraph of a document.
const DocumentLabel = "document"

// SpeakerLabel returns the name shown for a turn's speaker: the speaker,
// or DocumentLabel for a turn that has none.
func SpeakerLabel(speaker string) string {
	if speaker == "" {
		return DocumentLabel
	}
	return speaker
}

// Hash identifies the source's content: its text, its turns and its case
// attributes. Importing a source with the same name and hash is a no-op.
func (d *Source) Hash() string {
	h := sha256.New()
	var buf [8]byte
	num := func(v int64) {
		binary.LittleEndian.PutUint64(buf[:], uint64(v))
		h.Write(buf[:])
	}
	str := func(s string) {
		num(int64(len(s)))
		h.Write([]byte(s))
	}
	str(d.Format)
	str(d.Text)
	num(int64(d.Header.Start))
	num(int64(d.Header.End))
	for _, t := range d.Turns {
		str(t.Speaker)
		num(int64(t.Start))
		num(int64(t.End))
		num(int64(t.Begin))
		num(int64(t.Finish))
	}
	str(d.Case)
	for _, a := range d.Attributes {
		str(a.Name)
		str(string(a.Type))
		str(a.Value)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Counts are a source's sizes after segmentation.
type Counts struct {
	Turns      int `json:"turns"`
	Paragraphs int `json:"paragraphs"`
	Sentences  int `json:"sentences"`
	Tokens     int `json:"tokens"`
	Words      int `json:"words"`
}

// Counts returns the source's sizes.
func (d *Source) Counts() Counts {
	c := Counts{Turns: len(d.Turns)}
	for _, t := range d.Turns {
		c.Paragraphs += len(t.Paragraphs)
		for _, p := range t.Paragraphs {
			c.Sentences += len(p.Sentences)
			for _, s := range p.Sentences {
				c.Tokens += len(s.Tokens)
				for _, tok := range s.Tokens {
					if tok.IsWord() {
						c.Words++
					}
				}
			}
		}
	}
	return c
}
