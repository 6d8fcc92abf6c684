package corpus

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// turnSummary is what a test expects of one turn.
type turnSummary struct {
	speaker string
	text    string
	begin   Time
}

func readPlain(t *testing.T, name, text string, opts Options) *Source {
	t.Helper()
	docs, err := Read(Input{Path: name, Data: []byte(text), Options: opts}, "")
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	checkSpans(t, docs[0])
	return docs[0]
}

// checkSpans asserts the offset invariant: every turn, paragraph, sentence
// and token is inside its parent, in order, and slices the text exactly.
func checkSpans(t testing.TB, d *Source) {
	t.Helper()
	prevTurn := d.Header.End
	for i, tu := range d.Turns {
		if tu.Start < prevTurn || tu.End > len(d.Text) || tu.Start >= tu.End {
			t.Fatalf("turn %d span %v out of order (previous end %d, text %d bytes)", i+1, tu.Span, prevTurn, len(d.Text))
		}
		if got := d.Text[tu.Start:tu.End]; strings.TrimSpace(got) != got {
			t.Fatalf("turn %d %q is not trimmed", i+1, got)
		}
		prevTurn = tu.End
		prevPara := tu.Start
		for _, p := range tu.Paragraphs {
			if p.Start < prevPara || p.End > tu.End {
				t.Fatalf("turn %d: paragraph %v outside turn %v", i+1, p.Span, tu.Span)
			}
			prevPara = p.End
			prevSent := p.Start
			for _, s := range p.Sentences {
				if s.Start < prevSent || s.End > p.End || s.Start >= s.End {
					t.Fatalf("turn %d: sentence %v outside paragraph %v", i+1, s.Span, p.Span)
				}
				prevSent = s.End
				prevTok := s.Start
				for _, tok := range s.Tokens {
					if tok.Start < prevTok || tok.End > s.End || tok.Start >= tok.End {
						t.Fatalf("turn %d: token %q %v outside sentence %v", i+1, tok.Text, Span{tok.Start, tok.End}, s.Span)
					}
					if d.Text[tok.Start:tok.End] != tok.Text {
						t.Fatalf("token text %q != slice %q", tok.Text, d.Text[tok.Start:tok.End])
					}
					prevTok = tok.End
				}
			}
		}
	}
}

func summarise(d *Source) []turnSummary {
	var out []turnSummary
	for _, t := range d.Turns {
		out = append(out, turnSummary{t.Speaker, d.Text[t.Start:t.End], t.Begin})
	}
	return out
}

func TestPlainTextTurns(t *testing.T) {
	ms := func(h, m, s, f int) Time { return Time(((h*60+m)*60+s)*1000 + f) }
	tests := []struct {
		name   string
		file   string
		text   string
		header string
		want   []turnSummary
	}{
		{
			name:   "name colon labels with wrapped, indented continuation",
			file:   "P01.txt",
			text:   "Interview P01 — Northbridge–Gulu\nTranscribed verbatim\n\nInterviewer: How did you get involved?\n\nDr Marsh: A colleague asked me. I thought it would be\n  a chance to give something back.\n\nInterviewer: And the debriefs?\nDr Marsh: There weren't any.\n",
			header: "Interview P01 — Northbridge–Gulu\nTranscribed verbatim",
			want: []turnSummary{
				{"Interviewer", "How did you get involved?", NoTime},
				{"Dr Marsh", "A colleague asked me. I thought it would be\n  a chance to give something back.", NoTime},
				{"Interviewer", "And the debriefs?", NoTime},
				{"Dr Marsh", "There weren't any.", NoTime},
			},
		},
		{
			name:   "metadata header with labels used once",
			file:   "P02.txt",
			text:   "Date: 4 April 2025\nInterviewer: R. Patel\nParticipant: P02\n\n[00:00:05] Interviewer 1: Thanks for joining.\n[00:00:09] Grace Akello: You are welcome.\n[00:01:10] Interviewer 2: Can I ask about ‘learning’?\n[00:01:15] Grace Akello: Yes. We taught them triage.\n[00:02:00] Interviewer 1: Thank you.\n[00:02:03] Interviewer 2: Thanks.\n",
			header: "Date: 4 April 2025\nInterviewer: R. Patel\nParticipant: P02",
			want: []turnSummary{
				{"Interviewer 1", "Thanks for joining.", ms(0, 0, 5, 0)},
				{"Grace Akello", "You are welcome.", ms(0, 0, 9, 0)},
				{"Interviewer 2", "Can I ask about ‘learning’?", ms(0, 1, 10, 0)},
				{"Grace Akello", "Yes. We taught them triage.", ms(0, 1, 15, 0)},
				{"Interviewer 1", "Thank you.", ms(0, 2, 0, 0)},
				{"Interviewer 2", "Thanks.", ms(0, 2, 3, 0)},
			},
		},
		{
			name: "short labels with tab and timecode after the label",
			file: "P03.txt",
			text: "I\t00:01:05\tSo tell me about Lusaka.\nR\t00:01:12\tWell, it was my first trip.\nI\t00:02:40\tAnd the early warning score?\nR\t00:02:44\tWe brought it home.\n",
			want: []turnSummary{
				{"I", "So tell me about Lusaka.", ms(0, 1, 5, 0)},
				{"R", "Well, it was my first trip.", ms(0, 1, 12, 0)},
				{"I", "And the early warning score?", ms(0, 2, 40, 0)},
				{"R", "We brought it home.", ms(0, 2, 44, 0)},
			},
		},
		{
			name: "hash timestamps before short labels with spaces",
			file: "P04.txt",
			text: "#00:02:14.5# Q    And how did the visits start?\n#00:02:20.0# A    They wrote to us first.\n    Then they came.\n#00:03:01.2# Q    Who set the agenda?\n#00:03:05.9# A    Mostly them.\n",
			want: []turnSummary{
				{"Q", "And how did the visits start?", ms(0, 2, 14, 500)},
				{"A", "They wrote to us first.\n    Then they came.", ms(0, 2, 20, 0)},
				{"Q", "Who set the agenda?", ms(0, 3, 1, 200)},
				{"A", "Mostly them.", ms(0, 3, 5, 900)},
			},
		},
		{
			name:   "bracket labels after bare timestamps",
			file:   "P10.txt",
			text:   "Pharmacy interview\n00:04:31 [Interviewer] What did you learn?\n00:04:40 [Tom] Yeah so, stock control.\n00:05:02 [Interviewer] Anything else?\n00:05:07 [Tom] Not really.\n",
			header: "Pharmacy interview",
			want: []turnSummary{
				{"Interviewer", "What did you learn?", ms(0, 4, 31, 0)},
				{"Tom", "Yeah so, stock control.", ms(0, 4, 40, 0)},
				{"Interviewer", "Anything else?", ms(0, 5, 2, 0)},
				{"Tom", "Not really.", ms(0, 5, 7, 0)},
			},
		},
		{
			name: "frames and milliseconds after the label",
			file: "P12.txt",
			text: "Dr Mulenga: 00:12:05:14 Well, I think so.\nInterviewer: 00:12:09:00 Why?\nDr Mulenga: 00:31:40,250 Because they listened.\nInterviewer: 00:31:45,000 Thank you.\n",
			want: []turnSummary{
				{"Dr Mulenga", "Well, I think so.", ms(0, 12, 5, 560)},
				{"Interviewer", "Why?", ms(0, 12, 9, 0)},
				{"Dr Mulenga", "Because they listened.", ms(0, 31, 40, 250)},
				{"Interviewer", "Thank you.", ms(0, 31, 45, 0)},
			},
		},
		{
			name: "parenthesised mm:ss before labels",
			file: "P06.txt",
			text: "(03:15) Interviewer: Shall we start?\n(03:40) Dr Mensah: Yes.\n(47:02) Interviewer: Last question.\n(47:10) Dr Mensah: Humility.\n",
			want: []turnSummary{
				{"Interviewer", "Shall we start?", ms(0, 3, 15, 0)},
				{"Dr Mensah", "Yes.", ms(0, 3, 40, 0)},
				{"Interviewer", "Last question.", ms(0, 47, 2, 0)},
				{"Dr Mensah", "Humility.", ms(0, 47, 10, 0)},
			},
		},
		{
			name:   "markdown with bold labels and a second paragraph",
			file:   "P11.md",
			text:   "# Interview P11\n\nService manager, Wessex.\n\n**Interviewer:** What changed?\n\n**Priya:** The handover.\n\nAnd the way we debrief now.\n\n**Interviewer:** Thanks.\n\n**Priya:** Pleasure.\n",
			header: "# Interview P11\n\nService manager, Wessex.",
			want: []turnSummary{
				{"Interviewer", "What changed?", NoTime},
				{"Priya", "The handover.\n\nAnd the way we debrief now.", NoTime},
				{"Interviewer", "Thanks.", NoTime},
				{"Priya", "Pleasure.", NoTime},
			},
		},
		{
			name: "a colon label inside a bracket-labelled file is text",
			file: "x.txt",
			text: "[Interviewer] Did you have a debrief?\n[Ama] No. Note: nobody asked.\nNote: it was late.\n[Interviewer] OK.\n[Ama] Yes.\n",
			want: []turnSummary{
				{"Interviewer", "Did you have a debrief?", NoTime},
				{"Ama", "No. Note: nobody asked.\nNote: it was late.", NoTime},
				{"Interviewer", "OK.", NoTime},
				{"Ama", "Yes.", NoTime},
			},
		},
		{
			name: "timestamp alone on the line before each turn",
			file: "x.txt",
			text: "[00:00:01]\nInterviewer: Hello.\n[00:00:04]\nAma: Hello.\n[00:00:09]\nInterviewer: Right.\nAma: Bye.\n",
			want: []turnSummary{
				{"Interviewer", "Hello.", ms(0, 0, 1, 0)},
				{"Ama", "Hello.", ms(0, 0, 4, 0)},
				{"Interviewer", "Right.", ms(0, 0, 9, 0)},
				{"Ama", "Bye.", NoTime},
			},
		},
		{
			name: "a two-column table of speaker and words",
			file: "P05.docx.txt",
			text: "Interviewer | What did you learn?\n\nDr Whitfield | Triage, mostly | and humility.\n\nInterviewer | Thank you.\n\nDr Whitfield | Pleasure.\n",
			want: []turnSummary{
				{"Interviewer", "What did you learn?", NoTime},
				{"Dr Whitfield", "Triage, mostly | and humility.", NoTime},
				{"Interviewer", "Thank you.", NoTime},
				{"Dr Whitfield", "Pleasure.", NoTime},
			},
		},
		{
			name: "CRLF, BOM and a lone speaker label line",
			file: "x.txt",
			text: "\ufeffInterviewer:\r\nWhat did you bring back?\r\nNurse Ama: Triage.\r\nInterviewer: Go on.\r\nNurse Ama: Colour bands.\r\n",
			want: []turnSummary{
				{"Interviewer", "What did you bring back?", NoTime},
				{"Nurse Ama", "Triage.", NoTime},
				{"Interviewer", "Go on.", NoTime},
				{"Nurse Ama", "Colour bands.", NoTime},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readPlain(t, tt.file, tt.text, Options{})
			if got := d.Text[d.Header.Start:d.Header.End]; got != tt.header {
				t.Errorf("header = %q, want %q", got, tt.header)
			}
			got := summarise(d)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d turns %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("turn %d = %+v, want %+v", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSpeakerPattern(t *testing.T) {
	text := "MODERATOR - welcome all.\nNURSE1 - thank you.\nMODERATOR - first question.\n"
	d := readPlain(t, "fg.txt", text, Options{SpeakerPattern: regexp.MustCompile(`^(?P<speaker>[A-Z0-9]{2,}) -`)})
	got := summarise(d)
	want := []turnSummary{{"MODERATOR", "welcome all.", NoTime}, {"NURSE1", "thank you.", NoTime}, {"MODERATOR", "first question.", NoTime}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("turn %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
	// Without the pattern these lines have no label qcode knows: a
	// document, one paragraph a line.
	if d := readPlain(t, "fg.txt", text, Options{}); !d.IsDocument() || len(d.Turns) != 3 {
		t.Errorf("without a pattern: %+v, want a document of 3 paragraphs", summarise(d))
	}
}

func TestPlainTextErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "fg.txt: file is empty"},
		{"only spaces", " \n\t\n", "file is empty"},
		{"binary", "PK\x03\x04\x00\x00garbage", "binary"},
		{"mixed utf-8", "Interviewer: café\nAma: caf\xe9\n", "fg.txt:2: invalid UTF-8"},
		{"undefined 1252 byte", "Interviewer: a\x81b\n", "fg.txt:1: byte 0x81"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(Input{Path: "fg.txt", Data: []byte(tt.text)}, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{
		"Interviewer: Hello.\nAma: Hi. No. Mm.\nInterviewer: Dr. Okafor said e.g. this — right…\nAma: ‘Yes’.\n",
		"[00:01:02] A: x\n[00:01:03] B: y\n[00:01:04] A: z\n[00:01:05] B: w\n",
		"I\t00:01:05\tSo.\nR\t00:01:06\tWell.\nI\tOK\nR\tyes\n",
		"**Q:** a\n\n**A:** b\n\nc\n\n**Q:** d\n**A:** e 🙂 f\n",
		"#00:00:01.5# Q   x\n#00:00:02.5# A   y\n  z\n#00:00:03.5# Q   w\n#00:00:04# A   v\n",
		"Visit notes.\n\nNote: gloves.\n\n[00:00:03] Ward round.\n\nNote: rota.\n\nDebrief.\n",
		"One line.\nNote: two.\n[00:01]\nThree, wrapped\nhere.\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		docs, err := Read(Input{Path: "f.txt", Data: []byte(s)}, "")
		if err != nil {
			return
		}
		for _, d := range docs {
			checkSpans(t, d)
		}
	})
}

// A text with no speaker labels (field notes, a policy paper, an essay
// answer) reads as a document: one turn a paragraph, with no speaker, no
// header, every word of the text in a turn.
func TestPlainTextDocument(t *testing.T) {
	tests := []struct {
		file       string
		paragraphs int
		first      string
	}{
		{"field-notes.txt", 10, "Field notes: partnership visit to Gulu Regional Referral Hospital, 14 to 18 October"},
		{"policy.md", 6, "# Health partnership volunteering: guidance for NHS trusts"},
		{"essay.txt", 4, "Q7. In your own words, what did the partnership change for you?"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			d := readPlain(t, tt.file, string(data), Options{})
			if !d.IsDocument() || d.Header != (Span{}) || len(d.Turns) != tt.paragraphs {
				t.Fatalf("document %v, header %+v, %d turns, want %d paragraphs", d.IsDocument(), d.Header, len(d.Turns), tt.paragraphs)
			}
			if got := d.Text[d.Turns[0].Start:d.Turns[0].End]; got != tt.first {
				t.Errorf("first turn %q", got)
			}
			// Every paragraph is a turn and nothing else is: the turns
			// joined by blank lines are the text.
			var parts []string
			for _, tu := range d.Turns {
				parts = append(parts, d.Text[tu.Start:tu.End])
				if tu.Begin != NoTime {
					t.Errorf("turn at line %d dated %v", tu.Line, tu.Begin)
				}
			}
			if got := strings.Join(parts, "\n\n"); got != strings.TrimSpace(d.Text) {
				t.Errorf("the turns hold\n%s", got)
			}
			Segment(d)
			for i, tu := range d.Turns {
				if len(tu.Paragraphs) != 1 {
					t.Errorf("turn %d has %d paragraphs", i+1, len(tu.Paragraphs))
				}
			}
		})
	}
	// A header-like first block is a paragraph of the document too.
	d := readPlain(t, "notes.txt", "Interview notes\nDate: 3 May\n\nThe theatre was short of gloves.\nThe debrief was open.\n\nNothing else was recorded.\n", Options{})
	if got := summarise(d); len(got) != 3 || got[0] != (turnSummary{"", "Interview notes\nDate: 3 May", NoTime}) || got[2].text != "Nothing else was recorded." {
		t.Errorf("notes: %+v", got)
	}
	// A file saved one paragraph a line, with no blank line, gives one
	// turn a line.
	d = readPlain(t, "notes.txt", "The theatre was short of gloves.\nThe debrief was open.\nNothing else was recorded.\n", Options{})
	if got := summarise(d); len(got) != 3 || got[1].text != "The debrief was open." {
		t.Errorf("one paragraph a line: %+v", got)
	}
	// A line wrapped mid-sentence goes on with the paragraph.
	d = readPlain(t, "notes.txt", "The theatre was short of\ngloves that week.\nThe debrief was open.\n", Options{})
	if got := summarise(d); len(got) != 2 || got[0].text != "The theatre was short of\ngloves that week." {
		t.Errorf("a wrapped line: %+v", got)
	}
	// Paragraphs that open with a timestamp (a caption file without
	// voices, written in qcode's plain form) are dated by it.
	d = readPlain(t, "call.txt", "[00:00:03.120] Thanks for joining.\n\n[00:00:09] Shall we start with the visit?\n", Options{})
	if got := summarise(d); len(got) != 2 || got[0] != (turnSummary{"", "Thanks for joining.", 3120}) || got[1] != (turnSummary{"", "Shall we start with the visit?", 9000}) {
		t.Errorf("dated paragraphs: %+v", got)
	}
}

// labelledText's rule, from both sides: speakers' labels must open at least
// a third of the paragraphs. A few paragraphs starting "Note:" or
// "Summary:" make a document; a transcript whose answers run to several
// paragraphs, or whose lines are wrapped, is still a transcript.
func TestPlainTextLabelledOrDocument(t *testing.T) {
	answer := "Dr Okafor: We went out in 2019, the first time.\n\nIt was a short visit, two weeks.\n\nThen I went back twice more.\n\n"
	tests := []struct {
		name     string
		text     string
		speakers []string // nil: a document
	}{
		{"notes with Note and Summary", "Visit day one.\n\nNote: gloves short.\n\nWard round with the team.\n\nTheatre list ran late.\n\nNote: ask about rota.\n\nDebrief was open.\n\nSummary: a good week.\n", nil},
		{"one paragraph a line with notes", "Visit day one.\nNote: gloves short.\nWard round with the team.\nTheatre list ran late.\nNote: ask about rota.\nDebrief was open.\nFriday we left.\n", nil},
		{"labels that open a third", "Visit day one.\n\nNote: gloves short.\n\nNote: ask about rota.\n\nFriday we left.\n\nThe end of it.\n\nNothing more.\n", []string{"Note"}},
		{"answers of three paragraphs", strings.Repeat("Interviewer: Tell me about it?\n\n"+answer, 3), []string{"Interviewer", "Dr Okafor"}},
		{"wrapped lines, no blank lines", "Interviewer: How did it start\nfor you, and when?\nGrace: It started in 2019 when\nthe trust asked for volunteers and\nI put my name down without\nthinking much about it.\nInterviewer: And then?\nGrace: Then we went.\n", []string{"Interviewer", "Grace"}},
		{"two lines", "Interviewer: Hello.\nAma: Hi.\nInterviewer: Why?\nAma: Because.\n", []string{"Interviewer", "Ama"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readPlain(t, "f.txt", tt.text, Options{})
			names, _ := d.Speakers()
			if tt.speakers == nil {
				if !d.IsDocument() {
					t.Errorf("speakers %q, want a document", names)
				}
				return
			}
			if !slices.Equal(names, tt.speakers) {
				t.Errorf("speakers %q, want %q", names, tt.speakers)
			}
		})
	}
}
