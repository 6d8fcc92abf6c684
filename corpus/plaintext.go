package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode"
	"qcode/textfile"
)

// PlainText reads .txt and .md transcripts, finding turns from speaker labels
// at the start of lines (see detectTurns).
type PlainText struct{}

// Read reads one plain-text transcript.
func (PlainText) Read(in Input) ([]*Source, error) {
	text, err := textfile.Decode(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	// The raw bytes are not needed past here: let them go, so that a
	// large transcript is not held twice while its turns are found.
	in.Data = nil
	header, turns, err := detectTurns(in, text)
	if err != nil {
		return nil, err
	}
	return []*Source{{Name: SourceName(in.Path), Text: text, Header: header, Turns: turns}}, nil
}

// Label styles, from the most to the least explicit.
const (
	styleNone    = iota
	styleBracket // [Name] text
	styleColon   // Name: text
	styleShort   // I<TAB>text, R<2+ spaces>text
)

// line is what one line of a transcript says about turns.
type line struct {
	start, end int // byte span of the line in the text, without its LF
	num        int // 1-based line number
	blank      bool
	style      int    // label style, styleNone when the line has no label
	speaker    string // the label's name
	body       int    // where the words start, after label and timestamps
	time       Time
	timeOnly   bool // the line holds a timestamp and nothing else
}

// detectTurns finds the header and the turns of a transcript in qcode's plain
// form. A turn starts at a line that begins with a speaker label, optionally
// with a timestamp before or after it:
//
//	Interviewer: So how did it start?
//	[00:03:17] Grace Akello: It started in 2019.
//	Dr Mulenga: 00:12:05:14 Well, I think…
//	[Tom] Yeah, so…
//	I<TAB>00:01:05<TAB>Tell me about the link.
//	#00:02:14.5# Q    And how…
//
// Lines without a label continue the turn before them (wrapped lines,
// indented lines, further paragraphs). Text before the first turn is the
// header. A label counts as a speaker only when it labels two or more lines
// (a lone "Date:" or "Note:" is text), and only labels of the file's most
// used style count, so a "Name:" inside a [Name]-labelled file is text too.
//
// A text whose speakers' labels open too few of its paragraphs (see
// labelledText) is a document: field notes, a report, an essay answer. Its
// paragraphs become turns with no speaker (see documentTurns). A speaker
// pattern says the text is a transcript, so it finds turns or fails.
func detectTurns(in Input, text string) (Span, []Turn, error) {
	if strings.TrimSpace(text) == "" {
		return Span{}, nil, inputErr(in.Path, 0, "file is empty; nothing to import")
	}
	lines := splitLines(text)
	if in.SpeakerPattern != nil {
		if err := labelByPattern(in, text, lines); err != nil {
			return Span{}, nil, err
		}
	} else {
		for i := range lines {
			parseLabel(text, &lines[i])
		}
		keepSpeakers(lines)
		if !labelledText(text, lines) {
			return Span{}, documentTurns(text, lines), nil
		}
	}
	header, turns := buildTurns(text, lines)
	if len(turns) == 0 {
		// Quoted, not the error's Value: a pattern often ends in a colon or a space.
		return Span{}, nil, qcode.FieldError("speaker_pattern", "", fmt.Sprintf("%q matched no line of %s that has words after it; check the pattern against a line of the file", in.SpeakerPattern, in.Path))
	}
	return header, turns, nil
}

// labelledText reports whether a text is a transcript: whether the lines
// that start with a speaker's label (as keepSpeakers left them) open at
// least a third of its paragraphs. A paragraph starts at a line after a
// blank line or after a line that ends a sentence (a file may hold one
// paragraph a line), and at every labelled line. So a transcript whose
// answers run to several paragraphs is one, while field notes in which a
// few paragraphs start "Note:" or "Summary:" are a document, not turns of
// speakers called Note and Summary.
func labelledText(text string, lines []line) bool {
	paragraphs, labelled := 0, 0
	opens := true
	for _, l := range lines {
		if l.blank {
			opens = true
			continue
		}
		if l.style != styleNone {
			labelled++
			paragraphs++
		} else if opens {
			paragraphs++
		}
		opens = endsSentence(text[l.start:l.end])
	}
	return labelled > 0 && 3*labelled >= paragraphs
}

// endsSentence reports whether a line ends with a sentence's last mark,
// allowing for closing quotes and brackets after it.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \t\r\"'”’)]*_")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!' || r == '…' || r == ':'
}

// documentTurns makes a document's turns: one a paragraph, with no speaker.
// Paragraphs are separated by blank lines; in a text with none (a file
// saved one paragraph a line) a paragraph ends at a line that ends a
// sentence, so that a line wrapped mid-sentence does not cut it. A
// paragraph that opens with a timestamp, as a caption file without voices
// is written, starts at that time, and the timestamp stays out of its span.
func documentTurns(text string, lines []line) []Turn {
	// blank: a blank line stands between two lines of text.
	blank, text1, gap := false, false, false
	for _, l := range lines {
		switch {
		case !l.blank && text1 && gap:
			blank = true
		case !l.blank:
			text1 = true
		case text1:
			gap = true
		}
	}
	var turns []Turn
	add := func(first line, end int) {
		t := Turn{Span: Span{first.start, end}, Begin: NoTime, Finish: NoTime, Line: first.num}
		if at, n := leadingTime(text[first.start:first.end]); n > 0 && skipSpace(text, first.start+n, first.end) < first.end {
			t.Begin, t.Start = at, first.start+n
		}
		if t.Span = trimSpan(text, t.Span); t.Len() > 0 {
			turns = append(turns, t)
		}
	}
	for i := 0; i < len(lines); i++ {
		if lines[i].blank {
			continue
		}
		j := i
		for j+1 < len(lines) && !lines[j+1].blank && (blank || !endsSentence(text[lines[j].start:lines[j].end])) {
			j++
		}
		add(lines[i], lines[j].end)
		i = j
	}
	return turns
}

func splitLines(text string) []line {
	lines := make([]line, 0, strings.Count(text, "\n")+1)
	for start, num := 0, 1; start <= len(text); num++ {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		l := line{start: start, end: end, num: num, time: NoTime}
		l.blank = strings.TrimSpace(text[start:end]) == ""
		lines = append(lines, l)
		if end == len(text) {
			break
		}
		start = end + 1
	}
	return lines
}

// labelByPattern marks the lines that the user's --speaker-pattern matches.
func labelByPattern(in Input, text string, lines []line) error {
	re := in.SpeakerPattern
	speakerGroup, timeGroup := re.SubexpIndex("speaker"), re.SubexpIndex("time")
	if speakerGroup < 0 {
		if re.NumSubexp() == 0 {
			return qcode.FieldError("speaker_pattern", "", fmt.Sprintf("%q has no group for the speaker; write it like '^(?P<speaker>[A-Z][a-z]+):'", re))
		}
		speakerGroup = 1
	}
	for i := range lines {
		l := &lines[i]
		m := re.FindStringSubmatchIndex(text[l.start:l.end])
		if m == nil || m[0] != 0 || m[2*speakerGroup] < 0 {
			continue
		}
		name := cleanSpeaker(text[l.start+m[2*speakerGroup] : l.start+m[2*speakerGroup+1]])
		if name == "" {
			continue
		}
		l.style, l.speaker = styleColon, name
		l.body = skipSpace(text, l.start+m[1], l.end)
		if timeGroup >= 0 && m[2*timeGroup] >= 0 {
			raw := text[l.start+m[2*timeGroup] : l.start+m[2*timeGroup+1]]
			if t, ok := ParseTime(strings.Trim(raw, "[]()# ")); ok {
				l.time = t
			}
		}
	}
	return nil
}

// parseLabel fills l's label, timestamp and body if the line starts a turn.
func parseLabel(text string, l *line) {
	if l.blank {
		return
	}
	s := text[l.start:l.end]
	pos := 0
	if t, n := leadingTime(s); n > 0 {
		l.time = t
		pos = skipSpace(s, n, len(s))
		if pos == len(s) {
			l.timeOnly = true
			return
		}
	}
	style, name, n := leadingLabel(s[pos:])
	if style == styleNone {
		l.time = NoTime
		return
	}
	pos = skipSpace(s, pos+n, len(s))
	if t, n := leadingTime(s[pos:]); n > 0 && l.time == NoTime {
		l.time = t
		pos = skipSpace(s, pos+n, len(s))
	}
	l.style, l.speaker, l.body = style, name, l.start+pos
}

// leadingTime parses a timestamp at the start of s in one of the forms
// [hh:mm:ss], (mm:ss), #hh:mm:ss.s#, or bare hh:mm:ss (with ,mmm .s or :ff),
// returning its time and length, or 0 when s starts with none.
func leadingTime(s string) (Time, int) {
	if s == "" {
		return NoTime, 0
	}
	closer := map[byte]byte{'[': ']', '(': ')', '#': '#'}[s[0]]
	if closer != 0 {
		end := strings.IndexByte(s[1:], closer)
		if end < 1 || end > 14 {
			return NoTime, 0
		}
		if t, ok := ParseTime(strings.TrimSpace(s[1 : end+1])); ok {
			return t, end + 2
		}
		return NoTime, 0
	}
	end := 0
	for end < len(s) && end < 14 && (s[end] >= '0' && s[end] <= '9' || s[end] == ':' || s[end] == '.' || s[end] == ',') {
		end++
	}
	// A bare time must be followed by space or the line's end, and its
	// trailing punctuation belongs to the sentence, not the time.
	for end > 0 && (s[end-1] == '.' || s[end-1] == ',') {
		end--
	}
	if end == 0 || end < len(s) && s[end] != ' ' && s[end] != '\t' {
		return NoTime, 0
	}
	if t, ok := ParseTime(s[:end]); ok {
		return t, end
	}
	return NoTime, 0
}

// leadingLabel parses a speaker label at the start of s and returns its
// style, the speaker's name and the label's length.
func leadingLabel(s string) (style int, name string, n int) {
	// Markdown emphasis around a label: **Name:** or **Name**:
	em := ""
	for _, e := range []string{"**", "__"} {
		if strings.HasPrefix(s, e) {
			em = e
		}
	}
	body := s[len(em):]
	if strings.HasPrefix(body, "[") {
		end := strings.IndexByte(body, ']')
		if end > 1 && end <= 41 {
			name := body[1:end]
			if _, ok := ParseTime(name); !ok && looksLikeName(name) {
				n := len(em) + end + 1
				n += len(em) * boolInt(em != "" && strings.HasPrefix(s[n:], em))
				if n < len(s) && s[n] == ':' {
					n++
				}
				if n == len(s) || s[n] == ' ' || s[n] == '\t' {
					return styleBracket, cleanSpeaker(name), n
				}
			}
		}
		return styleNone, "", 0
	}
	if end := strings.IndexByte(body, ':'); end > 0 && end <= 40 {
		name := body[:end]
		n := len(em) + end + 1
		if em != "" {
			if strings.HasSuffix(name, em) { // **Name**:
				name = name[:len(name)-len(em)]
			} else if strings.HasPrefix(s[n:], em) { // **Name:**
				n += len(em)
			}
		}
		if looksLikeName(name) && strings.Count(strings.TrimSpace(name), " ") < 4 &&
			(n == len(s) || s[n] == ' ' || s[n] == '\t') {
			return styleColon, cleanSpeaker(name), n
		}
	}
	// A two-column table (speaker | words), as Word transcripts are often
	// laid out, reads as "Name | words".
	if end := strings.Index(body, " | "); em == "" && end > 0 && end <= 40 && looksLikeName(body[:end]) && strings.Count(strings.TrimSpace(body[:end]), " ") < 4 {
		return styleColon, cleanSpeaker(body[:end]), end + 2
	}
	if em == "" {
		// Short labels: one to three letters or digits, then a tab or two
		// or more spaces.
		end := 0
		for end < len(s) && end < 4 && isASCIIAlnum(s[end]) {
			end++
		}
		if end >= 1 && end <= 3 && isASCIILetter(s[0]) && end < len(s) &&
			(s[end] == '\t' || strings.HasPrefix(s[end:], "  ")) {
			return styleShort, s[:end], end
		}
	}
	return styleNone, "", 0
}

// looksLikeName reports whether a label candidate can be a speaker's name:
// it starts with a letter or digit, holds a letter, is not a time, and has
// only letters, digits, spaces and the punctuation names use.
func looksLikeName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "http") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		return false
	}
	letter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r), r == ' ', r == '.', r == '-', r == '\'', r == '’', r == '_', r == '(', r == ')':
		default:
			return false
		}
	}
	return letter
}

// keepSpeakers keeps the labels that are speakers: those of the file's most
// used style that label two or more lines, or, in lower case, three or more.
// A block of lines at the very top holding a label used only once ("Date:",
// "Participant:") is a metadata header, and its labels are dropped.
func keepSpeakers(lines []line) {
	count := map[int]map[string]int{}
	for _, l := range lines {
		if l.style != styleNone {
			if count[l.style] == nil {
				count[l.style] = map[string]int{}
			}
			count[l.style][l.speaker]++
		}
	}
	accepted := func(style int, name string) bool {
		c := count[style][name]
		first, _ := utf8.DecodeRuneInString(name)
		return c >= 3 || c >= 2 && !unicode.IsLower(first)
	}
	best, bestN := styleNone, 0
	for style, names := range count {
		n := 0
		for name, c := range names {
			if accepted(style, name) {
				n += c
			}
		}
		if n > bestN || n == bestN && n > 0 && style < best {
			best, bestN = style, n
		}
	}
	// The metadata header: the first block of non-blank lines, when it
	// holds a label that is not a speaker and turns follow it.
	from := 0
	for from < len(lines) && lines[from].blank {
		from++
	}
	to := from
	for to < len(lines) && !lines[to].blank {
		to++
	}
	speakerAfter := false
	for _, l := range lines[to:] {
		if l.style == best && accepted(l.style, l.speaker) {
			speakerAfter = true
			break
		}
	}
	for _, l := range lines[from:to] {
		if !speakerAfter {
			break
		}
		if l.style != styleNone && (l.style != best || !accepted(l.style, l.speaker)) {
			for i := from; i < to; i++ {
				lines[i].style = styleNone
			}
			break
		}
	}
	for i := range lines {
		l := &lines[i]
		if l.style != styleNone && (l.style != best || !accepted(l.style, l.speaker)) {
			l.style, l.speaker, l.time = styleNone, "", NoTime
		}
	}
}

// buildTurns turns labelled lines into turns: each labelled line opens a turn
// that runs to the last non-blank line before the next labelled line. A line
// holding only a timestamp just before a labelled line dates that turn.
func buildTurns(text string, lines []line) (Span, []Turn) {
	var turns []Turn
	header := Span{}
	first := true
	pending := NoTime
	var cur *Turn
	lastEnd := 0
	closeTurn := func() {
		if cur == nil {
			return
		}
		cur.Span = trimSpan(text, Span{cur.Start, lastEnd})
		if cur.Len() > 0 {
			turns = append(turns, *cur)
		}
		cur = nil
	}
	for i, l := range lines {
		if l.timeOnly && nextLabelled(lines, i) {
			pending = l.time
			continue
		}
		if l.style == styleNone {
			if !l.blank {
				lastEnd = l.end
			}
			continue
		}
		if first {
			header = trimSpan(text, Span{0, lastEnd})
			first = false
		}
		closeTurn()
		t := l.time
		if t == NoTime {
			t = pending
		}
		pending = NoTime
		cur = &Turn{Speaker: l.speaker, Span: Span{Start: l.body}, Begin: t, Finish: NoTime, Line: l.num}
		lastEnd = l.end
	}
	closeTurn()
	return header, turns
}

// nextLabelled reports whether the next non-blank line after i has a label.
func nextLabelled(lines []line, i int) bool {
	for _, l := range lines[i+1:] {
		if !l.blank {
			return l.style != styleNone
		}
	}
	return false
}

// cleanSpeaker normalises the spaces in a speaker's name. The result is a
// copy, not a substring of the text: names outlive their sources (in
// import reports and caches), and a substring would keep the whole text
// alive.
func cleanSpeaker(s string) string {
	return strings.Clone(strings.Join(strings.Fields(s), " "))
}

func skipSpace(s string, i, end int) int {
	for i < end && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }
func isASCIILetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
