package corpus

import (
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want Time
		ok   bool
	}{
		{"01:02:03", 3723000, true},
		{"03:15", 195000, true},
		{"00:02:14.5", 134500, true},
		{"00:31:40,250", 1900250, true},
		{"00:12:05:14", 725560, true}, // 14 frames at 25 fps
		{"00:00:01:25", NoTime, false},
		{"1:60", NoTime, false},
		{"12:345", NoTime, false},
		{"10:61:00", NoTime, false},
	}
	for _, tt := range tests {
		got, ok := ParseTime(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseTime(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// Runes converts offsets asked for in any order, as the store asks for a
// turn's end before its paragraphs' starts.
func TestRunesAnyOrder(t *testing.T) {
	text := "Zoë said “yes” 🙂 — then José left."
	r := NewRunes(text)
	for _, b := range []int{len(text), 0, 12, 5, len(text) - 5, 3, 30} {
		if b > len(text) {
			continue
		}
		for b > 0 && b < len(text) && !utf8.RuneStart(text[b]) {
			b--
		}
		if got, want := r.Offset(b), utf8.RuneCountInString(text[:b]); got != want {
			t.Errorf("Offset(%d) = %d, want %d", b, got, want)
		}
	}
}

// Speakers returns names that do not share memory with the document's text,
// so keeping a name (as import reports do) does not keep the text alive.
// This once kept every imported text of a 10M-word import in memory.
func TestSpeakersDoNotPinText(t *testing.T) {
	docs, err := Read(Input{Path: "P07.vtt", Data: []byte("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Rebecca Shaw>We learned a lot.</v>\n\n00:00:04.000 --> 00:00:06.000\n<v Interviewer>Such as?</v>\n\n00:00:07.000 --> 00:00:09.000\n<v Rebecca Shaw>Triage.</v>\n")}, "")
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	lo := uintptr(unsafe.Pointer(unsafe.StringData(d.Text)))
	hi := lo + uintptr(len(d.Text))
	names, turns := d.Speakers()
	if len(names) != 2 || turns["Rebecca Shaw"] != 2 {
		t.Fatalf("speakers %v %v", names, turns)
	}
	inText := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p >= lo && p < hi
	}
	for _, n := range names {
		if inText(n) {
			t.Errorf("name %q points into the text", n)
		}
	}
	for k := range turns {
		if inText(k) {
			t.Errorf("turn-count key %q points into the text", k)
		}
	}
}

func TestTimeClock(t *testing.T) {
	for _, tt := range []struct {
		in            Time
		clock, string string
	}{
		{0, "00:00:00", "00:00:00"},
		{1861277, "00:31:01", "00:31:01.277"}, // a VTT cue's start: the fraction dropped, not rounded
		{1125000, "00:18:45", "00:18:45"},
		{1999, "00:00:01", "00:00:01.999"},
		{36000000 + 59*60000 + 59999, "10:59:59", "10:59:59.999"},
		{NoTime, "", ""},
	} {
		if got := tt.in.Clock(); got != tt.clock {
			t.Errorf("Time(%d).Clock() = %q, want %q", tt.in, got, tt.clock)
		}
		if got := tt.in.String(); got != tt.string {
			t.Errorf("Time(%d).String() = %q, want %q", tt.in, got, tt.string)
		}
	}
}
