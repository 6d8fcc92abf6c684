package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode"
)

// TestCodebookReadAfresh: the project's codebook is parsed once while its
// file stays the same, yet an edit counts at the next call, and a copy a
// caller changes leaves the next caller's alone.
func TestCodebookReadAfresh(t *testing.T) {
	p, _ := emptyProject(t)
	first, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	first.Shown = "changed by a caller"
	again, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	if again.Shown == first.Shown || again.Hash != first.Hash || again.Code("humility") == nil {
		t.Errorf("read again: shown %q, hash %s (first %s)", again.Shown, again.Hash, first.Hash)
	}
	path := filepath.Join(p.Dir, "codebook.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "id: humility", "id: modesty", 1)
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	if cb.Code("modesty") == nil || cb.Code("humility") != nil || cb.Hash == first.Hash {
		t.Errorf("after an edit the codebook has modesty %v, humility %v", cb.Code("modesty") != nil, cb.Code("humility") != nil)
	}
	if err := os.WriteFile(path, []byte("codes: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Codebook(); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("a broken codebook read after a good one: %v", err)
	}
}
