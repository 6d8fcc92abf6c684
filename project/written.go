package project

import (
	"strconv"
	"time"

	"qcode/corpus"
)

// WrittenSource is a source a merge has just written, in its transaction,
// as the search index takes it: so that the index can be made while the
// store writes, from the source in memory rather than read back once the
// store has committed (see MergeInput.Written).
type WrittenSource struct {
	ID int64
	// Stamp is the source's stamp as SourceStamps gives it once the
	// transaction has committed.
	Stamp    string
	doc      *corpus.Source
	speakers []int64 // each turn's speaker's id
}

// sourceStamp is a source's stamp as SourceStamps makes it in SQL.
func sourceStamp(hash string, importedAt time.Time, sentences int) string {
	return hash + " " + importedAt.Format(time.RFC3339) + " " + strconv.Itoa(sentences)
}

// Read gives the source's turns and sentences exactly as IndexSource reads
// them back from the store, from the source in memory: turn with each of
// its turns and its text, then sentence with each of its sentences, in order, each
// sentence with its text, its tokens and each token's start and end in
// characters. The slices are good only during the call. It may be called
// on another goroutine than the transaction's, and after it.
func (s *WrittenSource) Read(
	turn func(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time, text string) error,
	sentence func(ord, turn int, chars, bytes corpus.Span, text string, tokens []corpus.Token, tokenChars []int) error) error {
	d := s.doc
	runes := corpus.NewRunes(d.Text)
	for i, t := range d.Turns {
		chars := corpus.Span{Start: runes.Offset(t.Start), End: runes.Offset(t.End)}
		if err := turn(i+1, s.speakers[i], chars, t.Span, t.Begin, d.Text[t.Start:t.End]); err != nil {
			return err
		}
	}
	runes = corpus.NewRunes(d.Text)
	var toks []corpus.Token
	var tokChars []int
	return walkSegments(d,
		func(int, *corpus.Turn) error { return nil },
		func(ord, turn int, st corpus.Sentence) error {
			chars := corpus.Span{Start: runes.Offset(st.Start), End: runes.Offset(st.End)}
			// The store keeps a token's span and gives back its text
			// as the stretch of the source's text it spans.
			toks = toks[:0]
			for _, t := range st.Tokens {
				toks = append(toks, corpus.Token{Text: d.Text[t.Start:t.End], Start: t.Start, End: t.End})
			}
			tokChars = tokenChars(tokChars[:0], d.Text, st.Start, chars.Start, toks)
			return sentence(ord, turn, chars, st.Span, d.Text[st.Start:st.End], toks, tokChars)
		},
		func(_, _ int, _ corpus.Span, sentences func() error) error { return sentences() })
}
