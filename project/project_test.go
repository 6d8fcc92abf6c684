package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/corpus"
)

// MustOpen returns a new project in a temporary folder, open for writing.
func MustOpen(tb testing.TB) *Project {
	tb.Helper()
	p, err := Init(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

func mustRead(tb testing.TB, path, text string) []*corpus.Source {
	tb.Helper()
	docs, err := corpus.Read(corpus.Input{Path: path, Data: []byte(text)}, "")
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

const p03 = "Interview P03, Lusaka\n\nInterviewer: Did you have a debrief when you came home?\n\n" +
	"Sarah: No. Nobody asked. But I brought back the early warning chart — Zoë’s idea 🙂.\n\n" +
	"Interviewer: And did it work here?\n\nSarah: Yes. We changed the handover too.\n"

func TestImportAndRead(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t)
	res, err := p.Import(ctx, mustRead(t, "in/P03.txt", p03), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != Imported || res[0].Name != "P03" {
		t.Fatalf("results = %+v", res)
	}
	if got := res[0].Turns["Sarah"]; got != 2 {
		t.Errorf("Sarah has %d turns, want 2", got)
	}
	src, err := p.Source(ctx, "P03")
	if err != nil {
		t.Fatal(err)
	}
	if src.Header != "Interview P03, Lusaka" {
		t.Errorf("header = %q", src.Header)
	}
	if len(src.Turns) != 4 || src.Turns[1].Speaker != "Sarah" {
		t.Fatalf("turns = %+v", src.Turns)
	}
	// Every stored character span slices the stored text to the segment.
	runes := []rune(src.Text)
	n := 0
	for _, tu := range src.Turns {
		if got := string(runes[tu.Start:tu.End]); got != tu.Text {
			t.Errorf("turn %d: chars [%d,%d) = %q, text %q", tu.Ord, tu.Start, tu.End, got, tu.Text)
		}
		for _, s := range tu.Sentences {
			n++
			if s.Ord != n {
				t.Errorf("sentence ord %d, want %d", s.Ord, n)
			}
			if got := string(runes[s.Start:s.End]); got != s.Text {
				t.Errorf("sentence %d: chars [%d,%d) = %q, text %q", s.Ord, s.Start, s.End, got, s.Text)
			}
			if len(s.Tokens) == 0 {
				t.Errorf("sentence %d has no tokens", s.Ord)
			}
			for _, tok := range s.Tokens {
				if src.Text[tok.Start:tok.End] != tok.Text {
					t.Errorf("token %q does not slice the text", tok.Text)
				}
			}
		}
	}
	if want := "No. Nobody asked. But I brought back the early warning chart — Zoë’s idea 🙂."; src.Turns[1].Text != want {
		t.Errorf("turn 2 = %q", src.Turns[1].Text)
	}
	if got := src.Turns[1].Sentences[2].Text; got != "But I brought back the early warning chart — Zoë’s idea 🙂." {
		t.Errorf("sentence 4 = %q", got)
	}
}

func TestReimport(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t)
	if _, err := p.Import(ctx, mustRead(t, "P03.txt", p03), false); err != nil {
		t.Fatal(err)
	}
	res, err := p.Import(ctx, mustRead(t, "copy/P03.txt", p03), false)
	if err != nil || res[0].Status != Unchanged {
		t.Fatalf("same content again: %+v, %v; want unchanged", res, err)
	}
	changed := strings.Replace(p03, "handover", "ward round", 1)
	_, err = p.Import(ctx, mustRead(t, "P03.txt", changed), false)
	var e *qcode.Error
	if !errors.As(err, &e) || e.Code != qcode.ECONFLICT || e.Help != qcode.HelpOption || e.HelpOn != "replace" {
		t.Fatalf("different content: err = %v, want a conflict the option replace mends", err)
	}
	if err := p.CheckImport(ctx, mustRead(t, "P03.txt", changed), false); qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("CheckImport: %v, want the same conflict", err)
	}
	res, err = p.Import(ctx, mustRead(t, "P03.txt", changed), true)
	if err != nil || res[0].Status != Replaced {
		t.Fatalf("--replace: %+v, %v", res, err)
	}
	src, err := p.Source(ctx, "P03")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(src.Turns[3].Text, "ward round") {
		t.Errorf("replaced source still says %q", src.Turns[3].Text)
	}
	srcs, _ := p.Sources(ctx)
	if len(srcs) != 1 {
		t.Errorf("%d sources after replace, want 1", len(srcs))
	}
}

// A file whose second document fails leaves no trace of the first.
func TestImportIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t)
	docs := mustRead(t, "P03.txt", p03)
	bad := *docs[0]
	bad.Name = "P04"
	bad.Turns = nil
	_, err := p.Import(ctx, []*corpus.Source{docs[0], &bad}, false)
	if err == nil {
		t.Fatal("importing a document without turns succeeded")
	}
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 0 {
		t.Errorf("after a failed import the project holds %d sources", len(srcs))
	}
	var n int
	p.db.QueryRow(`SELECT (SELECT COUNT(*) FROM turns) + (SELECT COUNT(*) FROM segments) + (SELECT COUNT(*) FROM speakers) + (SELECT COUNT(*) FROM cases)`).Scan(&n)
	if n != 0 {
		t.Errorf("after a failed import %d rows remain", n)
	}
}

func TestReadOnlyFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	_, err = Open(ctx, dir, ReadWrite)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("err = %v, want read-only", err)
	}
}

func TestFind(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	deep := filepath.Join(dir, "transcripts", "2025")
	os.MkdirAll(deep, 0o755)
	got, err := Find(deep)
	if err != nil || got != dir {
		t.Errorf("Find(%s) = %s, %v; want %s", deep, got, err, dir)
	}
	_, err = Find(t.TempDir())
	var e *qcode.Error
	if !errors.As(err, &e) || e.Code != qcode.ENOTFOUND || e.Help != qcode.HelpProject || !strings.Contains(err.Error(), "is not in a qcode project") {
		t.Errorf("outside a project: %v", err)
	}
	if _, err := Init(ctx, dir); qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("init twice: %v, want conflict", err)
	}
}

func TestUnknownSourceSuggests(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t)
	if _, err := p.Import(ctx, mustRead(t, "P03.txt", p03), false); err != nil {
		t.Fatal(err)
	}
	_, err := p.Source(ctx, "p3")
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Equal(qcode.Suggestions(err), []string{"P03"}) {
		t.Errorf("err = %v", err)
	}
}

func TestTokenBlobRoundTrip(t *testing.T) {
	text := "xx Zoë’s idea 🙂, no."
	toks := []corpus.Token{{Text: "Zoë", Start: 3, End: 7}, {Text: "’s", Start: 7, End: 11}, {Text: "idea", Start: 12, End: 16}, {Text: "🙂", Start: 17, End: 21}}
	blob := EncodeTokens(nil, 3, toks)
	got, err := DecodeTokens(nil, text, 3, blob)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(toks) {
		t.Fatalf("got %d tokens", len(got))
	}
	for i := range toks {
		if got[i] != toks[i] {
			t.Errorf("token %d = %+v, want %+v", i, got[i], toks[i])
		}
	}
	if _, err := DecodeTokens(nil, "short", 0, blob); err == nil {
		t.Error("a blob pointing past the text decoded")
	}
}

func TestSchemaVersion(t *testing.T) {
	p := MustOpen(t)
	var version int
	if err := p.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion() || version < 3 {
		t.Errorf("a new project's schema is at version %d; SchemaVersion() = %d, want it and 3 or more", version, SchemaVersion())
	}
}
