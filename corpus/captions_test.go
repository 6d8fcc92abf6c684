package corpus

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"qcode"
)

// captionTurn is what a test expects of one turn of a caption file.
type captionTurn struct {
	speaker       string
	words         string
	begin, finish Time
	line          int
}

// captionAt returns the time h:m:s.ms.
func captionAt(h, m, s, ms int) Time { return Time(((h*60+m)*60+s)*1000 + ms) }

func readCaptions(t *testing.T, path, data string) *Source {
	t.Helper()
	docs, err := Captions{}.Read(Input{Path: path, Data: []byte(data)})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	if err := checkCaptionSpans(docs[0]); err != nil {
		t.Fatal(err)
	}
	return docs[0]
}

// checkCaptionSpans checks the offset invariant of a caption document: every
// turn slices its text within bounds, in order, without overlap, trimmed and
// valid UTF-8; the text is the turns in plain transcript form and nothing
// else; and the reader left the header and paragraphs alone.
func checkCaptionSpans(d *Source) error {
	if d.Header != (Span{}) {
		return fmt.Errorf("header %v, want none", d.Header)
	}
	if !utf8.ValidString(d.Text) {
		return fmt.Errorf("text is not valid UTF-8: %q", d.Text)
	}
	if len(d.Turns) == 0 {
		return fmt.Errorf("no turns in %q", d.Text)
	}
	prev := 0
	for i, tu := range d.Turns {
		if tu.Start < prev || tu.Start >= tu.End || tu.End > len(d.Text) {
			return fmt.Errorf("turn %d span %v out of order (previous end %d, text %d bytes)", i+1, tu.Span, prev, len(d.Text))
		}
		words := d.Text[tu.Start:tu.End]
		if strings.TrimSpace(words) != words || !utf8.ValidString(words) {
			return fmt.Errorf("turn %d %q is not trimmed, valid UTF-8", i+1, words)
		}
		// Each turn is a paragraph "[time] Speaker: words" of its own.
		label := "[" + tu.Begin.String() + "] "
		if tu.Speaker != "" {
			label += tu.Speaker + ": "
		}
		sep := "\n\n"
		if i == 0 {
			sep = ""
		}
		if tu.Begin < 0 || !strings.HasSuffix(d.Text[:tu.Start], sep+label) || tu.Start-len(sep+label) != prev {
			return fmt.Errorf("turn %d is not preceded by %q: %q", i+1, sep+label, d.Text[prev:tu.End])
		}
		if tu.Paragraphs != nil {
			return fmt.Errorf("turn %d has paragraphs before Segment", i+1)
		}
		prev = tu.End
	}
	if prev != len(d.Text) {
		return fmt.Errorf("text goes on after the last turn: %q", d.Text[prev:])
	}
	return nil
}

func TestCaptionsRead(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		data   string
		format string
		want   []captionTurn
	}{
		{
			name: "Teams voice tags merge consecutive cues",
			path: "P21.vtt",
			data: "WEBVTT\n\n" +
				"3f2a9c1e-0b7d-4e51-9a3c-5d1f0e2b7c44/12-0\n" +
				"00:00:03.000 --> 00:00:06.250\n" +
				"<v Interviewer>Thanks for joining. Can you hear me?</v>\n\n" +
				"3f2a9c1e-0b7d-4e51-9a3c-5d1f0e2b7c44/13-0\n" +
				"00:00:07.500 --> 00:00:11.000\n" +
				"<v Rebecca Shaw>Yes, loud and clear. I'm on the stroke unit</v>\n\n" +
				"3f2a9c1e-0b7d-4e51-9a3c-5d1f0e2b7c44/13-1\n" +
				"00:00:11.000 --> 00:00:14.120\n" +
				"<v Rebecca Shaw>at the Royal Infirmary, so it may get noisy.</v>\n\n" +
				"3f2a9c1e-0b7d-4e51-9a3c-5d1f0e2b7c44/14-0\n" +
				"00:00:15.000 --> 00:00:16.000\n" +
				"<v.loud Interviewer>No problem.</v>\n",
			format: "vtt",
			want: []captionTurn{
				{"Interviewer", "Thanks for joining. Can you hear me?", captionAt(0, 0, 3, 0), captionAt(0, 0, 6, 250), 4},
				{"Rebecca Shaw", "Yes, loud and clear. I'm on the stroke unit at the Royal Infirmary, so it may get noisy.", captionAt(0, 0, 7, 500), captionAt(0, 0, 14, 120), 8},
				{"Interviewer", "No problem.", captionAt(0, 0, 15, 0), captionAt(0, 0, 16, 0), 16},
			},
		},
		{
			name: "Zoom name prefixes",
			path: "P22.vtt",
			data: "WEBVTT\n\n" +
				"1\n00:00:02.500 --> 00:00:09.019\nInterviewer: Could you tell me about the link with Hawassa?\n\n" +
				"2\n00:00:22.780 --> 00:00:26.453\nTigist Alemu: Yes. We started in 2019.\n\n" +
				"3\n00:00:30.240 --> 00:00:39.569\nTigist Alemu: The first visit was about triage: the NHS team came for two weeks.\n\n" +
				"4\n00:00:40.000 --> 00:00:41.000\nDr. K. Mensah-Boateng: May I add something?\n",
			format: "vtt",
			want: []captionTurn{
				{"Interviewer", "Could you tell me about the link with Hawassa?", captionAt(0, 0, 2, 500), captionAt(0, 0, 9, 19), 4},
				{"Tigist Alemu", "Yes. We started in 2019. The first visit was about triage: the NHS team came for two weeks.", captionAt(0, 0, 22, 780), captionAt(0, 0, 39, 569), 8},
				{"Dr. K. Mensah-Boateng", "May I add something?", captionAt(0, 0, 40, 0), captionAt(0, 0, 41, 0), 16},
			},
		},
		{
			name: "SRT with names",
			path: "P23.srt",
			data: "1\n00:00:01,200 --> 00:00:05,000\nInterviewer: What did the partnership change\nfor your ward?\n\n" +
				"2\n00:00:05,400 --> 00:00:09,800\nDr Asante: The sepsis protocol, mostly.\n\n" +
				"3\n00:00:10,000 --> 00:00:12,000\nWe still use it.\n",
			format: "srt",
			want: []captionTurn{
				{"Interviewer", "What did the partnership change for your ward?", captionAt(0, 0, 1, 200), captionAt(0, 0, 5, 0), 2},
				{"Dr Asante", "The sepsis protocol, mostly. We still use it.", captionAt(0, 0, 5, 400), captionAt(0, 0, 12, 0), 7},
			},
		},
		{
			name: "SRT without names is one turn",
			path: "P24.srt",
			data: "1\n00:01:00,000 --> 00:01:04,000\nWhen the volunteers left,\n\n" +
				"2\n00:01:04,000 --> 00:01:08,500\nthe ventilators stayed: nobody could service them.\n",
			format: "srt",
			want: []captionTurn{
				{"", "When the volunteers left, the ventilators stayed: nobody could service them.", captionAt(0, 1, 0, 0), captionAt(0, 1, 8, 500), 2},
			},
		},
		{
			name: "VTT without voices: a paragraph a pause",
			path: "visit-debrief.vtt",
			data: "WEBVTT\n\n" +
				"00:00:01.000 --> 00:00:04.000\nSo the first thing we noticed on the ward\n\n" +
				"00:00:04.100 --> 00:00:07.000\nwas how few of the charts were in Luo.\n\n" +
				"00:00:09.500 --> 00:00:12.000\nCan I come in there? We did ask for that.\n\n" +
				"00:00:12.500 --> 00:00:14.000\nTwice, in fact.\n",
			format: "vtt",
			want: []captionTurn{
				{"", "So the first thing we noticed on the ward was how few of the charts were in Luo.", captionAt(0, 0, 1, 0), captionAt(0, 0, 7, 0), 3},
				{"", "Can I come in there? We did ask for that. Twice, in fact.", captionAt(0, 0, 9, 500), captionAt(0, 0, 14, 0), 9},
			},
		},
		{
			name: "a name used once in an unlabelled file is text",
			path: "P25.srt",
			data: "1\n00:00:01,000 --> 00:00:02,000\nWe had three problems.\n\n" +
				"2\n00:00:02,000 --> 00:00:03,000\nThe biggest one: money.\n\n" +
				"3\n00:00:03,000 --> 00:00:04,000\nThen staffing.\n",
			format: "srt",
			want: []captionTurn{
				{"", "We had three problems. The biggest one: money. Then staffing.", captionAt(0, 0, 1, 0), captionAt(0, 0, 4, 0), 2},
			},
		},
		{
			name: "cue with two voices splits",
			path: "P26.vtt",
			data: "WEBVTT\n\n" +
				"00:00:05.000 --> 00:00:08.000\n<v Interviewer>And the debriefs?</v> <v Grace Akello>There were none.</v>\n\n" +
				"00:00:08.000 --> 00:00:10.000\n<v Grace Akello>Not one.</v>\n",
			format: "vtt",
			want: []captionTurn{
				{"Interviewer", "And the debriefs?", captionAt(0, 0, 5, 0), captionAt(0, 0, 8, 0), 3},
				{"Grace Akello", "There were none. Not one.", captionAt(0, 0, 5, 0), captionAt(0, 0, 10, 0), 3},
			},
		},
		{
			name: "cue without a voice continues the speaker",
			path: "P27.vtt",
			data: "WEBVTT\n\n" +
				"00:00:01.000 --> 00:00:02.000\n<v Ama Owusu>The midwives trained</v>\n\n" +
				"00:00:02.000 --> 00:00:03.000\nthe next cohort themselves.\n",
			format: "vtt",
			want: []captionTurn{
				{"Ama Owusu", "The midwives trained the next cohort themselves.", captionAt(0, 0, 1, 0), captionAt(0, 0, 3, 0), 3},
			},
		},
		{
			name: "tags and entities stripped",
			path: "P28.vtt",
			data: "WEBVTT\n\n" +
				"00:00:01.000 --> 00:00:04.000 align:start position:10%\n" +
				"<v.first.loud Dr Marsh><i>Honestly</i>, the <b>NHS</b> &amp; <u>Gulu</u> teams\n" +
				"<c.yellow>learnt</c> <lang en-GB>a lot</lang>&nbsp;&#39;on&#x2019;   &lt;both&gt; sides.\n\n" +
				"00:00:04.000 --> 00:00:06.000\n" +
				"<v Dr Marsh><00:00:04.500>We <ruby>shared<rt>sh-air-d</rt></ruby> &lrm;notes &ampx; R&D.</v>\n",
			format: "vtt",
			want: []captionTurn{
				{"Dr Marsh", "Honestly, the NHS & Gulu teams learnt a lot 'on’ <both> sides. We shared \u200enotes &ampx; R&D.", captionAt(0, 0, 1, 0), captionAt(0, 0, 6, 0), 3},
			},
		},
		{
			name:   "SRT font tags, positioning and a literal <",
			path:   "P29.srt",
			data:   "1\n00:00:01,000 --> 00:00:03,000\n{\\an8}<font color=\"#ffff00\">Nurse Lead:</font> Waits under <5 minutes, <i>mostly</i>.\n",
			format: "srt",
			want: []captionTurn{
				{"Nurse Lead", "Waits under <5 minutes, mostly.", captionAt(0, 0, 1, 0), captionAt(0, 0, 3, 0), 2},
			},
		},
		{
			name: "BOM and CRLF",
			path: "P30.vtt",
			data: "\ufeffWEBVTT\r\n\r\n1\r\n00:00:03.000 --> 00:00:05.000\r\n<v Rebecca Shaw>Hello from Bristol.</v>\r\n\r\n" +
				"2\r\n00:00:06.000 --> 00:00:07.000\r\n<v Tigist Alemu>Hello from Hawassa,\r\nwhere it is raining.</v>\r\n",
			format: "vtt",
			want: []captionTurn{
				{"Rebecca Shaw", "Hello from Bristol.", captionAt(0, 0, 3, 0), captionAt(0, 0, 5, 0), 4},
				{"Tigist Alemu", "Hello from Hawassa, where it is raining.", captionAt(0, 0, 6, 0), captionAt(0, 0, 7, 0), 8},
			},
		},
		{
			name: "header metadata, NOTE, STYLE and REGION blocks",
			path: "P31.vtt",
			data: "WEBVTT - Northbridge–Gulu interview\nKind: captions\nLanguage: en\n\n" +
				"STYLE\n::cue {\n  color: papayawhip;\n}\n\n" +
				"REGION\nid:fred\nwidth:40%\n\n" +
				"NOTE transcribed by the Lusaka team\nchecked twice\n\n" +
				"00:00:10.000 --> 00:00:12.000\nInterviewer: Who set the agenda?\n\n" +
				"NOTE\nthe next answer was hard to hear\n\n" +
				"00:00:12.500 --> 00:00:15.000\nDr Mulenga: Mostly the visitors.\n",
			format: "vtt",
			want: []captionTurn{
				{"Interviewer", "Who set the agenda?", captionAt(0, 0, 10, 0), captionAt(0, 0, 12, 0), 17},
				{"Dr Mulenga", "Mostly the visitors.", captionAt(0, 0, 12, 500), captionAt(0, 0, 15, 0), 23},
			},
		},
		{
			name: "Teams unpadded times, mm:ss times and cue settings",
			path: "P32.vtt",
			data: "WEBVTT\n\n" +
				"0:0:3.5 --> 0:0:4.25\n<v Yaw Boateng>Morning.</v>\n\n" +
				"01:05.000 --> 01:07.000 line:0 align:end\n<v Ruth Okello>Morning, Yaw.</v>\n\n" +
				"1:02:03.004 --> 1:02:04.000\n<v Yaw Boateng>Shall we start?</v>\n",
			format: "vtt",
			want: []captionTurn{
				{"Yaw Boateng", "Morning.", captionAt(0, 0, 3, 500), captionAt(0, 0, 4, 250), 3},
				{"Ruth Okello", "Morning, Yaw.", captionAt(0, 1, 5, 0), captionAt(0, 1, 7, 0), 6},
				{"Yaw Boateng", "Shall we start?", captionAt(1, 2, 3, 4), captionAt(1, 2, 4, 0), 9},
			},
		},
		{
			name: "empty cues, extra blank lines, no blank line before a cue or at the end",
			path: "P33.vtt",
			data: "WEBVTT\n00:00:01.000 --> 00:00:02.000\n\n\n\n" +
				"intro\n00:00:02.000 --> 00:00:03.000\nInterviewer: Did the link survive Covid?\n" +
				"00:00:03.000 --> 00:00:04.000\nDr Nakato: Barely.\n   \n\n" +
				"00:00:04.000 --> 00:00:05.000\n<v Dr Nakato></v>\n\n" +
				"00:00:05.000 --> 00:00:06.000\nWe met online.",
			format: "vtt",
			want: []captionTurn{
				{"Interviewer", "Did the link survive Covid?", captionAt(0, 0, 2, 0), captionAt(0, 0, 3, 0), 7},
				{"Dr Nakato", "Barely. We met online.", captionAt(0, 0, 3, 0), captionAt(0, 0, 6, 0), 9},
			},
		},
		{
			name:   "SRT with dots, settings and a missing blank line",
			path:   "P34.srt",
			data:   "1\n00:00:01.000 --> 00:00:02.000\nQ: Any regrets?\n2\n00:00:02,000 --> 00:00:03,000 X1:10 X2:20\nA: None.\n",
			format: "srt",
			want: []captionTurn{
				{"Q", "Any regrets?", captionAt(0, 0, 1, 0), captionAt(0, 0, 2, 0), 2},
				{"A", "None.", captionAt(0, 0, 2, 0), captionAt(0, 0, 3, 0), 5},
			},
		},
		{
			name:   "WebVTT named .srt",
			path:   "P35.srt",
			data:   "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Sister Nambi>We kept the checklists.</v>\n",
			format: "vtt",
			want: []captionTurn{
				{"Sister Nambi", "We kept the checklists.", captionAt(0, 0, 1, 0), captionAt(0, 0, 2, 0), 3},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readCaptions(t, tt.path, tt.data)
			if d.Format != tt.format {
				t.Errorf("format %q, want %q", d.Format, tt.format)
			}
			if want := SourceName(tt.path); d.Name != want {
				t.Errorf("name %q, want %q", d.Name, want)
			}
			// The text is the turns in qcode's plain transcript form.
			var paras []string
			for _, w := range tt.want {
				label := ""
				if w.speaker != "" {
					label = w.speaker + ": "
				}
				paras = append(paras, "["+w.begin.String()+"] "+label+w.words)
			}
			if want := strings.Join(paras, "\n\n"); d.Text != want {
				t.Errorf("text\n%q\nwant\n%q", d.Text, want)
			}
			if len(d.Turns) != len(tt.want) {
				t.Fatalf("got %d turns, want %d", len(d.Turns), len(tt.want))
			}
			for i, w := range tt.want {
				tu := d.Turns[i]
				got := captionTurn{tu.Speaker, d.Text[tu.Start:tu.End], tu.Begin, tu.Finish, tu.Line}
				if got != w {
					t.Errorf("turn %d:\n got %+v\nwant %+v", i+1, got, w)
				}
			}
		})
	}
}

func TestCaptionsReadErrors(t *testing.T) {
	tests := []struct {
		name, path, data, want string
	}{
		{"empty file", "E01.vtt", "", "E01.vtt: file is empty"},
		{"blank file", "E02.srt", "\ufeff \n\n", "E02.srt: file is empty"},
		{"VTT without WEBVTT", "E03.vtt", "1\n00:00:01,000 --> 00:00:02,000\nHello.\n", "E03.vtt:1: first line must be WEBVTT; is this an SRT file? rename it .srt"},
		{"WEBVTT glued to text", "E04.vtt", "WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHello.\n", "E04.vtt:1: first line must be WEBVTT"},
		{"one-digit seconds", "E05.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello.\n\n00:00:0.000 --> 00:00:05.000\nAgain.\n", `E05.vtt:6: broken timing line "00:00:0.000 --> 00:00:05.000"; write it like 00:01:02.500 --> 00:01:05.000`},
		{"two-digit milliseconds", "E06.srt", "1\n00:00:01,00 --> 00:00:02,000\nHello.\n", "E06.srt:2: broken timing line"},
		{"comma in VTT", "E07.vtt", "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nHello.\n", "E07.vtt:3: broken timing line \"00:00:01,000 --> 00:00:02,000\" (WebVTT puts '.', not ',', before the milliseconds)"},
		{"sixty minutes", "E08.vtt", "WEBVTT\n\n00:60:00.000 --> 01:00:02.000\nHello.\n", "E08.vtt:3: broken timing line"},
		{"no end time", "E09.vtt", "WEBVTT\n\nNOTE x\n\n00:00:01.000 -->\nHello.\n", "E09.vtt:5: broken timing line"},
		{"end before start", "E10.srt", "1\n00:00:05,000 --> 00:00:04,000\nHello.\n", "E10.srt:2: the caption ends (00:00:04) before it starts (00:00:05)"},
		{"missing arrow", "E11.srt", "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Hello.\n\n2\n00:00:05,000 -> 00:00:09,000\nDr Asante: Hi.\n", "E11.srt:6: broken timing line \"00:00:05,000 -> 00:00:09,000\": the times must be separated by -->"},
		{"dash instead of arrow in VTT", "E12.vtt", "WEBVTT\n\n00:00:05.000 - 00:00:09.000\nHi.\n", "E12.vtt:3: broken timing line"},
		{"VTT text without timing line", "E13.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n\nAnd welcome.\n", `E13.vtt:6: caption text "And welcome." has no timing line above it`},
		{"SRT number without timing line", "E14.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\nAnd welcome.\n", `E14.srt:6: expected the timing line of caption 2`},
		{"SRT text where a number should be", "E15.srt", "Interview with the Gulu team\n1\n00:00:01,000 --> 00:00:02,000\nHello.\n", `E15.srt:1: expected a caption number or a timing line`},
		{"SRT number at the end", "E16.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n", "E16.srt:5: caption 2 has no timing line"},
		{"no cues", "E17.vtt", "WEBVTT\nKind: captions\n\nNOTE nothing yet\n", "E17.vtt: no captions found"},
		{"only empty cues", "E18.srt", "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\n<i> </i>\n", "E18.srt: no captions found"},
		{"binary", "E19.vtt", "WEBVTT\n\x00\x01", "E19.vtt:2: holds NUL bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Captions{}.Read(Input{Path: tt.path, Data: []byte(tt.data)})
			if err == nil {
				t.Fatalf("no error; got %d documents", len(docs))
			}
			var qe *qcode.Error
			if !errors.As(err, &qe) || qe.Code != qcode.EINVALID {
				t.Errorf("error %v is not a qcode EINVALID error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n%v\nwant it to contain\n%s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is more than one line", err)
			}
		})
	}
}

// TestCaptionsSegment checks that a sentence split across cues of one
// speaker comes out of Read as one sentence.
func TestCaptionsSegment(t *testing.T) {
	data := "WEBVTT\n\n" +
		"00:00:01.000 --> 00:00:03.000\n<v Rebecca Shaw>When we got back to Bristol, the ward</v>\n\n" +
		"00:00:03.000 --> 00:00:05.000\n<v Rebecca Shaw>had changed. Nobody asked about Hawassa.</v>\n"
	docs, err := Read(Input{Path: "P36.vtt", Data: []byte(data)}, "")
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	var got []string
	for _, tu := range d.Turns {
		for _, p := range tu.Paragraphs {
			for _, s := range p.Sentences {
				got = append(got, d.Text[s.Start:s.End])
			}
		}
	}
	want := []string{"When we got back to Bristol, the ward had changed.", "Nobody asked about Hawassa."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences %q, want %q", got, want)
	}
}

func TestParseCaptionTime(t *testing.T) {
	tests := []struct {
		in   string
		seps string
		want Time
		ok   bool
	}{
		{"00:01:02.500", ".", captionAt(0, 1, 2, 500), true},
		{"01:02.500", ".", captionAt(0, 1, 2, 500), true},
		{"100:00:00.000", ".", captionAt(100, 0, 0, 0), true},
		{"00:01:02,500", ".,", captionAt(0, 1, 2, 500), true},
		{"0:0:0.57", ".", 570, true},
		{"0:0:0.0", ".", 0, true},
		{"1:2:3.4", ".", captionAt(1, 2, 3, 400), true},
		{"00:01:02,500", ".", NoTime, false},
		{"00:00:0.000", ".", NoTime, false},
		{"00:01:02.50", ".", NoTime, false},
		{"00:01:02", ".", NoTime, false},
		{"1:02.500", ".", NoTime, false},
		{"00:61:00.000", ".", NoTime, false},
		{"00:00:60.000", ".", NoTime, false},
		{"+0:00:01.000", ".", NoTime, false},
		{"00:00:00:01.000", ".", NoTime, false},
		{"", ".", NoTime, false},
	}
	for _, tt := range tests {
		got, ok := parseCaptionTime(tt.in, tt.seps)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCaptionTime(%q, %q) = %v, %v; want %v, %v", tt.in, tt.seps, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzCaptions checks that no input panics the caption reader and that what
// it reads keeps the offset invariant.
func FuzzCaptions(f *testing.F) {
	seeds := []struct {
		srt  bool
		data string
	}{
		{false, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Rebecca Shaw>Hello.</v> <v Tigist>Hi &amp; bye</v>\n"},
		{false, "\ufeffWEBVTT\r\nKind: captions\r\n\r\nNOTE x\r\n\r\n1\r\n00:01.000 --> 00:02.000 align:start\r\nDr Asante: <i>Yes</i>&#39;\r\n"},
		{false, "WEBVTT\n\n0:0:0.0 --> 0:0:0.570\n<v Yuri>There.</v>\n00:00:0.000 --> 00:00:05.000\n"},
		{false, "WEBVTT\n00:00:01.000 --> 00:00:02.000\n<ruby>a<rt>b</ruby> <00:00:01.500>c &#0; &#1; &ampx;"},
		{true, "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hello\nthere.\n\n2\n00:00:02,000 -> 00:00:03,000\n"},
		{true, "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color=red>A:</font> b\n2\n00:00:02.000 --> 00:00:01.000\nc"},
		{true, "some text\n00:00:00,500 --> 00:00:07,000"},
		{true, "1\n00:00:01,000 --> 00:00:02,000\n<<<<<<<<{\\{\\{\\&#x&&#;&amp<v\n"},
		{true, ""},
	}
	for _, s := range seeds {
		f.Add(s.srt, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, srt bool, data []byte) {
		path := "fuzz.vtt"
		if srt {
			path = "fuzz.srt"
		}
		docs, err := Captions{}.Read(Input{Path: path, Data: data})
		if err != nil {
			var qe *qcode.Error
			if !errors.As(err, &qe) || strings.Contains(qe.Message, "\n") {
				t.Fatalf("error %q is not a one-line qcode error", err)
			}
			return
		}
		if len(docs) != 1 {
			t.Fatalf("got %d documents, want 1", len(docs))
		}
		if err := checkCaptionSpans(docs[0]); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkCaptions(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("WEBVTT\n\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "%d\n%s --> %s\n<v Speaker %d>The partnership <i>trained</i> twelve nurses &amp; four doctors.</v>\n\n",
			i+1, captionClock(Time(i*3000)), captionClock(Time(i*3000+2500)), i/3%2)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := (Captions{}).Read(Input{Path: "bench.vtt", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}

// captionClock formats t as a WebVTT time.
func captionClock(t Time) string {
	ms := int64(t)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
