package corpus

import (
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode/textfile"
)

// Captions reads WebVTT (.vtt) and SubRip (.srt) caption files, as Teams,
// Zoom, YouTube and transcription services export them. A caption file has no
// prose of its own to keep, so the reader writes the source's text in qcode's
// plain transcript form, one paragraph a turn:
//
//	[00:00:03.120] Interviewer: So thanks for joining.
//
//	[00:00:21.126] Rebecca Shaw: Yes, I can hear you fine.
//
// A caption (cue) names its speaker with a WebVTT voice tag (<v Rebecca
// Shaw>) or a "Name: " prefix; a cue that names none continues the speaker
// before it. Consecutive cues of one speaker become one turn, so a sentence
// that runs across cues stays one sentence when the turn is segmented.
//
// A file whose cues name no speaker is speech by unknown speakers, read as
// a document: its cues run together into paragraphs, each a turn with no
// speaker, and a pause of captionPause or more between two cues starts a
// new one, since people pause between thoughts and when the speaker
// changes. One turn a cue would cut sentences at every two-second caption.
type Captions struct{}

// captionPause is the silence between cues that starts a new paragraph
// where no speaker is named.
const captionPause Time = 2000

// Examples of a timing line, shown in errors.
const (
	vttTimingExample = "00:01:02.500 --> 00:01:05.000"
	srtTimingExample = "00:01:02,500 --> 00:01:05,000"
)

// captionArrow separates a cue's start and end times.
const captionArrow = "-->"

// captionCue is one caption: its times, the line of its timing line, and its
// text split where a voice tag changes the speaker.
type captionCue struct {
	start, end Time
	line       int
	pieces     []captionPiece
}

// voiced reports whether the cue holds a voice tag. captionPieces then
// returns an unvoiced piece (maybe empty) before the first voiced one.
func (c *captionCue) voiced() bool { return len(c.pieces) > 1 }

// captionPiece is a stretch of a cue's text spoken by one voice.
type captionPiece struct {
	voice  string // the speaker a <v> tag names
	voiced bool   // the piece starts at a <v> tag that names someone
	text   string // the words, without markup, cleaned, spaces collapsed
}

// Read reads one caption file into one source.
func (Captions) Read(in Input) ([]*Source, error) {
	text, err := textfile.Decode(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, inputErr(in.Path, 0, "file is empty; nothing to import")
	}
	p := captionParser{path: in.Path, lines: strings.Split(text, "\n"), vtt: isVTT(in.Path, text)}
	cues, err := p.parse()
	if err != nil {
		return nil, err
	}
	d := captionDocument(cues)
	if len(d.Turns) == 0 {
		return nil, inputErr(in.Path, 0, "no captions found: no timing line (like %s) is followed by text", p.example())
	}
	d.Name = SourceName(in.Path)
	d.Format = "srt"
	if p.vtt {
		d.Format = "vtt"
	}
	return []*Source{d}, nil
}

// isVTT tells WebVTT from SubRip: a .vtt file is WebVTT (and must say so on
// its first line); any other file is when it starts with WEBVTT, since
// players accept a WebVTT file named .srt and users rename files to match.
func isVTT(path, text string) bool {
	if strings.EqualFold(filepath.Ext(path), ".vtt") {
		return true
	}
	first, _, _ := strings.Cut(text, "\n")
	return isVTTSignature(first)
}

// isVTTSignature reports whether line is a WebVTT file's first line: WEBVTT,
// alone or followed by a space or tab and a title.
func isVTTSignature(line string) bool {
	rest, ok := strings.CutPrefix(line, "WEBVTT")
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// captionParser finds the cues of a caption file's lines.
type captionParser struct {
	path  string
	lines []string
	vtt   bool
}

func (p *captionParser) example() string {
	if p.vtt {
		return vttTimingExample
	}
	return srtTimingExample
}

// errorf returns an input error at index i of p.lines (line i+1).
func (p *captionParser) errorf(i int, format string, args ...any) error {
	return inputErr(p.path, i+1, format, args...)
}

// parse returns the file's cues in order, skipping WebVTT's header, NOTE,
// STYLE and REGION blocks. Blank lines end a cue, however many there are; a
// line holding "-->" ends one too and starts the next, because exports
// (YouTube's among them) leave out the blank line between cues and the
// WebVTT parsing rules allow it.
func (p *captionParser) parse() ([]captionCue, error) {
	lines := p.lines
	i := 0
	if p.vtt {
		if !isVTTSignature(lines[0]) {
			return nil, p.errorf(0, "first line must be WEBVTT; is this an SRT file? rename it .srt")
		}
		// Header metadata (Kind:, Language:, YouTube's Style: block) runs to
		// the first blank line, or to a cue that follows without one.
		for i = 1; i < len(lines) && !captionBlank(lines[i]) && !strings.Contains(lines[i], captionArrow); i++ {
		}
	}
	var cues []captionCue
	for i < len(lines) {
		if captionBlank(lines[i]) {
			i++
			continue
		}
		if p.vtt && isVTTBlockKeyword(lines[i]) {
			for i < len(lines) && !captionBlank(lines[i]) {
				i++
			}
			continue
		}
		t, err := p.timingLine(i, len(cues) > 0)
		if err != nil {
			return nil, err
		}
		start, end, err := p.timing(t)
		if err != nil {
			return nil, err
		}
		j := t + 1
		for j < len(lines) && !captionBlank(lines[j]) && !strings.Contains(lines[j], captionArrow) &&
			// In SubRip a cue number right above a timing line starts the
			// next cue even when the blank line before it is missing.
			(p.vtt || j+1 >= len(lines) || !isCueNumber(lines[j]) || !strings.Contains(lines[j+1], captionArrow)) {
			j++
		}
		cues = append(cues, captionCue{
			start:  start,
			end:    end,
			line:   t + 1,
			pieces: captionPieces(strings.Join(lines[t+1:j], "\n"), !p.vtt),
		})
		i = j
	}
	return cues, nil
}

// timingLine returns the index of the timing line of the cue whose first line
// is lines[i]: i itself, or the line after a cue identifier (any text in
// WebVTT, a number in SubRip). Text where a cue should start is an error, not
// skipped, since dropping a caption silently would lose what someone said.
func (p *captionParser) timingLine(i int, afterCue bool) (int, error) {
	lines := p.lines
	if strings.Contains(lines[i], captionArrow) {
		return i, nil
	}
	if isBrokenTiming(lines[i]) {
		return 0, p.errorf(i, "broken timing line %q: the times must be separated by -->, as in %s", captionExcerpt(lines[i]), p.example())
	}
	next := ""
	if i+1 < len(lines) {
		next = lines[i+1]
	}
	if strings.Contains(next, captionArrow) && (p.vtt || isCueNumber(lines[i])) {
		return i + 1, nil
	}
	if isBrokenTiming(next) {
		return 0, p.errorf(i+1, "broken timing line %q: the times must be separated by -->, as in %s", captionExcerpt(next), p.example())
	}
	// Text after a caption is most often a blank line too many inside it.
	hint := ""
	if afterCue {
		hint = ", or remove the blank line above it if it belongs to the caption before"
	}
	switch {
	case p.vtt:
		return 0, p.errorf(i, "caption text %q has no timing line above it; add one like %s%s", captionExcerpt(lines[i]), p.example(), hint)
	case !isCueNumber(lines[i]):
		return 0, p.errorf(i, "expected a caption number or a timing line like %s, found %q%s", p.example(), captionExcerpt(lines[i]), hint)
	case captionBlank(next):
		return 0, p.errorf(i, "caption %s has no timing line; add one like %s below its number", strings.TrimSpace(lines[i]), p.example())
	default:
		return 0, p.errorf(i+1, "expected the timing line of caption %s, like %s, found %q", strings.TrimSpace(lines[i]), p.example(), captionExcerpt(next))
	}
}

// captionArrowRE matches the start of a timing line, whatever joins its times.
var captionArrowRE = regexp.MustCompile(`^\s*\d+:\d+[\d:.,]*\s*(?:-+>?|=+>|→|–|—|to)\s*\d+:\d+`)

// isBrokenTiming reports whether line is meant to be a timing line but joins
// its times with something other than "-->" (-> or – or "to").
func isBrokenTiming(line string) bool {
	return !strings.Contains(line, captionArrow) && captionArrowRE.MatchString(line)
}

// timing parses the timing line lines[t]: a start and an end time joined by
// "-->", then optional cue settings (align:start position:10%) that qcode
// has no use for.
func (p *captionParser) timing(t int) (start, end Time, err error) {
	line := strings.TrimSpace(p.lines[t])
	a, b, _ := strings.Cut(line, captionArrow)
	a = strings.TrimSpace(a)
	b = strings.TrimLeft(b, " \t")
	if k := strings.IndexAny(b, " \t"); k >= 0 {
		b = b[:k]
	}
	seps := "."
	if !p.vtt {
		seps = ".,"
	}
	start, ok1 := parseCaptionTime(a, seps)
	end, ok2 := parseCaptionTime(b, seps)
	if !ok1 || !ok2 {
		hint := ""
		if p.vtt && strings.ContainsRune(a+b, ',') {
			hint = " (WebVTT puts '.', not ',', before the milliseconds)"
		}
		return 0, 0, p.errorf(t, "broken timing line %q%s; write it like %s", captionExcerpt(p.lines[t]), hint, p.example())
	}
	if end < start {
		return 0, 0, p.errorf(t, "the caption ends (%s) before it starts (%s); fix the timing line, written like %s", end, start, p.example())
	}
	return start, end, nil
}

// parseCaptionTime parses a cue time: [hh:]mm:ss.ttt as WebVTT writes it, the
// hours two digits or more and the milliseconds exactly three. seps lists the
// separators allowed before the milliseconds (SubRip writes ','). It also
// reads the unpadded h:m:s.f that Microsoft Teams writes (0:0:1.5, 0:12:3.45),
// which starts with a one-digit hour; a padded time with a short field
// (00:00:0.000) is a typo, not that form, and is refused.
func parseCaptionTime(s, seps string) (Time, bool) {
	k := strings.LastIndexAny(s, seps)
	if k < 0 {
		return NoTime, false
	}
	frac := s[k+1:]
	parts := strings.Split(s[:k], ":")
	if len(parts) != 2 && len(parts) != 3 {
		return NoTime, false
	}
	// Nine digits at most keep the hours far from overflowing a Time.
	digits := func(f string) bool { return f != "" && len(f) <= 9 && strings.Trim(f, "0123456789") == "" }
	if !digits(frac) {
		return NoTime, false
	}
	for _, f := range parts {
		if !digits(f) {
			return NoTime, false
		}
	}
	h := ""
	if len(parts) == 3 {
		h, parts = parts[0], parts[1:]
	}
	m, sec := parts[0], parts[1]
	width := func(f string, lo, hi int) bool { return len(f) >= lo && len(f) <= hi }
	if len(h) == 1 { // Teams' unpadded form
		if !width(m, 1, 2) || !width(sec, 1, 2) || !width(frac, 1, 3) {
			return NoTime, false
		}
	} else if len(m) != 2 || len(sec) != 2 || len(frac) != 3 {
		return NoTime, false
	}
	num := func(s string) int64 {
		var n int64
		for i := 0; i < len(s); i++ {
			n = n*10 + int64(s[i]-'0')
		}
		return n
	}
	hours, minutes, seconds := num(h), num(m), num(sec)
	if minutes > 59 || seconds > 59 {
		return NoTime, false
	}
	for len(frac) < 3 {
		frac += "0"
	}
	return Time(((hours*60+minutes)*60+seconds)*1000 + num(frac)), true
}

// isVTTBlockKeyword reports whether line starts a WebVTT block that is not a
// cue: a NOTE (comment), a STYLE sheet or a REGION definition.
func isVTTBlockKeyword(line string) bool {
	for _, kw := range []string{"NOTE", "STYLE", "REGION"} {
		if rest, ok := strings.CutPrefix(line, kw); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return true
		}
	}
	return false
}

// isCueNumber reports whether line is a SubRip cue number.
func isCueNumber(line string) bool {
	line = strings.TrimSpace(line)
	return line != "" && strings.Trim(line, "0123456789") == ""
}

// captionBlank reports whether line holds nothing but spaces. WebVTT counts
// only empty lines as blank, but a line of spaces looks blank to whoever
// edited the file, and ends a cue in the players they check it with.
func captionBlank(line string) bool { return strings.TrimSpace(line) == "" }

// captionExcerpt shortens a line quoted in an error message.
func captionExcerpt(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:57]) + "..."
}

// captionPieces strips the markup from a cue's text and splits it where a
// voice tag names a speaker. Tags go (<i>, <b>, <c.class>, <lang en>,
// timestamp tags, SubRip's <font> and {\an8}); a <ruby>'s <rt> reading aid
// goes with its text, since it only spells out the word it annotates. A '<'
// that starts no tag is kept: hand-made SubRip files write "under <5s" as is.
func captionPieces(raw string, srt bool) []captionPiece {
	var pieces []captionPiece
	var cur captionPiece
	var b strings.Builder
	flush := func() {
		cur.text = cleanCaptionText(b.String())
		pieces = append(pieces, cur)
		b.Reset()
	}
	inRT := false
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '<':
			n, name, annotation, closing, ok := captionTag(raw[i:])
			if !ok {
				break
			}
			switch {
			case name == "v" && !closing:
				if voice := cleanCaptionText(annotation); voice != "" {
					flush()
					cur = captionPiece{voice: voice, voiced: true}
				}
			case name == "rt":
				inRT = !closing
			case name == "ruby" && closing:
				inRT = false
			}
			i += n
			continue
		case c == '{' && srt && strings.HasPrefix(raw[i:], `{\`):
			if n := strings.IndexAny(raw[i+1:], "{}") + 1; n > 0 && raw[i+n] == '}' {
				i += n + 1
				continue
			}
		}
		if !inRT {
			b.WriteByte(raw[i])
		}
		i++
	}
	flush()
	return pieces
}

// captionTag parses the tag at the start of s (which starts with '<') and
// returns its length, its lower-case name ("" for a timestamp tag), its
// annotation (the voice's name in <v.loud Rebecca Shaw>), whether it closes,
// and false when s starts with no tag.
func captionTag(s string) (n int, name, annotation string, closing, ok bool) {
	// Looking no further than the next '<' keeps a line of many '<' linear.
	end := strings.IndexAny(s[1:], "<>") + 1
	if end <= 0 || s[end] != '>' {
		return 0, "", "", false, false
	}
	body := s[1:end]
	body, closing = strings.CutPrefix(body, "/")
	if body == "" {
		return 0, "", "", false, false
	}
	if body[0] >= '0' && body[0] <= '9' {
		if strings.Trim(body, "0123456789:.") != "" {
			return 0, "", "", false, false
		}
		return end + 1, "", "", closing, true
	}
	k := 0
	for k < len(body) && captionAlnum(body[k]) {
		k++
	}
	if k == 0 || !captionLetter(body[0]) {
		return 0, "", "", false, false
	}
	name, rest := strings.ToLower(body[:k]), body[k:]
	if rest != "" && rest[0] != '.' && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '\n' {
		return 0, "", "", false, false
	}
	// Classes (.loud) run to the first space; the annotation follows.
	if k := strings.IndexFunc(rest, unicode.IsSpace); k >= 0 {
		annotation = rest[k:]
	}
	return end + 1, name, annotation, closing, true
}

// cleanCaptionText decodes the character references of caption text and
// collapses its white space, newlines included, to single spaces.
func cleanCaptionText(s string) string {
	s = textfile.Clean(captionEntities(s))
	return strings.Join(strings.Fields(s), " ")
}

// captionEntities decodes HTML character references (&amp; &lt; &nbsp;
// &lrm; &#39; &#x2019;), which WebVTT allows and SubRip files copy. Unlike
// html.UnescapeString, it needs the closing ';', so that words glued to an
// ampersand ("R&D", "Q&notes") are left alone.
func captionEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		n := captionEntityLen(s)
		if n == 0 {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		ref := s[:n]
		// html.UnescapeString also decodes a known prefix of an unknown name
		// (&ampx; to &x;); only a whole-name match consumes the ';'.
		if u := html.UnescapeString(ref); u != ref && (u == ";" || !strings.HasSuffix(u, ";")) {
			b.WriteString(u)
		} else {
			b.WriteString(ref)
		}
		s = s[n:]
	}
}

// captionEntityLen returns the length of the character reference shape
// (&name; or &#digits; or &#xhex;) at the start of s, or 0.
func captionEntityLen(s string) int {
	for i := 1; i < len(s) && i <= 33; i++ {
		c := s[i]
		switch {
		case c == ';':
			if i == 1 || i == 2 && s[1] == '#' {
				return 0
			}
			return i + 1
		case captionAlnum(c), c == '#' && i == 1:
		default:
			return 0
		}
	}
	return 0
}

// captionNamePrefix splits a "Name: words" cue into the name and the words.
// A name is one to four words of at most 40 characters that starts with a
// letter and holds only what names hold (letters, digits, . - ' ’ _ and
// brackets), so "Note: bring water" passes but "At 10:30 we" does not.
func captionNamePrefix(text string) (name, words string, ok bool) {
	i := strings.IndexByte(text, ':')
	if i <= 0 || i+1 < len(text) && text[i+1] != ' ' {
		return "", "", false
	}
	name = strings.TrimSpace(text[:i])
	if n := len(strings.Fields(name)); n < 1 || n > 4 || utf8.RuneCountInString(name) > 40 {
		return "", "", false
	}
	if first, _ := utf8.DecodeRuneInString(name); !unicode.IsLetter(first) {
		return "", "", false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" .-'’_()", r) {
			return "", "", false
		}
	}
	return name, strings.TrimSpace(text[i+1:]), true
}

// captionDocument joins cues into turns and writes the source's text.
//
// A "Name: " prefix names a speaker when the name labels three or more cues,
// or two if it is capitalised; a capitalised name labelling one cue counts
// only when most cues carry a label, as in Zoom's files, where everyone
// who speaks is named. That keeps "The answer was: money", in a file whose
// labels mark only changes of speaker, or "the point is: …" in one without
// labels, from becoming a speaker.
func captionDocument(cues []captionCue) *Source {
	labels, labelled, unvoiced := map[string]int{}, 0, 0
	for _, c := range cues {
		if !c.voiced() && c.pieces[0].text != "" {
			unvoiced++
			if name, _, ok := captionNamePrefix(c.pieces[0].text); ok {
				labels[name]++
				labelled++
			}
		}
	}
	isSpeaker := func(name string) bool {
		first, _ := utf8.DecodeRuneInString(name)
		n := labels[name]
		return n >= 3 || !unicode.IsLower(first) && (n >= 2 || 2*labelled > unvoiced)
	}

	type turn struct {
		Turn
		words []string
	}
	var turns []*turn
	speaker := ""
	for _, c := range cues {
		for _, p := range c.pieces {
			words := p.text
			switch {
			case p.voiced:
				speaker = p.voice
			case !c.voiced():
				if name, rest, ok := captionNamePrefix(words); ok && isSpeaker(name) {
					speaker, words = name, rest
				}
			}
			if words == "" {
				continue
			}
			if n := len(turns); n > 0 && turns[n-1].Speaker == speaker && (speaker != "" || c.start-turns[n-1].Finish < captionPause) {
				turns[n-1].words = append(turns[n-1].words, words)
				turns[n-1].Finish = c.end
				continue
			}
			turns = append(turns, &turn{
				Turn:  Turn{Speaker: speaker, Begin: c.start, Finish: c.end, Line: c.line},
				words: []string{words},
			})
		}
	}

	d := &Source{}
	var b strings.Builder
	for i, t := range turns {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("[" + t.Begin.String() + "] ")
		if t.Speaker != "" {
			b.WriteString(t.Speaker + ": ")
		}
		t.Start = b.Len()
		for k, w := range t.words {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		t.End = b.Len()
		d.Turns = append(d.Turns, t.Turn)
	}
	d.Text = b.String()
	return d
}

func captionLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func captionAlnum(c byte) bool  { return captionLetter(c) || c >= '0' && c <= '9' }
