package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"unsafe"

	"github.com/blevesearch/mmap-go"

	"qcode"
)

// Beside the bleve index, one file, sentences.bin, holds every indexed
// sentence in the form deciding a candidate needs (spans and tokens) and
// every turn's span, speaker and text, so that a search decides its
// candidates, groups them by turn, counts them by speaker and cuts its
// hits' keyword in context without reading the store. A search maps the
// file once and reads only the records of its candidates and the turns of
// the hits it shows; their texts are not copied out of it. Like the index,
// the file is derived from the store.
//
// The file, every fixed-size number little-endian:
//
//	magic "qcsent04" (8 bytes), the number of sources (4 bytes)
//	each source, by id: its id (8), its block's offset and length (8, 8)
//	the texts of the tokens: their number (4), the end of each from the
//	    texts' start (4 each), the texts one after another
//	the blocks
//
// A token's text is stored once in the file, and a token is its text's
// number: a search decodes three small numbers a token, and the matcher
// remembers a text's type by its number (codebook.Passage.IDs). Numbers are
// kept as sources come and go; a rebuild numbers afresh.
//
// A source's block:
//
//	sentences (4 bytes), turns (4), the turns' texts' bytes (4)
//	each sentence's record offset, from the records' start (4 each)
//	each turn, 48 bytes: ord (4), speaker id (8), start, end (characters),
//	    byte start, byte end (4 each), time in milliseconds + 1, 0 when
//	    unknown (8), its first sentence's index and its sentences (4, 4),
//	    its text's offset from the texts' start (4)
//	the turns' texts, one after another, in ord order: each turn's span
//	    of the source's text, byte end − byte start bytes
//	the sentence records, every number a uvarint:
//	    ord, turn, start, end (characters), byte start, byte end,
//	    tokens: count, then each token's start − the end of the token
//	    before it (or the sentence's start; a varint, as a token may start
//	    before the last one ended), its length (characters), and its
//	    text's number

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
	ID         int32 // the text's number in the sentence file: one text, one number
}

// Turn is a speaker's turn: its span, speaker and text, and which of the
// source's sentences it holds.
type Turn struct {
	Ord                int
	Speaker            int64 // the speaker's id in the store
	Start, End         int   // characters
	ByteStart, ByteEnd int
	Time               int64 // milliseconds from the recording's start
	HasTime            bool
	First, Count       int // its sentences, by index (0-based, in ord order)
	// Text is the turn's span of the source's text, [ByteStart,
	// ByteEnd): given with a turn to add, and read from the sentence
	// file, into which it points.
	Text string
}

const (
	sentencesName  = "sentences.bin"
	sentencesMagic = "qcsent04"
	tableEntry     = 24
	blockHead      = 12
	turnSize       = 48
)

func (ix *Index) sentencesPath() string { return filepath.Join(ix.path, sentencesName) }

// SentencesPath returns the sentence file's path. Every change to the
// index writes the file anew, under this name.
func (ix *Index) SentencesPath() string { return ix.sentencesPath() }

// texts numbers token texts for the sentence file.
type texts struct {
	ids  map[string]int32
	list []string
}

func (t *texts) id(text string) int32 {
	if id, ok := t.ids[text]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = map[string]int32{}
	}
	id := int32(len(t.list))
	text = strings.Clone(text) // not the source's whole text, which text may point into
	t.list = append(t.list, text)
	t.ids[text] = id
	return id
}

// blockEncoder packs a source's block as its turns and then its sentences
// come, each in ord order and numbered from 1, numbering their tokens'
// texts: a turn's text and a sentence's record are made as they come and
// can be written out at once (the texts before the records), and only the
// turns (48 bytes each, packed in the head) and each sentence's record
// offset (4 bytes) wait for the head, which the block puts first.
type blockEncoder struct {
	source int64
	tx     *texts
	turns  []Turn
	offs   []byte // each sentence's record offset, 4 bytes each
	text   []byte // the turns' texts added and not yet taken (see takeText)
	textN  uint64 // the turns' texts' bytes so far, taken or not
	recs   []byte // the records made and not yet taken (see take)
	recN   uint64 // the records' bytes so far, taken or not
}

// turn adds the next turn, with its text. Every turn comes before the
// first sentence.
func (b *blockEncoder) turn(t Turn) error {
	if t.Ord != len(b.turns)+1 {
		return fmt.Errorf("source %d: turn %d is numbered %d", b.source, len(b.turns)+1, t.Ord)
	}
	if len(b.offs) > 0 {
		return fmt.Errorf("source %d: turn %d comes after a sentence", b.source, t.Ord)
	}
	if t.End < 0 || t.ByteEnd < 0 || uint64(t.End) > math.MaxUint32 || uint64(t.ByteEnd) > math.MaxUint32 {
		return fmt.Errorf("source %d is too long to index", b.source)
	}
	if t.ByteStart < 0 || t.ByteStart > t.ByteEnd || len(t.Text) != t.ByteEnd-t.ByteStart {
		return fmt.Errorf("source %d: turn %d's text is %d bytes, not its span's %d", b.source, t.Ord, len(t.Text), t.ByteEnd-t.ByteStart)
	}
	if b.textN+uint64(len(t.Text)) > math.MaxUint32 {
		return fmt.Errorf("source %d is too long to index", b.source)
	}
	b.text = append(b.text, t.Text...)
	b.textN += uint64(len(t.Text))
	t.First, t.Count, t.Text = 0, 0, ""
	b.turns = append(b.turns, t)
	return nil
}

// takeText returns the turns' texts added since it was last called, to be
// written after those it returned before; the slice is good until the next
// turn.
func (b *blockEncoder) takeText() []byte {
	r := b.text
	b.text = b.text[:0]
	return r
}

// sentence adds the next sentence, in a turn already added, and counts it
// in its turn, whose sentences must be together.
func (b *blockEncoder) sentence(s *Sentence) error {
	i := len(b.offs) / 4
	if s.Ord != i+1 {
		return fmt.Errorf("source %d: sentence %d is numbered %d", b.source, i+1, s.Ord)
	}
	if s.Turn < 1 || s.Turn > len(b.turns) {
		return fmt.Errorf("source %d: sentence %d is in turn %d, which the source lacks", b.source, s.Ord, s.Turn)
	}
	t := &b.turns[s.Turn-1]
	if t.Count == 0 {
		t.First = i
	} else if t.First+t.Count != i {
		return fmt.Errorf("source %d: the sentences of turn %d are not together", b.source, t.Ord)
	}
	t.Count++
	if b.recN > math.MaxUint32 {
		return fmt.Errorf("source %d has too many sentences to index", b.source)
	}
	b.offs = binary.LittleEndian.AppendUint32(b.offs, uint32(b.recN))
	n := len(b.recs)
	for _, v := range []int{s.Ord, s.Turn, s.Start, s.End, s.ByteStart, s.ByteEnd, len(s.Tokens)} {
		b.recs = binary.AppendUvarint(b.recs, uint64(v))
	}
	at := s.Start
	for _, tk := range s.Tokens {
		if tk.End < tk.Start {
			return fmt.Errorf("source %d: sentence %d has a token that ends before it starts", b.source, s.Ord)
		}
		b.recs = binary.AppendVarint(b.recs, int64(tk.Start-at)) // a token may start before the last ended
		b.recs = binary.AppendUvarint(b.recs, uint64(tk.End-tk.Start))
		b.recs = binary.AppendUvarint(b.recs, uint64(b.tx.id(tk.Text)))
		at = tk.End
	}
	b.recN += uint64(len(b.recs) - n)
	return nil
}

// take returns the records made since it was last called, to be written
// after those it returned before; the slice is good until the next
// sentence.
func (b *blockEncoder) take() []byte {
	r := b.recs
	b.recs = b.recs[:0]
	return r
}

// head returns the block's head: the sentences' and turns' counts, the
// records' offsets and the turns, each with its sentences. The records
// follow it.
func (b *blockEncoder) head() ([]byte, error) {
	if b.recN > math.MaxUint32 {
		return nil, fmt.Errorf("source %d has too many sentences to index", b.source)
	}
	ns := len(b.offs) / 4
	head := make([]byte, blockHead, blockHead+len(b.offs)+turnSize*len(b.turns))
	binary.LittleEndian.PutUint32(head, uint32(ns))
	binary.LittleEndian.PutUint32(head[4:], uint32(len(b.turns)))
	binary.LittleEndian.PutUint32(head[8:], uint32(b.textN))
	head = append(head, b.offs...)
	le := binary.LittleEndian
	textAt := 0
	for _, t := range b.turns {
		var r [turnSize]byte
		le.PutUint32(r[:], uint32(t.Ord))
		le.PutUint64(r[4:], uint64(t.Speaker))
		le.PutUint32(r[12:], uint32(t.Start))
		le.PutUint32(r[16:], uint32(t.End))
		le.PutUint32(r[20:], uint32(t.ByteStart))
		le.PutUint32(r[24:], uint32(t.ByteEnd))
		if t.HasTime {
			le.PutUint64(r[28:], uint64(t.Time)+1)
		}
		le.PutUint32(r[36:], uint32(t.First))
		le.PutUint32(r[40:], uint32(t.Count))
		le.PutUint32(r[44:], uint32(textAt))
		textAt += t.ByteEnd - t.ByteStart
		head = append(head, r[:]...)
	}
	return head, nil
}

// encodeBlock packs a source's turns and sentences, each in ord order and
// numbered from 1, into a block, numbering their tokens' texts with tx. It
// fills in each turn's sentences.
func encodeBlock(source int64, turns []Turn, ss []Sentence, tx *texts) ([]byte, error) {
	b := &blockEncoder{source: source, tx: tx}
	for _, t := range turns {
		if err := b.turn(t); err != nil {
			return nil, err
		}
	}
	for i := range ss {
		if err := b.sentence(&ss[i]); err != nil {
			return nil, err
		}
	}
	head, err := b.head()
	if err != nil {
		return nil, err
	}
	for i := range turns {
		turns[i].First, turns[i].Count = b.turns[i].First, b.turns[i].Count
	}
	return append(append(head, b.takeText()...), b.take()...), nil
}

// writeSentences writes the sentence file anew with the blocks of the
// sources in keep: each from the index's new blocks, or else from the file
// as it was. It writes a temporary file and renames it, so that a reader
// never sees half of one.
func (ix *Index) writeSentences(keep []int64) error {
	var old *SentenceFile
	if f, err := ix.OpenSentences(); err == nil {
		old = f
		defer old.Close()
	} else if qcode.ErrorCode(err) != qcode.ENOTFOUND {
		return err
	}
	keep = slices.Sorted(slices.Values(keep))
	// Each block is a source's new one, in the spill file, or else its
	// old one, in the file as it was.
	blocks := make([][]byte, len(keep))
	sizes := make([]int64, len(keep))
	for i, id := range keep {
		if at, ok := ix.blocks[id]; ok {
			sizes[i] = at.size()
			continue
		}
		if old == nil {
			return damaged(qcode.EINTERNAL, "the search index has no sentences of source %d", id)
		}
		b, err := old.raw(id)
		if err != nil {
			return err
		}
		blocks[i], sizes[i] = b, int64(len(b))
	}
	if err := ix.loadTexts(old); err != nil {
		return err
	}
	head := make([]byte, 12+tableEntry*len(keep))
	copy(head, sentencesMagic)
	binary.LittleEndian.PutUint32(head[8:], uint32(len(keep)))
	tl := ix.texts.list
	table := make([]byte, 4+4*len(tl))
	binary.LittleEndian.PutUint32(table, uint32(len(tl)))
	n := 0
	for i, t := range tl {
		n += len(t)
		binary.LittleEndian.PutUint32(table[4+4*i:], uint32(n))
	}
	if uint64(n) > math.MaxUint32 {
		return fmt.Errorf("the project has too many token texts to index")
	}
	off := uint64(len(head) + len(table) + n)
	for i, id := range keep {
		e := head[12+tableEntry*i:]
		binary.LittleEndian.PutUint64(e, uint64(id))
		binary.LittleEndian.PutUint64(e[8:], off)
		binary.LittleEndian.PutUint64(e[16:], uint64(sizes[i]))
		off += uint64(sizes[i])
	}
	tmp, err := os.CreateTemp(ix.path, ".tmp-sentences-")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	_, err = w.Write(head)
	if err == nil {
		_, err = w.Write(table)
	}
	for _, t := range tl {
		if err == nil {
			_, err = w.WriteString(t)
		}
	}
	for i, b := range blocks {
		if err != nil {
			break
		}
		if b != nil {
			_, err = w.Write(b)
			continue
		}
		at := ix.blocks[keep[i]]
		for _, part := range [][2]int64{{at.headOff, at.headN}, {at.textOff, at.textN}, {at.recOff, at.recN}} {
			var n int64
			if err == nil {
				n, err = io.Copy(w, io.NewSectionReader(ix.spill, part[0], part[1]))
			}
			if err == nil && n != part[1] {
				err = fmt.Errorf("the search index's spilled sentences of source %d are cut short", keep[i])
			}
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), ix.sentencesPath())
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return ix.dropSpill()
}

// spilled is where a source's new block is in the spill file: its head,
// and its turns' texts and its records, written before the head as they
// were made.
type spilled struct{ headOff, headN, textOff, textN, recOff, recN int64 }

func (s spilled) size() int64 { return s.headN + s.textN + s.recN }

// spillAppend writes p at the end of the spill file, a temporary file in
// the index's folder that holds the blocks made since the last Commit
// (held in memory until then, they took as much as a tenth of the source
// text), and returns where it wrote it. It makes the file when there is
// none.
func (ix *Index) spillAppend(p []byte) (int64, error) {
	if ix.spill == nil {
		f, err := os.CreateTemp(ix.path, ".tmp-blocks-")
		if err != nil {
			return 0, err
		}
		ix.spill, ix.spillEnd, ix.blocks = f, 0, map[int64]spilled{}
	}
	at := ix.spillEnd
	if _, err := ix.spill.WriteAt(p, at); err != nil {
		return 0, err
	}
	ix.spillEnd += int64(len(p))
	return at, nil
}

// dropSpill closes and removes the spill file, if any, and forgets the
// blocks in it.
func (ix *Index) dropSpill() error {
	if ix.spill == nil {
		return nil
	}
	f := ix.spill
	ix.spill, ix.spillEnd, ix.blocks = nil, 0, nil
	err := f.Close()
	if rerr := os.Remove(f.Name()); err == nil {
		err = rerr
	}
	return err
}

// SentenceFile is the open sentence file. Close it when done with
// everything read from it: token texts point into it, and a Block must not
// be used after.
type SentenceFile struct {
	m     mmap.MMap
	data  []byte
	n     int
	ends  []byte // each text's end, 4 bytes each
	texts []byte
	// blocksAt is where the blocks start, after the texts.
	blocksAt int
}

// OpenSentences maps the sentence file. A missing file is an ENOTFOUND
// error: the index is not up to date.
func (ix *Index) OpenSentences() (*SentenceFile, error) {
	f, err := os.Open(ix.sentencesPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, damaged(qcode.ENOTFOUND, "the search index has no sentence file")
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	sf := &SentenceFile{}
	if info.Size() < 12 {
		return nil, errDamaged()
	}
	if sf.m, err = mmap.Map(f, mmap.RDONLY, 0); err != nil {
		return nil, err
	}
	sf.data = sf.m
	if string(sf.data[:8]) != sentencesMagic {
		sf.Close()
		return nil, errDamaged()
	}
	sf.n = int(binary.LittleEndian.Uint32(sf.data[8:]))
	at := uint64(12 + tableEntry*sf.n)
	if at+4 > uint64(len(sf.data)) {
		sf.Close()
		return nil, errDamaged()
	}
	nt := uint64(binary.LittleEndian.Uint32(sf.data[at:]))
	if at+4+4*nt > uint64(len(sf.data)) {
		sf.Close()
		return nil, errDamaged()
	}
	sf.ends = sf.data[at+4 : at+4+4*nt]
	size := uint64(0)
	if nt > 0 {
		size = uint64(binary.LittleEndian.Uint32(sf.ends[4*(nt-1):]))
	}
	if at+4+4*nt+size > uint64(len(sf.data)) {
		sf.Close()
		return nil, errDamaged()
	}
	sf.texts = sf.data[at+4+4*nt : at+4+4*nt+size]
	sf.blocksAt = int(at + 4 + 4*nt + size)
	// Each block within the file: a file cut short is told at once, not
	// at the search that reads its last source.
	for i := range sf.n {
		e := sf.data[12+tableEntry*i:]
		off, n := binary.LittleEndian.Uint64(e[8:]), binary.LittleEndian.Uint64(e[16:])
		if off > uint64(len(sf.data)) || n > uint64(len(sf.data))-off {
			sf.Close()
			return nil, errDamaged()
		}
	}
	return sf, nil
}

func errDamaged() error {
	return damaged(qcode.EINTERNAL, "the search index's sentence file is damaged")
}

// ErrDamaged is behind every error that says the search index is damaged
// or lacks what it should hold: making it anew from the store mends it,
// which the error's Help (qcode.HelpRebuildIndex) tells a front end.
var ErrDamaged = errors.New("the search index is damaged")

// damaged returns an error with code that says what is wrong with the
// index and that rebuilding it mends it.
func damaged(code, format string, args ...any) error {
	return &qcode.Error{Code: code, Message: fmt.Sprintf(format, args...), Help: qcode.HelpRebuildIndex, Err: ErrDamaged}
}

// Close unmaps the file.
func (f *SentenceFile) Close() error {
	if f.m == nil {
		return nil
	}
	err := f.m.Unmap()
	f.m, f.data, f.ends, f.texts, f.n = nil, nil, nil, nil, 0
	return err
}

// text returns the text numbered id; the string points into the file.
func (f *SentenceFile) text(id uint64) (string, bool) {
	if id >= uint64(len(f.ends)/4) {
		return "", false
	}
	end := uint64(binary.LittleEndian.Uint32(f.ends[4*id:]))
	start := uint64(0)
	if id > 0 {
		start = uint64(binary.LittleEndian.Uint32(f.ends[4*id-4:]))
	}
	if start > end || end > uint64(len(f.texts)) {
		return "", false
	}
	if start == end {
		return "", true
	}
	return unsafe.String(&f.texts[start], end-start), true
}

// loadTexts reads the numbering of token texts from old, the sentence
// file as it is, unless the index has it already.
func (ix *Index) loadTexts(old *SentenceFile) error {
	if ix.texts != nil {
		return nil
	}
	ix.texts = &texts{}
	if old == nil {
		return nil
	}
	for id := range uint64(len(old.ends) / 4) {
		t, ok := old.text(id)
		if !ok {
			return errDamaged()
		}
		if ix.texts.id(t) != int32(id) { // one text, one number (id copies it out of the file)
			ix.texts = nil
			return errDamaged()
		}
	}
	return nil
}

// raw returns a source's block as it is in the file; a source the file
// lacks is an ENOTFOUND error.
func (f *SentenceFile) raw(id int64) ([]byte, error) {
	le := binary.LittleEndian
	lo, hi := 0, f.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int64(le.Uint64(f.data[12+tableEntry*m:])) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == f.n || int64(le.Uint64(f.data[12+tableEntry*lo:])) != id {
		return nil, damaged(qcode.ENOTFOUND, "the search index has no sentences of source %d", id)
	}
	e := f.data[12+tableEntry*lo:]
	off, n := le.Uint64(e[8:]), le.Uint64(e[16:])
	if off > uint64(len(f.data)) || n > uint64(len(f.data))-off {
		return nil, errDamaged()
	}
	return f.data[off : off+n], nil
}

// release lets the system take back the pages of the map that hold the
// blocks, all of them: they stay in its file cache and are read again from
// there when touched, as a map's pages are read the first time. Every page
// of a map a process touches counts in its resident memory until the map
// goes, and the system maps the pages around each one touched too, so a
// search whose hits are in every source of 10M words held the whole
// sentence file (60 MB, 115 MB with the turns' texts) without it, and
// still a quarter of it letting go only each block read. The token texts
// before the blocks, which every block's tokens point into, stay.
func (f *SentenceFile) release() {
	if len(f.m) == 0 || f.blocksAt >= len(f.m) {
		return
	}
	page := os.Getpagesize()
	lo := (f.blocksAt + page - 1) &^ (page - 1)
	if lo < len(f.m) {
		// Advice only: a failure leaves the pages resident, no worse.
		_ = syscall.Madvise(f.m[lo:], syscall.MADV_DONTNEED)
	}
}

// Block is one source's sentences and turns, as the sentence file holds
// them.
type Block struct {
	file   *SentenceFile
	source int64
	nsent  int
	raw    []byte // the whole block
	offs   []byte // each sentence's record offset, 4 bytes each
	turns  []byte // turnSize bytes each
	text   []byte // the turns' texts
	recs   []byte
}

// Source returns a source's block. A source the file lacks is an
// ENOTFOUND error.
func (f *SentenceFile) Source(id int64) (*Block, error) {
	raw, err := f.raw(id)
	if err != nil {
		return nil, err
	}
	if len(raw) < blockHead {
		return nil, errDamaged()
	}
	le := binary.LittleEndian
	ns, nt, tn := uint64(le.Uint32(raw)), uint64(le.Uint32(raw[4:])), uint64(le.Uint32(raw[8:]))
	head := blockHead + 4*ns + turnSize*nt
	if head+tn > uint64(len(raw)) {
		return nil, errDamaged()
	}
	return &Block{
		file:   f,
		source: id,
		nsent:  int(ns),
		raw:    raw,
		offs:   raw[blockHead : blockHead+4*ns],
		turns:  raw[blockHead+4*ns : head],
		text:   raw[head : head+tn],
		recs:   raw[head+tn:],
	}, nil
}

// Len returns the number of sentences.
func (b *Block) Len() int { return b.nsent }

// Turns returns the number of turns.
func (b *Block) Turns() int { return len(b.turns) / turnSize }

// Turn returns the i-th turn (0-based, in ord order). Its text points into
// the file: it is good until the file is closed.
func (b *Block) Turn(i int) (Turn, error) {
	if i < 0 || i >= b.Turns() {
		return Turn{}, fmt.Errorf("source %d has no turn %d", b.source, i+1)
	}
	r := b.turns[turnSize*i:]
	le := binary.LittleEndian
	t := Turn{
		Ord:       int(le.Uint32(r)),
		Speaker:   int64(le.Uint64(r[4:])),
		Start:     int(le.Uint32(r[12:])),
		End:       int(le.Uint32(r[16:])),
		ByteStart: int(le.Uint32(r[20:])),
		ByteEnd:   int(le.Uint32(r[24:])),
		First:     int(le.Uint32(r[36:])),
		Count:     int(le.Uint32(r[40:])),
	}
	if tm := le.Uint64(r[28:]); tm != 0 {
		t.Time, t.HasTime = int64(tm-1), true
	}
	if t.First > b.nsent || t.Count > b.nsent-t.First {
		return t, fmt.Errorf("source %d: turn %d's sentences are out of the file", b.source, i+1)
	}
	at, n := uint64(le.Uint32(r[44:])), uint64(t.ByteEnd)-uint64(t.ByteStart)
	if t.ByteStart > t.ByteEnd || at > uint64(len(b.text)) || n > uint64(len(b.text))-at {
		return t, fmt.Errorf("source %d: turn %d's text is out of the file", b.source, i+1)
	}
	if n > 0 {
		t.Text = unsafe.String(&b.text[at], n)
	}
	return t, nil
}

// At reads the i-th sentence (0-based, in ord order) into out, reusing its
// token slice. The tokens' texts point into the file: they are good until
// the file is closed.
func (b *Block) At(i int, out *Sentence) error {
	if i < 0 || i >= b.nsent {
		return fmt.Errorf("source %d has no sentence %d", b.source, i+1)
	}
	start := uint64(binary.LittleEndian.Uint32(b.offs[4*i:]))
	end := uint64(len(b.recs))
	if i+1 < b.nsent {
		end = uint64(binary.LittleEndian.Uint32(b.offs[4*i+4:]))
	}
	if start > end || end > uint64(len(b.recs)) {
		return fmt.Errorf("source %d: sentence %d's record is out of the file", b.source, i+1)
	}
	buf := b.recs[start:end]
	// The record's numbers are varints, nearly all of one byte, read
	// inline: this loop is most of deciding a search's candidates.
	at, bad := 0, false
	next := func() int {
		if at < len(buf) && buf[at] < 0x80 {
			at++
			return int(buf[at-1])
		}
		v, n := binary.Uvarint(buf[at:])
		if n <= 0 || v > 1<<40 {
			bad = true
			return 0
		}
		at += n
		return int(v)
	}
	out.Ord, out.Turn, out.Start, out.End, out.ByteStart, out.ByteEnd = next(), next(), next(), next(), next(), next()
	n := next()
	if bad || n > len(buf)-at {
		return fmt.Errorf("source %d: sentence %d's record does not read", b.source, i+1)
	}
	toks := slices.Grow(out.Tokens[:0], n)[:n]
	pos := out.Start
	for k := range toks {
		var gap int
		if at < len(buf) && buf[at] < 0x80 { // zigzag: the low bit is the sign
			gap = int(buf[at]>>1) ^ -int(buf[at]&1)
			at++
		} else {
			g, m := binary.Varint(buf[at:])
			if m <= 0 || g < -1<<40 || g > 1<<40 {
				return fmt.Errorf("source %d: sentence %d's record does not read", b.source, i+1)
			}
			gap, at = int(g), at+m
		}
		start := pos + gap
		end := start + next()
		id := next()
		text, ok := b.file.text(uint64(id))
		if bad || !ok {
			return fmt.Errorf("source %d: sentence %d's record does not read", b.source, i+1)
		}
		toks[k] = Token{Text: text, Start: start, End: end, ID: int32(id)}
		pos = end
	}
	out.Tokens = toks
	buf = buf[at:]
	if len(buf) != 0 {
		return fmt.Errorf("source %d: sentence %d's record does not read", b.source, i+1)
	}
	return nil
}
