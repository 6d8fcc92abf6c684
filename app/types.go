package app

import "qcode/project"

// The store's plain types that front ends show, under the application
// layer's name, so that a front end need not import the store.
type (
	// SourceInfo is a source as listed: name, format, counts, attributes.
	SourceInfo = project.SourceInfo
	// Source is a source with its text, turns and sentences.
	Source = project.Source
	// Turn is one turn of a source, with its text.
	Turn = project.Turn
	// CaseInfo is a case with its sources and attributes.
	CaseInfo = project.CaseInfo
	// SpeakerInfo is a speaker with their turns and role.
	SpeakerInfo = project.SpeakerInfo
	// CodingFilter chooses codings by source, code, coder and origin.
	CodingFilter = project.CodingFilter
	// ImportResult is what an import did with one source.
	ImportResult = project.ImportResult
	// AttributeResult is what setting case attributes did.
	AttributeResult = project.AttributeResult
	// CodeDiff is what a rules run changed for one code.
	CodeDiff = project.CodeDiff
	// Rejection is a rules coding a person rejected, with who and when.
	Rejection = project.Rejection
)

// What an import did with a source (ImportResult.Status).
const (
	Imported  = project.Imported
	Replaced  = project.Replaced
	Unchanged = project.Unchanged
	Corrected = project.Corrected
)

// SchemaVersion is the version of the store's schema this qcode reads and
// writes.
func SchemaVersion() int { return project.SchemaVersion() }
