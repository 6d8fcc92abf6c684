package coding

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"unicode/utf8"

	"qcode"
	"qcode/codebook"
	"qcode/corpus"
)

// StreamOptions says how Stream reads and codes its records.
type StreamOptions struct {
	// Unit is what one set of codes is matched over: "record" (the whole
	// text, the default), "paragraph" or "sentence". A rule that needs two
	// words in one sentence still sees sentence bounds in a record.
	Unit string
	// TextField is the name of the field that holds the text to code;
	// "" is "text".
	TextField string
	// KeepGoing skips malformed lines, and counts them, instead of stopping
	// at the first.
	KeepGoing bool
	// MaxLine is the longest line, in bytes, that is read (0 is
	// DefaultMaxLine).
	// Memory use grows with it, not with the input.
	MaxLine int
	// Workers is how many records are coded at once (0 is GOMAXPROCS).
	Workers int
	// Name is what errors call the input: "stdin:12: …" ("" is "stdin").
	Name string
}

// StreamStats counts what Stream did.
type StreamStats struct {
	Records int // records written
	Skipped int // malformed lines skipped (KeepGoing)
	Codings int // elements of the codes arrays written
	Words   int // words (tokens with a letter or digit) coded
	// NotUTF8 counts the records whose text held bytes that are not
	// UTF-8: each such byte was coded as U+FFFD and written back as it
	// came, which a caller should tell the user.
	NotUTF8 int
}

// Stream units.
const (
	streamRecord    = "record"
	streamParagraph = "paragraph"
	streamSentence  = "sentence"
)

// DefaultMaxLine is the longest record Stream reads unless told otherwise.
// Coding a record takes some 80 times its size in memory (its tokens,
// their offsets and the matches), so a longer one is refused rather than
// let exhaust memory; a caller that has the memory may raise it.
const DefaultMaxLine = 8 << 20

// Stream codes newline-delimited JSON: it reads one object a line from r,
// tokenises its text as import does, runs m's rules over it, and writes the
// object to w, in input order, with a "codes" array added (replacing any
// "codes" it had):
//
//	{"id":7,"text":"We learnt humility.","codes":[{"code":"humility","path":"Learning > Humility","start":0,"end":19,"matches":[{"tokens":[{"start":9,"end":17,"text":"humility"}],"negated":false}],"negated":false}]}
//
// Each element is one code on one segment, as Applier makes one Coding,
// however many matches there are: "matches" holds every match in the JSON
// form of Match, and "negated" is true only when every match is negated.
// The segment is the unit: for "record" the whole record (start is 0 and
// end the text's length), for "sentence" and "paragraph" that sentence or
// paragraph. All offsets, the segment's and the tokens', count code points
// into the text ([]rune(text)[start:end]). Every other field is written
// back byte for byte; the keys keep their order. Empty lines are skipped.
//
// Stream holds only a bounded number of records in memory at once however
// long its input, and codes them on opts.Workers goroutines, each with its
// own clone of m. A malformed line (not JSON, not an object, no text field,
// text not a string, longer than MaxLine) stops it with a *LineError
// (wrapped in a qcode.EINVALID error) after the records before it are
// written, unless KeepGoing. It returns ctx's error if ctx ends first.
func Stream(ctx context.Context, r io.Reader, w io.Writer, m *codebook.Matcher, opts StreamOptions) (StreamStats, error) {
	if opts.Name == "" {
		opts.Name = "stdin"
	}
	if err := opts.check(); err != nil {
		return StreamStats{}, err
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the reader and workers when we return early

	// Batches circulate: free → reader → work → a worker → done → writer →
	// free. Their number bounds both memory and the reorder buffer.
	nb := 2*opts.Workers + 2
	free := make(chan *batch, nb)
	for range nb {
		free <- &batch{}
	}
	work := make(chan *batch, nb)
	done := make(chan *batch, nb)

	go readBatches(ctx, r, opts, free, work)
	finished := make(chan struct{})
	for range opts.Workers {
		c := newRecordCoder(m, opts)
		go func() {
			defer func() { finished <- struct{}{} }()
			for b := range work {
				c.code(b)
				select {
				case done <- b:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		for range opts.Workers {
			<-finished
		}
		close(done)
	}()

	var stats StreamStats
	pending := make(map[int]*batch, nb)
	next := 0
	for {
		var b *batch
		var ok bool
		select {
		case b, ok = <-done:
		case <-ctx.Done():
			return stats, ctx.Err()
		}
		if !ok {
			break
		}
		pending[b.seq] = b
		for b := pending[next]; b != nil; b = pending[next] {
			delete(pending, next)
			next++
			if len(b.out) > 0 {
				if _, err := w.Write(b.out); err != nil {
					return stats, err
				}
			}
			stats.Records += b.stats.Records
			stats.Skipped += b.stats.Skipped
			stats.Codings += b.stats.Codings
			stats.Words += b.stats.Words
			stats.NotUTF8 += b.stats.NotUTF8
			if err := cmp.Or(b.werr, b.err); err != nil {
				return stats, err
			}
			b.reset()
			free <- b
		}
	}
	if err := ctx.Err(); err != nil {
		return stats, err
	}
	return stats, nil
}

// check checks opts and fills in the defaults of Unit, TextField and
// MaxLine.
func (opts *StreamOptions) check() error {
	switch opts.Unit {
	case "":
		opts.Unit = streamRecord
	case streamRecord, streamParagraph, streamSentence:
	default:
		return qcode.FieldError("unit", opts.Unit, "cannot stream with that unit", streamRecord, streamParagraph, streamSentence)
	}
	switch opts.TextField {
	case "":
		opts.TextField = "text"
	case "codes":
		return qcode.Errorf(qcode.EINVALID, `the text to code cannot be in "codes": that is where the codes go`)
	}
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	return nil
}

// RecordCoder codes one NDJSON record at a time, exactly as Stream codes
// each line: Stream runs one RecordCoder on each of its workers. It is for
// engines that hand records over one by one, such as a step of a
// distributed pipeline (examples/beam runs one inside Apache Beam).
//
// A RecordCoder is not safe for concurrent use: make one per goroutine.
// Making one costs little next to compiling the codebook into the Matcher,
// which they share.
type RecordCoder struct {
	sw *streamWorker
}

// NewRecordCoder returns a RecordCoder with m's rules. It reads opts.Unit,
// TextField, MaxLine and Name as Stream does (Name is what errors call the
// input; "" for none) and ignores KeepGoing and Workers: what to do with a
// malformed record is the caller's choice.
func NewRecordCoder(m *codebook.Matcher, opts StreamOptions) (*RecordCoder, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	return newRecordCoder(m, opts), nil
}

func newRecordCoder(m *codebook.Matcher, opts StreamOptions) *RecordCoder {
	return &RecordCoder{sw: newStreamWorker(m.Clone(), opts)}
}

// AppendRecord appends to out the coded form of record, one line of NDJSON
// without its line break, as Stream writes it (ending in a line break), and
// adds to st what it did. A blank record appends nothing, as Stream skips
// blank lines. A malformed record appends nothing and returns a
// qcode.EINVALID error that wraps a *LineError (with no line number: the
// caller knows where the record came from, if anyone does).
func (c *RecordCoder) AppendRecord(out, record []byte, st *StreamStats) ([]byte, error) {
	if len(record) > c.sw.opts.MaxLine {
		return out, c.lineError(&LineError{Problem: LineTooLong, Detail: byteSize(c.sw.opts.MaxLine)}, 0)
	}
	return c.appendRecord(out, record, "", st)
}

// appendRecord is AppendRecord for a record that may also be given as a
// string (recordStr, else "").
func (c *RecordCoder) appendRecord(out, record []byte, recordStr string, st *StreamStats) ([]byte, error) {
	if len(bytes.TrimSpace(record)) == 0 {
		return out, nil
	}
	n := len(out)
	out, le := c.sw.record(out, record, recordStr, st)
	if le != nil {
		return out[:n], c.lineError(le, 0)
	}
	st.Records++
	return out, nil
}

// lineError names le's input and line and wraps it as a user's error.
func (c *RecordCoder) lineError(le *LineError, line int) error {
	le.Name, le.Line = c.sw.opts.Name, line
	return &qcode.Error{Code: qcode.EINVALID, Message: le.Error(), Err: le}
}

// batch is a run of input lines and, once coded, their output.
type batch struct {
	seq   int
	data  []byte    // the lines, back to back, without their newlines
	lines []lineRef // where each line is in data
	err   error     // the reader stopped after these lines: a read error or a line too long

	out   []byte      // the coded records, one a line
	stats StreamStats // what coding these lines did
	werr  error       // a malformed line stopped coding this batch
}

type lineRef struct{ start, end, num int }

// batchBytes and batchLines bound a batch: big enough that handing it
// between goroutines costs nothing next to coding it.
const (
	batchBytes = 256 << 10
	batchLines = 2048
	// keepBytes is the most a batch's buffers keep between uses, so that
	// one huge line does not hold its memory for good.
	keepBytes = 4 << 20
)

func (b *batch) reset() {
	if cap(b.data) > keepBytes {
		b.data = nil
	}
	if cap(b.out) > keepBytes {
		b.out = nil
	}
	*b = batch{data: b.data[:0], lines: b.lines[:0], out: b.out[:0]}
}

// readBatches splits r into lines and sends them to work in batches,
// numbered in order. It sends a batch early when the next read would wait
// for input, so a slow producer's records are not held back.
func readBatches(ctx context.Context, r io.Reader, opts StreamOptions, free <-chan *batch, work chan<- *batch) {
	defer close(work)
	br := bufio.NewReaderSize(r, 256<<10)
	seq, num := 0, 0
	var b *batch
	send := func() bool {
		b.seq = seq
		seq++
		select {
		case work <- b:
			b = nil
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		if b == nil {
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			if cap(b.data) == 0 {
				// Room for a full batch at once, rather than growing to it.
				b.data = make([]byte, 0, batchBytes+batchBytes/8)
			}
		}
		if ctx.Err() != nil {
			return
		}
		num++
		start := len(b.data)
		var err error
		tooLong := false
		for {
			var frag []byte
			frag, err = br.ReadSlice('\n')
			if !tooLong {
				if len(b.data)-start+len(frag) > opts.MaxLine+2 { // +2: room for \r\n
					tooLong = true
					b.data = b.data[:start]
				} else {
					b.data = append(b.data, frag...)
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		end := len(b.data)
		for end > start && (b.data[end-1] == '\n' || b.data[end-1] == '\r') {
			end--
		}
		line := b.data[start:end]
		b.data = b.data[:end]
		if len(line) > opts.MaxLine {
			tooLong = true
			b.data = b.data[:start]
		}
		if tooLong {
			if opts.KeepGoing {
				b.stats.Skipped++
			} else {
				b.err = &LineError{Name: opts.Name, Line: num, Problem: LineTooLong, Detail: byteSize(opts.MaxLine)}
				send()
				return
			}
		} else if len(bytes.TrimSpace(line)) > 0 {
			b.lines = append(b.lines, lineRef{start, len(b.data), num})
		} else if err == io.EOF && len(line) == 0 {
			num-- // no last line after the final newline
		}
		if err != nil {
			if err != io.EOF {
				b.err = fmt.Errorf("reading %s: %w", opts.Name, err)
			}
			send()
			return
		}
		if len(b.data) >= batchBytes || len(b.lines) >= batchLines || br.Buffered() == 0 {
			if !send() {
				return
			}
		}
	}
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// LineError is a malformed input line.
type LineError struct {
	Name    string // the input: "stdin"
	Line    int    // 1-based; 0 when the caller does not know it (RecordCoder)
	Problem LineProblem
	Field   string // the text field, for LineNoText and LineTextNotString
	Detail  string // the JSON error, the kind of value found, or the size limit
}

// LineProblem says what is wrong with a line.
type LineProblem int

// What can be wrong with a line.
const (
	LineNotJSON       LineProblem = iota + 1 // Detail: the parser's message
	LineNotObject                            // Detail: what it is instead ("an array")
	LineNoText                               // no Field member
	LineTextNotString                        // Detail: what it is instead ("a number")
	LineTooLong                              // Detail: the limit ("8 MiB")
)

func (e *LineError) Error() string {
	var msg string
	switch e.Problem {
	case LineNotJSON:
		msg = "not valid JSON (" + e.Detail + "); each line must be one JSON object such as {\"id\": 1, \"text\": \"…\"}"
	case LineNotObject:
		msg = e.Detail + ", not a JSON object; each line must be one object such as {\"id\": 1, \"text\": \"…\"}"
	case LineNoText:
		msg = fmt.Sprintf("no %q field; each object needs the text to code, as a string, in %q", e.Field, e.Field)
	case LineTextNotString:
		msg = fmt.Sprintf("%q is %s, not a string; the text to code must be a JSON string", e.Field, e.Detail)
	case LineTooLong:
		msg = "line longer than " + e.Detail + ", the longest record that is read; split the record"
	default:
		msg = e.Detail
	}
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, msg)
	case e.Name != "":
		return e.Name + ": " + msg
	}
	return msg
}

// streamWorker codes batches. Each has its own Matcher and buffers.
type streamWorker struct {
	m     *codebook.Matcher
	opts  StreamOptions
	field []byte

	members []member
	unit    codebook.Passage // the record's tokens
	hits    []codebook.Hit
	head    map[*codebook.Code][]byte // `{"code":"id","path":"A > B",` per code
	runeAt  []int                     // code-point offsets of token starts and ends (2 per token)
	toks    []corpus.Token            // the record's tokens, reused between records
	sent    []int32                   // the sentence of each token
	textBuf []byte                    // the text of a record whose text holds escapes
	ascii   int8                      // this record's text is: 0 not yet known, 1 ASCII, 2 not (and runeAt holds its offsets)
}

func newStreamWorker(m *codebook.Matcher, opts StreamOptions) *streamWorker {
	return &streamWorker{m: m, opts: opts, field: []byte(opts.TextField), head: map[*codebook.Code][]byte{}}
}

// code codes every line of b into b.out, stopping at the first malformed
// line unless KeepGoing.
func (c *RecordCoder) code(b *batch) {
	// One string of the whole batch, so that each record's text is a part
	// of it rather than a copy of its own.
	data := string(b.data)
	if want := len(b.data) + len(b.data)/4; cap(b.out) < want {
		b.out = make([]byte, 0, want) // the records and, mostly, a few codes
	}
	for _, l := range b.lines {
		var err error
		b.out, err = c.appendRecord(b.out, b.data[l.start:l.end], data[l.start:l.end], &b.stats)
		if err == nil {
			continue
		}
		if c.sw.opts.KeepGoing {
			b.stats.Skipped++
			continue
		}
		var le *LineError
		errors.As(err, &le)
		b.werr = c.lineError(le, l.num)
		return
	}
	if le, ok := b.err.(*LineError); ok {
		b.err = &qcode.Error{Code: qcode.EINVALID, Message: le.Error(), Err: le}
	}
}

// record appends the coded form of one line to out. lineStr, when not
// "", is line as a string, whose text is then used where it stands
// rather than copied.
func (sw *streamWorker) record(out, line []byte, lineStr string, st *StreamStats) ([]byte, *LineError) {
	ms, open, closing, ok := scanLine(line, sw.members[:0])
	sw.members = ms
	if !ok {
		var v json.RawMessage
		err := json.Unmarshal(line, &v)
		detail := "invalid"
		var se *json.SyntaxError
		if errors.As(err, &se) {
			detail = fmt.Sprintf("at byte %d: %s", se.Offset, se.Error())
		} else if err != nil {
			detail = err.Error()
		}
		return out, &LineError{Problem: LineNotJSON, Detail: detail}
	}
	if open < 0 {
		return out, &LineError{Problem: LineNotObject, Detail: kindOf(line[closing])}
	}
	textAt, hasCodes := -1, false
	for i := range ms {
		switch {
		case keyIs(line, &ms[i], sw.field):
			textAt = i // the last of duplicate keys wins, as in encoding/json
		case keyIs(line, &ms[i], codesKey):
			hasCodes = true
		}
	}
	if textAt < 0 {
		return out, &LineError{Problem: LineNoText, Field: sw.opts.TextField}
	}
	mt := &ms[textAt]
	v := line[mt.val:mt.end]
	if v[0] != '"' {
		return out, &LineError{Problem: LineTextNotString, Field: sw.opts.TextField, Detail: kindOf(v[0])}
	}
	valid := mt.str&strHigh == 0 || utf8.Valid(v)
	if !valid {
		st.NotUTF8++
	}
	var text string
	switch {
	case mt.str&strEscape != 0 || !valid:
		sw.textBuf = appendUnquoted(sw.textBuf[:0], v)
		text = string(sw.textBuf)
	case lineStr != "":
		text = lineStr[mt.val+1 : mt.end-1]
	default:
		text = string(v[1 : len(v)-1])
	}
	sw.ascii = 0
	if mt.str == 0 {
		sw.ascii = 1 // neither escapes nor bytes beyond ASCII
	}

	// The record as it was, without a "codes" it had and its closing brace.
	if !hasCodes {
		end := closing
		for end > 0 && isJSONSpace(line[end-1]) {
			end--
		}
		out = append(out, line[:end]...)
		if len(ms) > 0 {
			out = append(out, ',')
		}
	} else {
		out = append(out, '{')
		n := 0
		for _, mb := range ms {
			if keyIs(line, &mb, codesKey) {
				continue
			}
			if n > 0 {
				out = append(out, ',')
			}
			out = append(out, line[mb.key:mb.end]...)
			n++
		}
		if n > 0 {
			out = append(out, ',')
		}
	}
	out = append(out, `"codes":[`...)
	out = sw.codes(out, text, st)
	return append(out, "]}\n"...), nil
}

var codesKey = []byte("codes")

// codes tokenises and codes text and appends the elements of its codes
// array to out.
func (sw *streamWorker) codes(out []byte, text string, st *StreamStats) []byte {
	defer func() {
		sw.hits = sw.hits[:0]
		if cap(sw.toks) > keepBytes/8 {
			// A huge record's tokens are not kept for the next.
			sw.toks, sw.sent = nil, nil
		}
	}()
	// The tokens first, without sentences: in most records no rule has a
	// word, and then nothing more is needed.
	sw.toks = corpus.AppendTokens(sw.toks[:0], text)
	for _, t := range sw.toks {
		if isWordToken(t) {
			st.Words++
		}
	}
	sw.unit.Reset()
	for _, t := range sw.toks {
		sw.unit.Tokens = append(sw.unit.Tokens, t.Text)
	}
	if !sw.m.MayMatch(sw.unit) {
		return out
	}
	sw.toks, sw.sent, _ = corpus.AppendWords(sw.toks[:0], sw.sent[:0], text, 0)
	toks, sent := sw.toks, sw.sent
	SetPassage(&sw.unit, toks, sent)
	words := sw.unit.Tokens
	first := true
	// match codes tokens [a, b) as one segment and writes one element per
	// code that matched it, as Applier makes one Coding: the segment's
	// span, every match with its tokens, negated only if every match is.
	match := func(a, b int) {
		sw.hits = sw.m.Match(sw.unit.Slice(a, b), sw.hits[:0])
		if len(sw.hits) == 0 {
			return
		}
		var start, end int
		if sw.opts.Unit == streamRecord {
			start, end = 0, sw.runeLen(text, toks)
		} else {
			start, end = sw.runeOffset(text, toks, 2*a), sw.runeOffset(text, toks, 2*(b-1)+1)
		}
		for _, h := range sw.hits {
			if !first {
				out = append(out, ',')
			}
			first = false
			st.Codings++
			out = append(out, sw.headOf(h.Code)...)
			out = append(out, `"start":`...)
			out = strconv.AppendInt(out, int64(start), 10)
			out = append(out, `,"end":`...)
			out = strconv.AppendInt(out, int64(end), 10)
			out = append(out, `,"matches":[`...)
			negated := true
			for i, m := range h.Matches {
				if i > 0 {
					out = append(out, ',')
				}
				out = append(out, `{"tokens":[`...)
				for j, k := range m.Tokens {
					if j > 0 {
						out = append(out, ',')
					}
					out = append(out, `{"start":`...)
					out = strconv.AppendInt(out, int64(sw.runeOffset(text, toks, 2*(a+k))), 10)
					out = append(out, `,"end":`...)
					out = strconv.AppendInt(out, int64(sw.runeOffset(text, toks, 2*(a+k)+1)), 10)
					out = append(out, `,"text":`...)
					out = appendString(out, words[a+k])
					out = append(out, '}')
				}
				out = append(out, `],"negated":`...)
				out = strconv.AppendBool(out, m.Negated)
				out = append(out, '}')
				negated = negated && m.Negated
			}
			out = append(out, `],"negated":`...)
			out = strconv.AppendBool(out, negated)
			out = append(out, '}')
		}
	}
	if len(toks) == 0 {
		return out
	}
	switch sw.opts.Unit {
	case streamRecord:
		match(0, len(toks))
	case streamSentence:
		for a := 0; a < len(toks); {
			b := a + 1
			for b < len(toks) && sent[b] == sent[a] {
				b++
			}
			match(a, b)
			a = b
		}
	case streamParagraph:
		for a := 0; a < len(toks); {
			b := a + 1
			for b < len(toks) && (sent[b] == sent[b-1] || !blankLineIn(text[toks[b-1].End:toks[b].Start])) {
				b++
			}
			match(a, b)
			a = b
		}
	}
	return out
}

// isWordToken is t.IsWord, answered from the first byte for a token that
// starts with an ASCII letter or digit, as most do.
func isWordToken(t corpus.Token) bool {
	if t.Text == "" {
		return false
	}
	if c := t.Text[0]; c < utf8.RuneSelf {
		if c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' {
			return true
		}
		if len(t.Text) == 1 {
			return false
		}
	}
	return t.IsWord()
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// blankLineIn reports whether the gap between two sentences holds a blank
// line, which is where corpus splits paragraphs.
func blankLineIn(gap string) bool {
	for i := 0; i < len(gap); i++ {
		if gap[i] != '\n' {
			continue
		}
		for j := i + 1; j < len(gap); j++ {
			switch gap[j] {
			case ' ', '\t', '\f', '\r':
				continue
			case '\n':
				return true
			}
			break
		}
	}
	return false
}

// runeOffset converts boundary k of the tokens (2i is token i's start,
// 2i+1 its end) to an offset in code points. The table is built once per
// record, and only for text that is not ASCII.
func (sw *streamWorker) runeOffset(text string, toks []corpus.Token, k int) int {
	t := toks[k/2]
	byteOff := t.Start
	if k%2 == 1 {
		byteOff = t.End
	}
	if sw.isASCIIText(text, toks) {
		return byteOff
	}
	return sw.runeAt[k]
}

// runeLen returns the length of text in code points. toks must not be
// empty.
func (sw *streamWorker) runeLen(text string, toks []corpus.Token) int {
	if sw.isASCIIText(text, toks) {
		return len(text)
	}
	last := len(toks) - 1 // counted already: only what follows it is left
	return sw.runeAt[2*last+1] + utf8.RuneCountInString(text[toks[last].End:])
}

// isASCIIText reports whether this record's text is ASCII, finding out on
// the first call for the record and, if it is not, building the table of
// its tokens' code-point offsets.
func (sw *streamWorker) isASCIIText(text string, toks []corpus.Token) bool {
	if sw.ascii == 0 {
		sw.ascii = 1
		if !isASCII(text) {
			sw.ascii = 2
			sw.runeAt = runeOffsets(text, toks, sw.runeAt[:0])
		}
	}
	return sw.ascii == 1
}

// runeOffsets appends to at the code-point offsets of each token's start
// and end.
func runeOffsets(text string, toks []corpus.Token, at []int) []int {
	pos, n := 0, 0
	for _, t := range toks {
		if t.Start < pos {
			pos, n = 0, 0
		}
		n += utf8.RuneCountInString(text[pos:t.Start])
		pos = t.Start
		at = append(at, n)
		n += utf8.RuneCountInString(text[pos:t.End])
		pos = t.End
		at = append(at, n)
	}
	return at
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// headOf returns the start of a code's element, built once per code.
func (sw *streamWorker) headOf(c *codebook.Code) []byte {
	h, ok := sw.head[c]
	if !ok {
		h = append(h, `{"code":`...)
		h = appendString(h, c.ID)
		h = append(h, `,"path":`...)
		h = appendString(h, c.Path())
		h = append(h, ',')
		sw.head[c] = h
	}
	return h
}

// keyIs reports whether the key of m, a member of line, names want.
func keyIs(line []byte, m *member, want []byte) bool {
	raw := line[m.key:m.keyEnd]
	if !m.keyEsc {
		return bytes.Equal(raw[1:len(raw)-1], want)
	}
	return bytes.Equal(appendUnquoted(nil, raw), want)
}

// kindOf names the kind of JSON value that starts with c.
func kindOf(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// appendString appends s as a JSON string. Like encoding/json with HTML
// escaping off, it escapes quotes, backslashes, control characters and
// U+2028 and U+2029, and writes invalid UTF-8 as U+FFFD.
func appendString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			out = append(out, s[start:i]...)
			switch c {
			case '"', '\\':
				out = append(out, '\\', c)
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			default:
				out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(out, s[start:i]...)
			out = append(out, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			out = append(out, s[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}
