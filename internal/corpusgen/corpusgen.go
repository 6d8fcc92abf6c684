package corpusgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
)

// Formats are the formats Write cycles through, in order, named after the
// transcripts of qcode's sample corpus:
//
//   - txt: a .txt file with "Name:" labels, answers sometimes wrapped and
//     indented, further paragraphs after blank lines
//   - txt-tab: a .txt file with I and R labels, a TAB and an hh:mm:ss
//     timecode before each turn
//   - md: a Markdown file with a metadata list and "Name:" labels
//   - vtt: a Microsoft Teams WebVTT file, short cues with <v Name> voice tags
//   - srt: a SubRip file whose first cue of each turn starts "Name:"
//   - docx: a minimal Word document, one paragraph per turn
var Formats = []string{"txt", "txt-tab", "md", "vtt", "srt", "docx"}

// Ext returns the file extension (with its dot) of a format's files, or ""
// for a format Formats does not list.
func Ext(format string) string {
	switch format {
	case "txt", "txt-tab":
		return ".txt"
	case "md", "vtt", "srt", "docx":
		return "." + format
	}
	return ""
}

// InterviewWords is the length of one interview Write writes, about an
// hour's speech.
const InterviewWords = 10000

// Write writes interviews into dir, creating it if needed, until they hold
// words words in all, and returns the files' paths in the order written.
// The files are named P0001.txt, P0002.txt, P0003.md and so on, taking
// their formats in turn from Formats. Each holds 8,000 to 12,000 words but
// the last, which holds what is left. Each file's content depends only on
// seed and its number, and it is streamed to disk as it is made.
func Write(dir string, words int, seed uint64) ([]string, error) {
	if words <= 0 {
		return nil, fmt.Errorf("corpusgen: asked for %d words; ask for one or more", words)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for i, left := 0, words; left > 0; i++ {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		n := InterviewWords*4/5 + rng.IntN(InterviewWords*2/5+1)
		if left-n < InterviewWords/5 {
			n = left
		}
		format := Formats[i%len(Formats)]
		id := fmt.Sprintf("P%04d", i+1)
		path := filepath.Join(dir, id+Ext(format))
		if err := writeFile(path, format, id, n, rng); err != nil {
			return paths, err
		}
		paths = append(paths, path)
		left -= n
	}
	return paths, nil
}

func writeFile(path, format, id string, words int, rng *rand.Rand) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeInterview(f, format, id, words, rng); err != nil {
		f.Close()
		return fmt.Errorf("corpusgen: writing %s: %w", path, err)
	}
	return f.Close()
}

// Interview writes one interview of about words words in format (one of
// Formats) to w, drawing every choice from rng.
func Interview(w io.Writer, format string, words int, rng *rand.Rand) error {
	return writeInterview(w, format, fmt.Sprintf("P%02d", 1+rng.IntN(99)), words, rng)
}

func writeInterview(w io.Writer, format, id string, words int, rng *rand.Rand) error {
	write, ok := writers[format]
	if !ok {
		return fmt.Errorf("corpusgen: unknown format %q; use one of %v", format, Formats)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw, newInterview(id, words, rng)); err != nil {
		return err
	}
	return bw.Flush()
}

var writers = map[string]func(*bufio.Writer, *interview) error{
	"txt":     writeNamed,
	"txt-tab": writeTab,
	"md":      writeMarkdown,
	"vtt":     writeVTT,
	"srt":     writeSRT,
	"docx":    writeDocx,
}

// interview is one interview being made: who takes part, where, and the
// plan of its turns. Its turns are made one at a time as they are written.
type interview struct {
	rng   *rand.Rand
	id    string
	words int
	vars  map[string]string // the slots that keep one value for the interview

	curly       bool // curly quotes and apostrophes, else straight ones
	wrap        bool // txt: wrap answers at 78 columns with an indent
	interviewer []string
	participant string // the participant's label
	fullName    string
	role        string
	title       string // the partnership's name
	researcher  string
	date        [3]int // day, month (0-11), year

	recent  [24]int // the answer templates used last, see fresh
	nrecent int
}

// turn is one speaker's turn: sentences grouped in paragraphs.
type turn struct {
	speaker string
	asker   bool // the interviewer's turn
	paras   [][]string
	words   int
	ms      int // length of the speech in milliseconds
}

func newInterview(id string, words int, rng *rand.Rand) *interview {
	iv := &interview{rng: rng, id: id, words: words, vars: map[string]string{}}
	for i := range iv.recent {
		iv.recent[i] = -1
	}
	uk, partner := pick(rng, ukSites), pick(rng, partnerSites)
	linkName := uk + "–" + partner
	iv.title = linkName + " " + pick(rng, linkKinds)
	iv.vars["uk"] = uk
	iv.vars["partner"] = partner
	iv.vars["link"] = "the " + linkName + " link"
	iv.vars["spec"] = pick(rng, specialties)
	iv.vars["surname"] = pick(rng, partnerLast)
	iv.vars["first2"] = pick(rng, partnerFirst)

	var first, last string
	if rng.IntN(2) == 0 {
		first, last = pick(rng, ukFirst), pick(rng, ukLast)
	} else {
		first, last = pick(rng, partnerFirst), pick(rng, partnerLast)
	}
	iv.fullName = first + " " + last
	switch rng.IntN(4) {
	case 0:
		iv.participant = "Dr " + last
		iv.vars["name"] = "Dr " + last
	case 1:
		iv.participant = "Dr. " + last
		iv.vars["name"] = "Dr. " + last
	case 2:
		iv.participant = first
		iv.vars["name"] = first
	default:
		iv.participant = iv.fullName
		iv.vars["name"] = first
	}
	iv.interviewer = []string{"Interviewer"}
	if rng.IntN(4) == 0 {
		pair := interviewers2[rng.IntN(len(interviewers2))]
		iv.interviewer = pair[:]
	}
	iv.role = pick(rng, roles)
	iv.researcher = pick(rng, researchers)
	iv.date = [3]int{1 + rng.IntN(28), rng.IntN(12), 2023 + rng.IntN(3)}
	iv.curly = rng.IntN(10) < 7
	iv.wrap = rng.IntN(2) == 0
	return iv
}

// turns yields the interview's turns in order: a question, an answer, a
// question, and so on, 100 to 150 turns per 10,000 words, until they hold
// about iv.words words.
func (iv *interview) turns(yield func(*turn) bool) {
	rng := iv.rng
	n := iv.words * (100 + rng.IntN(51)) / InterviewWords
	pairs := max(2, n/2)
	used := 0
	const questionWords = 14 // a question's usual length
	for k := range pairs {
		q := iv.question(k, pairs)
		used += q.words
		if !yield(q) {
			return
		}
		left := iv.words - used
		rest := pairs - k // answers still to give, this one included
		var budget int
		switch {
		case rest == 1:
			budget = left
		case rng.IntN(10) == 0:
			budget = 0 // a short answer
		default:
			mean := (left - (rest-1)*questionWords) / rest
			budget = mean * (40 + rng.IntN(121)) / 100
		}
		a := iv.answer(budget)
		used += a.words
		if !yield(a) {
			return
		}
	}
}

func (iv *interview) question(k, pairs int) *turn {
	rng := iv.rng
	t := &turn{speaker: iv.interviewer[0], asker: true}
	if len(iv.interviewer) > 1 && rng.IntN(3) == 0 {
		t.speaker = iv.interviewer[1]
	}
	var s string
	switch r := rng.IntN(20); {
	case k == 0:
		s = iv.fill("Thanks for making the time, {name}. Could you start by telling me a bit about your role and how you got involved with {link}?")
	case k == pairs-1:
		s = closing
	case r < 3:
		s = pick(rng, backchannels)
	case r < 4:
		s = pick(rng, echoes)
	default:
		s = iv.fill(pick(rng, questions))
	}
	t.add(iv.style(s), false)
	return t
}

// answer makes the participant's turn of about budget words; a budget of
// zero or less gives a short answer.
func (iv *interview) answer(budget int) *turn {
	rng := iv.rng
	t := &turn{speaker: iv.participant}
	if budget <= 0 {
		t.add(iv.style(pick(rng, shortAnswers)), false)
		return t
	}
	if rng.IntN(4) == 0 {
		t.add(iv.style(pick(rng, openers)), false)
	}
	for t.words < budget {
		// A new paragraph now and then, in long answers.
		para := len(t.paras) > 0 && len(t.paras[len(t.paras)-1]) >= 4 && rng.IntN(5) == 0 && budget-t.words > 30
		t.add(iv.sentence(), para)
	}
	return t
}

// add appends sentence s to the turn, in a new paragraph if para is set.
func (t *turn) add(s string, para bool) {
	if para || len(t.paras) == 0 {
		t.paras = append(t.paras, nil)
	}
	last := len(t.paras) - 1
	t.paras[last] = append(t.paras[last], s)
	n := countWords(s)
	t.words += n
	t.ms += n * 400 // 150 words a minute
}

// text returns the turn's text: its paragraphs joined by sep, its sentences
// by a space.
func (t *turn) text(sep string) string {
	var b []byte
	for i, p := range t.paras {
		if i > 0 {
			b = append(b, sep...)
		}
		for j, s := range p {
			if j > 0 {
				b = append(b, ' ')
			}
			b = append(b, s...)
		}
	}
	return string(b)
}

// sentences returns the turn's sentences, across its paragraphs.
func (t *turn) sentences() []string {
	return slices.Concat(t.paras...)
}

func pick[T any](rng *rand.Rand, from []T) T {
	return from[rng.IntN(len(from))]
}
