package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"qcode"
)

// Beside the bleve index, each source's sentences are kept in one file,
// sentences/SOURCE_ID, in the form deciding a candidate needs: spans and
// tokens, no text. Reading them from the store instead costs a query row
// and the source's whole text per candidate, many times the match itself;
// a sentence is read from a file at its offset.
// Like the index, the files are derived from the store.
//
// A file: the count of sentences (4 bytes, little-endian), the offset of
// each sentence's record (4 bytes each), then the records, every number a
// uvarint:
//
//	ord, turn, start, end (characters), byte start, byte end,
//	tokens: count, then each token's start − the sentence's start
//	(characters), its length in characters, and its text (length, bytes)

// Sentence is a sentence as a candidate is decided: spans and tokens.
type Sentence struct {
	Ord, Turn          int
	Start, End         int // characters
	ByteStart, ByteEnd int
	Tokens             []Token
}

// Token is a token of a Sentence, with its span in characters in the
// source's text.
type Token struct {
	Text       string
	Start, End int
}

const sentencesDir = "sentences"

func (ix *Index) sentencesPath(source int64) string {
	return filepath.Join(ix.path, sentencesDir, strconv.FormatInt(source, 10))
}

// writeSentences writes a source's sentences, in ord order, to its file,
// through a temporary file so that a reader never sees half of one.
func (ix *Index) writeSentences(source int64, ss []Sentence) error {
	var recs []byte
	offs := make([]byte, 4+4*len(ss))
	binary.LittleEndian.PutUint32(offs, uint32(len(ss)))
	for i, s := range ss {
		binary.LittleEndian.PutUint32(offs[4+4*i:], uint32(len(recs)))
		for _, v := range []int{s.Ord, s.Turn, s.Start, s.End, s.ByteStart, s.ByteEnd, len(s.Tokens)} {
			recs = binary.AppendUvarint(recs, uint64(v))
		}
		for _, t := range s.Tokens {
			recs = binary.AppendUvarint(recs, uint64(t.Start-s.Start))
			recs = binary.AppendUvarint(recs, uint64(t.End-t.Start))
			recs = binary.AppendUvarint(recs, uint64(len(t.Text)))
			recs = append(recs, t.Text...)
		}
	}
	if len(recs) > 1<<32-1 {
		return fmt.Errorf("source %d has too many sentences to index", source)
	}
	dir := filepath.Join(ix.path, sentencesDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(offs, recs...))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), ix.sentencesPath(source))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Sentences is a source's open sentence file. Close it.
type Sentences struct {
	f    *os.File
	offs []byte // the offsets of the records, 4 bytes each
	base int64  // where the records start
	size int64
	n    int
	buf  []byte
	all  []byte // the whole file, when Load read it
}

// Sentences opens a source's sentence file. A missing file is an
// ENOTFOUND error: the index is not up to date. Only the offsets are read
// now, and then each sentence asked for: a search wants a few of a
// source's hundreds.
func (ix *Index) Sentences(source int64) (*Sentences, error) {
	f, err := os.Open(ix.sentencesPath(source))
	if errors.Is(err, os.ErrNotExist) {
		return nil, qcode.Errorf(qcode.ENOTFOUND, "the search index has no sentences of source %d; rebuild it with 'qcode index --rebuild'", source)
	}
	if err != nil {
		return nil, err
	}
	s := &Sentences{f: f}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	s.size = info.Size()
	var head [4]byte
	if _, err := f.ReadAt(head[:], 0); err != nil {
		f.Close()
		return nil, errDamaged(source)
	}
	s.n = int(binary.LittleEndian.Uint32(head[:]))
	s.base = 4 + 4*int64(s.n)
	if s.base > s.size {
		f.Close()
		return nil, errDamaged(source)
	}
	s.offs = make([]byte, 4*s.n)
	if _, err := f.ReadAt(s.offs, 4); err != nil {
		f.Close()
		return nil, errDamaged(source)
	}
	return s, nil
}

func errDamaged(source int64) error {
	return qcode.Errorf(qcode.EINTERNAL, "the search index's sentences of source %d are damaged; rebuild it with 'qcode index --rebuild'", source)
}

// Load reads the whole file at once, for when many of its sentences are
// wanted: one read rather than one a sentence.
func (s *Sentences) Load() error {
	all := make([]byte, s.size)
	if _, err := s.f.ReadAt(all, 0); err != nil {
		return err
	}
	s.all = all
	return nil
}

// Close closes the file.
func (s *Sentences) Close() error { return s.f.Close() }

// Len returns the number of sentences.
func (s *Sentences) Len() int { return s.n }

// At reads the i-th sentence (0-based, in ord order) into out, reusing its
// token slice.
func (s *Sentences) At(i int, out *Sentence) error {
	if i < 0 || i >= s.n {
		return fmt.Errorf("no sentence %d of %d", i, s.n)
	}
	start := s.base + int64(binary.LittleEndian.Uint32(s.offs[4*i:]))
	end := s.size
	if i+1 < s.n {
		end = s.base + int64(binary.LittleEndian.Uint32(s.offs[4*i+4:]))
	}
	if start > end || end > s.size {
		return errors.New("sentence record out of the file")
	}
	var buf []byte
	if s.all != nil {
		buf = s.all[start:end]
	} else {
		if cap(s.buf) < int(end-start) {
			s.buf = make([]byte, end-start)
		}
		buf = s.buf[:end-start]
		if _, err := s.f.ReadAt(buf, start); err != nil {
			return err
		}
	}
	bad := false
	next := func() int {
		v, n := binary.Uvarint(buf)
		if n <= 0 || v > 1<<40 {
			bad = true
			return 0
		}
		buf = buf[n:]
		return int(v)
	}
	out.Ord, out.Turn, out.Start, out.End, out.ByteStart, out.ByteEnd = next(), next(), next(), next(), next(), next()
	n := next()
	if bad || n > len(buf) {
		return errors.New("sentence record does not read")
	}
	out.Tokens = out.Tokens[:0]
	for range n {
		start := out.Start + next()
		end := start + next()
		l := next()
		if bad || l > len(buf) {
			return errors.New("sentence record does not read")
		}
		out.Tokens = append(out.Tokens, Token{Text: string(buf[:l]), Start: start, End: end})
		buf = buf[l:]
	}
	return nil
}
