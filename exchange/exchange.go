// Package exchange is a project's content as it moves between qcode
// projects and other tools: its sources with their text and attributes,
// its codebook, its users, its codings and its memos, each with a GUID
// that stays the same from one export to the next.
//
// It is the common ground of the REFI-QDA reader and writer (refi) and of
// the application layer's import, export and merge: a .qdpx file, a .qde
// with its sources, and another qcode project folder all become a Project,
// and a Project merges into a qcode project the same way whichever it
// came from. A Project holds only domain values; it knows no file format
// and no store.
package exchange

import (
	"time"

	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// Project is everything of a project that travels.
type Project struct {
	// Name is the project's name, as the exporting tool gave it.
	Name string
	// From names where the project was read from (a file or a folder), as
	// messages about it should.
	From     string
	Codebook *codebook.Codebook
	Users    []User
	Sources  []Source
	Codings  []Coding
	Memos    []Memo
	// Summaries are the analysts' summaries of the Framework matrix's
	// cells, each naming its case and its theme's code id.
	Summaries []coding.Summary
}

// User is a coder: a person, or the rules engine.
type User struct {
	GUID string
	// Name is the coder's name as qcode keeps it on codings.
	Name string
	// Rules marks the rules engine's user: its codings are made again by
	// 'qcode code' from the codebook, so a project taking them in may
	// leave them out.
	Rules bool
}

// Source is a text source.
type Source struct {
	GUID string
	Name string
	// Text is the source's text exactly as stored: codings' offsets count
	// its code points.
	Text string
	// Format is the format it was first imported from (txt, docx, vtt…),
	// "" when unknown.
	Format string
	// Case is the case the source belongs to, "" for the source's own name.
	Case       string
	Attributes []corpus.Attribute
	CreatedAt  time.Time
}

// Coding is a code applied to a span of a source's text.
type Coding struct {
	GUID   string
	Source string // the Name of a Source of the Project
	// Start and End are the span [Start, End) in code points of the
	// source's Text.
	Start, End int
	Code       string // the ID of a code of the Project's Codebook
	Coder      string // the Name of a User of the Project
	Origin     coding.Origin
	CreatedAt  time.Time
	Memo       string
}

// Memo is a note on a source, a code, a coding or the whole project,
// with a GUID; the coding.Memo says what it describes and who wrote it.
type Memo struct {
	GUID string
	coding.Memo
}
