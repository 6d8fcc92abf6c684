package corpusgen

import (
	"archive/zip"
	"bufio"
	"fmt"
	"strings"
	"unicode/utf8"
)

// writeNamed writes a .txt transcript with "Name:" labels and a metadata
// header, like a typist's Word export saved as text.
func writeNamed(w *bufio.Writer, iv *interview) error {
	fmt.Fprintf(w, "%s: Staff Interview Study\n", iv.title)
	fmt.Fprintf(w, "Interview date: %d %s %d\n", iv.date[0], months[iv.date[1]], iv.date[2])
	fmt.Fprintf(w, "Interviewed by: %s (research team)\n", iv.researcher)
	fmt.Fprintf(w, "Participant code: %s (%s)\n", iv.id, iv.role)
	w.WriteString("Transcribed verbatim; names changed\n")
	for t := range iv.turns {
		w.WriteString("\n")
		for i, p := range t.paras {
			text := strings.Join(p, " ")
			switch {
			case i == 0 && (t.asker || !iv.wrap):
				fmt.Fprintf(w, "%s: %s\n", t.speaker, text)
			case i == 0:
				lines := wrapLines(t.speaker+": "+text, 78)
				w.WriteString(strings.Join(lines, "\n  "))
				w.WriteString("\n")
			case !iv.wrap:
				fmt.Fprintf(w, "\n%s\n", text)
			default:
				w.WriteString("\n  ")
				w.WriteString(strings.Join(wrapLines(text, 76), "\n  "))
				w.WriteString("\n")
			}
		}
	}
	return nil
}

// writeTab writes a .txt transcript whose turns are one line each: I or R,
// a TAB, an hh:mm:ss timecode, a TAB and the words.
func writeTab(w *bufio.Writer, iv *interview) error {
	fmt.Fprintf(w, "%s — Interview Transcript\n", iv.title)
	fmt.Fprintf(w, "Date: %d %s %d\n", iv.date[0], months[iv.date[1]], iv.date[2])
	fmt.Fprintf(w, "Interviewed by: %s\n", iv.researcher)
	fmt.Fprintf(w, "Participant code: %s (%s)\n", iv.id, iv.role)
	w.WriteString("Key: I = interviewer, R = respondent; timecodes are hh:mm:ss from start of recording\n")
	w.WriteString("Transcribed verbatim; names changed\n\n")
	clock := 3000
	for t := range iv.turns {
		label := "R"
		if t.asker {
			label = "I"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", label, hms(clock), t.text(" "))
		clock += t.ms + 1000 + iv.rng.IntN(5000)
	}
	return nil
}

// writeMarkdown writes a Markdown transcript: a title, a metadata list, a
// rule, then "Name:" turns with further paragraphs unlabelled.
func writeMarkdown(w *bufio.Writer, iv *interview) error {
	fmt.Fprintf(w, "# Interview %s\n\n", iv.id)
	fmt.Fprintf(w, "- **Participant:** %s, %s\n", iv.fullName, iv.role)
	fmt.Fprintf(w, "- **Partnership:** %s\n", iv.title)
	fmt.Fprintf(w, "- **Date:** %d-%02d-%02d (video call, %d minutes)\n", iv.date[2], iv.date[1]+1, iv.date[0], iv.words/150+1)
	w.WriteString("- **Transcription:** intelligent verbatim; [laughs] and [pause] retained\n\n---\n")
	for t := range iv.turns {
		fmt.Fprintf(w, "\n%s: %s\n", t.speaker, t.text("\n\n"))
	}
	return nil
}

// writeVTT writes a Microsoft Teams WebVTT transcript: short cues with
// Teams's cue identifiers and <v Name> voice tags.
func writeVTT(w *bufio.Writer, iv *interview) error {
	w.WriteString("WEBVTT\n")
	clock := 3000 + iv.rng.IntN(2000)
	n := 10 + iv.rng.IntN(10)
	for t := range iv.turns {
		id := uuid(iv)
		for j, c := range cues(t.sentences(), 16) {
			d := countWords(c)*400 + 600 + iv.rng.IntN(400)
			fmt.Fprintf(w, "\n%s/%d-%d\n%s --> %s\n<v %s>%s</v>\n", id, n, j, vttTime(clock), vttTime(clock+d), t.speaker, escapeXML(c))
			clock += d + 200 + iv.rng.IntN(2000)
		}
		n += 1 + iv.rng.IntN(6)
		clock += 500 + iv.rng.IntN(4000)
	}
	return nil
}

// writeSRT writes a SubRip transcript: numbered cues of one or two lines,
// the first cue of each turn starting with the speaker's name.
func writeSRT(w *bufio.Writer, iv *interview) error {
	clock := 1000 + iv.rng.IntN(2000)
	n := 0
	for t := range iv.turns {
		for j, c := range cues(t.sentences(), 14) {
			n++
			d := countWords(c)*400 + 600 + iv.rng.IntN(400)
			if j == 0 {
				c = t.speaker + ": " + c
			}
			if n > 1 {
				w.WriteString("\n")
			}
			fmt.Fprintf(w, "%d\n%s --> %s\n%s\n", n, srtTime(clock), srtTime(clock+d), strings.Join(wrapLines(c, 42), "\n"))
			clock += d + 200 + iv.rng.IntN(2000)
		}
		clock += 500 + iv.rng.IntN(4000)
	}
	return nil
}

// cues packs sentences into captions of at most max words, cutting a
// longer sentence at spaces.
func cues(sentences []string, max int) []string {
	var out []string
	cur, words := "", 0
	flush := func() {
		if cur != "" {
			out = append(out, cur)
		}
		cur, words = "", 0
	}
	for _, s := range sentences {
		n := countWords(s)
		if words+n > max {
			flush()
		}
		if n <= max {
			if cur != "" {
				cur += " "
			}
			cur += s
			words += n
			continue
		}
		fields := strings.Fields(s)
		for len(fields) > 0 {
			k := min(max, len(fields))
			out = append(out, strings.Join(fields[:k], " "))
			fields = fields[k:]
		}
	}
	flush()
	return out
}

// The parts of a minimal Word document besides its body.
const (
	docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	docxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	docxTail = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
)

// writeDocx writes a minimal valid .docx: content types, the package
// relationships and word/document.xml, whose body holds a title, a few
// metadata paragraphs and one paragraph per turn with the label in bold.
// Like Word, it sometimes splits a turn's text across runs mid-word.
func writeDocx(w *bufio.Writer, iv *interview) error {
	z := zip.NewWriter(w)
	for _, part := range [][2]string{{"[Content_Types].xml", docxContentTypes}, {"_rels/.rels", docxRels}} {
		f, err := z.Create(part[0])
		if err != nil {
			return err
		}
		if _, err := f.Write([]byte(part[1])); err != nil {
			return err
		}
	}
	f, err := z.Create("word/document.xml")
	if err != nil {
		return err
	}
	x := bufio.NewWriterSize(f, 32<<10)
	x.WriteString(docxHead)
	x.WriteString(`<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">`)
	x.WriteString(escapeXML(fmt.Sprintf("Interview transcript — %s, %s", iv.id, iv.title)))
	x.WriteString(`</w:t></w:r></w:p>`)
	for _, meta := range []string{
		fmt.Sprintf("Date of interview %d %s %d", iv.date[0], months[iv.date[1]], iv.date[2]),
		fmt.Sprintf("Participant %s (%s)", iv.id, iv.role),
		"Interviewer " + iv.researcher,
	} {
		fmt.Fprintf(x, `<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, escapeXML(meta))
	}
	x.WriteString(`<w:p/>`)
	for t := range iv.turns {
		x.WriteString(`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">`)
		x.WriteString(escapeXML(t.speaker))
		x.WriteString(`:</w:t></w:r>`)
		text := " " + t.text(" ")
		if len(text) > 20 && iv.rng.IntN(8) == 0 {
			cut := 1 + iv.rng.IntN(len(text)-1)
			for !utf8.RuneStart(text[cut]) {
				cut--
			}
			docxRun(x, text[:cut], "")
			docxRun(x, text[cut:], `<w:rPr><w:lang w:val="en-GB"/></w:rPr>`)
		} else {
			docxRun(x, text, "")
		}
		x.WriteString(`</w:p>`)
	}
	x.WriteString(docxTail)
	if err := x.Flush(); err != nil {
		return err
	}
	return z.Close()
}

func docxRun(w *bufio.Writer, text, props string) {
	w.WriteString(`<w:r>`)
	w.WriteString(props)
	w.WriteString(`<w:t xml:space="preserve">`)
	w.WriteString(escapeXML(text))
	w.WriteString(`</w:t></w:r>`)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeXML(s string) string { return xmlEscaper.Replace(s) }

// uuid returns a random identifier in the form Teams gives its cues.
func uuid(iv *interview) string {
	a, b := iv.rng.Uint64(), iv.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, 0x4000|a&0x0fff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

func hms(ms int) string {
	s := ms / 1000
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

func vttTime(ms int) string { return fmt.Sprintf("%s.%03d", hms(ms), ms%1000) }

func srtTime(ms int) string { return fmt.Sprintf("%s,%03d", hms(ms), ms%1000) }
