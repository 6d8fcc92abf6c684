package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func sentenceTexts(text string) ([]string, [][]string) {
	var sents []string
	var toks [][]string
	for _, s := range Sentences(text, Span{0, len(text)}) {
		sents = append(sents, text[s.Start:s.End])
		var ts []string
		for _, t := range s.Tokens {
			ts = append(ts, t.Text)
		}
		toks = append(toks, ts)
	}
	return sents, toks
}

// Each case shows something prose or Punkt gets wrong on transcripts and
// qcode mends (see Sentences), or something they get right that must stay.
func TestSentences(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		sents []string
	}{
		{"short answers end sentences (Punkt takes 'no' for an abbreviation)",
			"Yes. No. Mm. We did.", []string{"Yes.", "No.", "Mm.", "We did."}},
		{"titles and e.g. do not end sentences",
			"I went with Dr. Okafor to Gulu, e.g. the ward. We saw Mrs. Banda there.",
			[]string{"I went with Dr. Okafor to Gulu, e.g. the ward.", "We saw Mrs. Banda there."}},
		{"i.e. and Prof. mid-sentence",
			"The theatre, i.e. the main one, was Prof. Mensah's. It was full.",
			[]string{"The theatre, i.e. the main one, was Prof. Mensah's.", "It was full."}},
		{"curly quotes close a sentence",
			"She said “no debriefs.” And that was it.", []string{"She said “no debriefs.”", "And that was it."}},
		{"question and exclamation marks",
			"Did it work? Honestly! It did.", []string{"Did it work?", "Honestly!", "It did."}},
		{"decimals and money stay whole",
			"It took 2.5 hours and cost £40. Then we left.", []string{"It took 2.5 hours and cost £40.", "Then we left."}},
		{"an em-dash does not end a sentence",
			"We tried — honestly we did — and it failed.", []string{"We tried — honestly we did — and it failed."}},
		{"a wrapped line is not a sentence break",
			"I thought it would be\n  a chance to give back.", []string{"I thought it would be\n  a chance to give back."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := sentenceTexts(tt.text)
			if !reflect.DeepEqual(got, tt.sents) {
				t.Errorf("sentences = %q\nwant        %q", got, tt.sents)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		// prose keeps the period on short capitalised words.
		{"Yes.", []string{"Yes", "."}},
		// prose rewrites curly apostrophes; the span still covers the original.
		{"I don’t know.", []string{"I", "do", "n’t", "know", "."}},
		{"We can't.", []string{"We", "ca", "n't", "."}},
		// Titles keep their period.
		{"Ask Dr. Okafor.", []string{"Ask", "Dr.", "Okafor", "."}},
		// prose leaves dashes, ellipses and brackets inside words.
		{"honestly… it was—no.", []string{"honestly", "…", "it", "was", "—", "no", "."}},
		{"(laughs)I mean it.", []string{"(", "laughs", ")", "I", "mean", "it", "."}},
		{"well... I see.", []string{"well", "...", "I", "see", "."}},
		{"It was ‘fine’.", []string{"It", "was", "‘", "fine", "’", "."}},
		{"P07:Yeah right.", []string{"P07", ":", "Yeah", "right", "."}},
		{"Ask e.g. Zoë 🙂 now.", []string{"Ask", "e.g.", "Zoë", "🙂", "now", "."}},
		{"Northbridge–Gulu link.", []string{"Northbridge", "–", "Gulu", "link", "."}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, toks := sentenceTexts(tt.text)
			var got []string
			for _, ts := range toks {
				got = append(got, ts...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tokens = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOffsetsExact proves that slicing the stored text by every span gives
// back exactly the segment, in bytes and in characters, on text with emoji,
// curly quotes, accents, combining marks (made NFC) and CRLF line endings.
func TestOffsetsExact(t *testing.T) {
	raw := "Interviewer: Welcome, Zoë. Was it “bidirectional”?\r\n" +
		"Dr Asante: Yes. The team — José, Aïcha and I — learned 🙂 a lot.\r\n" +
		"  We cane\u0301 back… with ideas.\r\n\r\n" +
		"  Second paragraph: it’s true.\r\n" +
		"Interviewer: 👍🏽 Great. Thank you.\r\n" +
		"Dr Asante: No. Mm. Thank you.\r\n"
	d := readPlain(t, "P09.txt", raw, Options{})
	if strings.Contains(d.Text, "\r") {
		t.Fatal("CR survived normalisation")
	}
	if !strings.Contains(d.Text, "can\u00e9") && !strings.Contains(d.Text, "cané") {
		t.Fatal("combining accent was not composed (NFC)")
	}
	runes := []rune(d.Text)
	conv := NewRunes(d.Text)
	n := 0
	for _, tu := range d.Turns {
		for _, p := range tu.Paragraphs {
			for _, s := range p.Sentences {
				cs, ce := conv.Offset(s.Start), conv.Offset(s.End)
				if got, want := string(runes[cs:ce]), d.Text[s.Start:s.End]; got != want {
					t.Errorf("character span [%d,%d) gives %q, byte span gives %q", cs, ce, got, want)
				}
				if ByteOffset(d.Text, cs) != s.Start || ByteOffset(d.Text, ce) != s.End {
					t.Errorf("ByteOffset does not invert Offset for %v", s.Span)
				}
				for _, tok := range s.Tokens {
					if string(runes[conv.Offset(tok.Start):conv.Offset(tok.End)]) != tok.Text {
						t.Errorf("token %q: character span does not slice it", tok.Text)
					}
				}
				n++
			}
		}
	}
	if n != 11 {
		t.Errorf("got %d sentences, want 11", n)
	}
}
