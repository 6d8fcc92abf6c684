package search

import (
	"context"

	"qcode/corpus"
)

// Store is what the search engine reads from a project's store, the truth
// the index is derived from. project.Project implements it. The index holds
// only what changes with a source's text; names, cases, attributes, speakers'
// roles and codings are read from the store at each search, so that a
// change to them needs no re-indexing.
//
// Spans are [start, end) in characters of a source's text unless they are
// named bytes. Each method is one read of the store; an Engine reads more
// than one per search, so what a source id names may be gone between them
// (a source imported again gets a new id), and the engine passes over it.
type Store interface {
	// SourceStamps returns every source's id and a stamp that changes
	// whenever its text is imported again, and a digest of them all that a
	// search compares before anything else.
	SourceStamps(ctx context.Context) (stamps map[int64]string, digest string, err error)

	// IndexSource reads a source as the index takes it, in one read: turn
	// is called with each of its turns, with its text (its bytes of the
	// source's text), and then sentence with each of its sentences, in
	// order. A sentence comes with its text, its tokens (byte spans) and
	// each token's start and end in characters, two numbers a token; the
	// slices are good only during the call. A source the store lacks is a
	// qcode.ENOTFOUND error.
	IndexSource(ctx context.Context, id int64,
		turn func(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time, text string) error,
		sentence func(ord, turn int, chars, bytes corpus.Span, text string, tokens []corpus.Token, tokenChars []int) error) error

	// SourceCases calls fn with each source's id and name and its case's id
	// and name, by source name.
	SourceCases(ctx context.Context, fn func(id int64, name string, caseID int64, caseName string) error) error

	// SpeakerRoles calls fn with each speaker's id, name and role.
	SpeakerRoles(ctx context.Context, fn func(id int64, name, role string) error) error

	// AttributesByCase returns each case's attributes, by case id.
	AttributesByCase(ctx context.Context) (map[int64][]corpus.Attribute, error)

	// CodingNames returns the codes and the coders of the codings, by
	// people and by the rules, each sorted and once.
	CodingNames(ctx context.Context) (codes, coders []string, err error)

	// CodedSpans calls fn with each coding, by people and by the rules, of
	// the sources ids: its source, span, code and coder; only those of code
	// and of coder when they are not "".
	CodedSpans(ctx context.Context, ids []int64, code, coder string, fn func(source int64, start, end int, code, coder string) error) error
}
