package coding

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// jsonLines are lines that json.Valid takes and lines it refuses, for
// scanLine to agree with: numbers, literals, escapes, nesting, white space
// and the ways each goes wrong.
var jsonLines = []string{
	`{"id":1,"text":"We learnt humility."}`,
	` { "id" : 1 , "text" : "a" } `,
	"{\t\"a\"\r\n:\n[]}",
	`{}`, `{ }`, `[]`, `[1,2]`, `"s"`, `7`, `-0.5e+3`, `true`, `false`, `null`,
	`{"a":{"b":[1,{"c":"}"}]},"text":"\"quoted\" \\ humility","codes":null}`,
	`{"text":"\u00e9\ud83d\ude00\ud800 \udc00x \ud800\u0041 \/\b\f\n\r\t"}`,
	"{\"text\":\"\xff\xfe humility\"}",
	"{\"text\":\"na\u00efve caf\u00e9 \u2028 \ufeff\"}",
	`{"t\u0065xt":"x","text":"humility"}`,
	`{"n":[0,-0,1.0,1e5,1E-5,-12.34e+56,123456789]}`,
	`{"a":"0123456789abcdef0123456789abcdef\"0123456789"}`,
	// Malformed.
	``, ` `, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,"a":1}`, `{"a":1}}`, `{"a":1} x`,
	`{a:1}`, `{'a':1}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":+1}`,
	`{"a":tru}`, `{"a":nulll}`, `{"a":True}`, `{"a":[1,]}`, `{"a":[,1]}`, `{"a":[1 2]}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`, "{\"a\":\"tab\there\"}", `{"a":"open}`,
	`{"a":"\"}`, `{"a":1}{"b":2}`, `{"a":{"b":1}`, `{"a":[}`, `{"a":NaN}`, `{"a":Infinity}`,
	"\x00", `{"a":"x"}` + "\x00",
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`{"a":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
	`{"a":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
}

func TestScanLineAgreesWithEncodingJSON(t *testing.T) {
	for _, line := range jsonLines {
		checkScanLine(t, line)
	}
}

func FuzzScanLine(f *testing.F) {
	for _, line := range jsonLines {
		f.Add(line)
	}
	f.Fuzz(checkScanLine)
}

// checkScanLine holds scanLine to encoding/json on line: the same verdict,
// the same members (keys and raw values) in the same order, and each
// string value decoded by appendUnquoted as json.Unmarshal decodes it.
func checkScanLine(t *testing.T, line string) {
	ms, open, closing, ok := scanLine([]byte(line), nil)
	if want := json.Valid([]byte(line)); ok != want {
		t.Fatalf("scanLine(%q) ok = %v, json.Valid says %v", line, ok, want)
	}
	if !ok {
		return
	}
	trimmed := strings.TrimLeft(line, " \t\r\n")
	if isObject := trimmed[0] == '{'; isObject != (open >= 0) {
		t.Fatalf("scanLine(%q): open = %d for a line that starts %q", line, open, trimmed[0])
	}
	if open < 0 {
		if closing != len(line)-len(trimmed) {
			t.Fatalf("scanLine(%q): the value starts at %d, not %d", line, closing, len(line)-len(trimmed))
		}
		return
	}
	if line[closing] != '}' || strings.TrimRight(line[closing+1:], " \t\r\n") != "" {
		t.Fatalf("scanLine(%q): closing brace at %d", line, closing)
	}
	// The members as encoding/json's tokenizer reads them.
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	if _, err := d.Token(); err != nil {
		t.Fatal(err)
	}
	i := 0
	for d.More() {
		k, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if i >= len(ms) {
			t.Fatalf("scanLine(%q): %d members, encoding/json finds more", line, len(ms))
		}
		m := ms[i]
		raw := []byte(line[m.key:m.keyEnd])
		if got := string(appendUnquoted(nil, raw)); got != k.(string) {
			t.Fatalf("scanLine(%q): member %d key %q, want %q", line, i, got, k)
		}
		if m.keyEsc != bytes.ContainsRune(raw, '\\') {
			t.Fatalf("scanLine(%q): member %d keyEsc = %v", line, i, m.keyEsc)
		}
		if line[m.colon] != ':' {
			t.Fatalf("scanLine(%q): member %d colon at %d", line, i, m.colon)
		}
		val := line[m.val:m.end]
		if val != string(v) {
			t.Fatalf("scanLine(%q): member %d value %q, want %q", line, i, val, v)
		}
		if val[0] == '"' {
			content := val[1 : len(val)-1]
			if esc := strings.Contains(content, `\`); esc != (m.str&strEscape != 0) {
				t.Fatalf("scanLine(%q): member %d escapes = %v", line, i, esc)
			}
			if high := strings.IndexFunc(content, func(r rune) bool { return r >= utf8.RuneSelf || r == utf8.RuneError }) >= 0; high != (m.str&strHigh != 0) {
				t.Fatalf("scanLine(%q): member %d beyond ASCII = %v", line, i, high)
			}
			var want string
			if err := json.Unmarshal([]byte(val), &want); err != nil {
				t.Fatal(err)
			}
			if got := string(appendUnquoted(nil, []byte(val))); got != want {
				t.Fatalf("appendUnquoted(%q) = %q, json.Unmarshal gives %q", val, got, want)
			}
		} else if m.str != 0 {
			t.Fatalf("scanLine(%q): member %d is not a string but has flags %d", line, i, m.str)
		}
		i++
	}
	if i != len(ms) {
		t.Fatalf("scanLine(%q): %d members, encoding/json finds %d", line, len(ms), i)
	}
}

// BenchmarkScanLine checks and lists a typical record.
func BenchmarkScanLine(b *testing.B) {
	line := []byte(`{"id":"S000123","role":"NHS","country":"Uganda","years_involved":7,"scores":{"q1":3,"q2":5},"text":"We learnt a great deal from the partnership, and the \"humility\" of our colleagues. No one was worried about money; the hospital gave us time."}`)
	b.SetBytes(int64(len(line)))
	var ms []member
	for b.Loop() {
		ms, _, _, _ = scanLine(line, ms[:0])
	}
}

func BenchmarkJSONValid(b *testing.B) {
	line := []byte(`{"id":"S000123","role":"NHS","country":"Uganda","years_involved":7,"scores":{"q1":3,"q2":5},"text":"We learnt a great deal from the partnership, and the \"humility\" of our colleagues. No one was worried about money; the hospital gave us time."}`)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		json.Valid(line)
	}
}
