package qdaxml

import "testing"

func TestValidGUID(t *testing.T) {
	for s, want := range map[string]bool{
		"7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b":   true,
		"{7A1C0F3E-2B4D-4E5F-8A6B-9C0D1E2F3A4B}": true,
		"7a1c0f3e2b4d4e5f8a6b9c0d1e2f3a4b":       false,
		"{7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b":  false,
		"":                                       false,
		"7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4g":   false,
		"7a1c0f3e_2b4d-4e5f-8a6b-9c0d1e2f3a4b":   false,
		"7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b}":  false,
		"7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b\n": false,
		"{{7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a}}": false,
		"7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b00": false,
	} {
		if ValidGUID(s) != want {
			t.Errorf("ValidGUID(%q) = %v", s, !want)
		}
	}
}

func TestBadChar(t *testing.T) {
	if r, bad := BadChar("Amara: ☕ é \t\r\n"); bad {
		t.Errorf("BadChar found %U in good text", r)
	}
	if r, bad := BadChar("bell\a"); !bad || r != '\a' {
		t.Errorf("BadChar missed the bell: %U %v", r, bad)
	}
	if _, bad := BadChar("caf\xe9"); !bad {
		t.Error("BadChar missed a byte that is not UTF-8")
	}
}

func TestUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"\xef\xbb\xbf<a/>":             "<a/>",
		"\xff\xfe<\x00a\x00/\x00>\x00": "<a/>",
		"\xfe\xff\x00<\x00a\x00/\x00>": "<a/>",
		"<a/>":                         "<a/>",
	} {
		got, err := UTF8([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("UTF8(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := UTF8([]byte("\xff\xfe<\x00a")); err == nil {
		t.Error("UTF-16 cut short was taken")
	}
}
