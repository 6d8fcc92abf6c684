package textfile

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestDecode(t *testing.T) {
	utf16le := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"utf-8 with BOM", []byte("\xEF\xBB\xBFInterviewer: hi"), "Interviewer: hi"},
		{"CRLF and lone CR", []byte("a\r\nb\rc"), "a\nb\nc"},
		{"windows-1252 curly quotes and pound", []byte("\x93debrief\x94 cost \xA340 \x96 caf\xE9"), "“debrief” cost £40 – café"},
		{"latin-1 accents", []byte("Jos\xE9 and A\xEFcha"), "José and Aïcha"},
		{"utf-16 with BOM", utf16le("Zoë: hello\r\n"), "Zoë: hello\n"},
		{"NFD made NFC", []byte("cafe\u0301"), "caf\u00e9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode("f.txt", tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Decode = %q, want %q", got, tt.want)
			}
		})
	}
	bad := []struct {
		name string
		in   []byte
		want string
	}{
		{"NUL bytes", []byte("line one\nline\x00two"), "f.txt:2: holds NUL bytes"},
		{"utf-8 with a stray byte", []byte("café\nbad \xE9 here"), "f.txt:2: invalid UTF-8"},
		{"control character", []byte("ok\nthen \x1b[31m"), "f.txt:2: holds control character"},
		{"odd utf-16", []byte{0xFF, 0xFE, 'a'}, "odd number of bytes"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("f.txt", tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestEncoding(t *testing.T) {
	for in, want := range map[string]string{
		"\xEF\xBB\xBFInterviewer: hi":               "UTF-8",
		"Dr Marsh: the caf\u00e9 by the ward":       "UTF-8",
		"\xFF\xFEZ\x00":                             "UTF-16LE",
		"\xFE\xFF\x00Z":                             "UTF-16BE",
		"Dr Marsh: the \x93debrief\x94 cost \xA340": "Windows-1252",
	} {
		if got := Encoding([]byte(in)); got != want {
			t.Errorf("Encoding(%q) = %s, want %s", in, got, want)
		}
	}
}
