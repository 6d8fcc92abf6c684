package app_test

// The target for corrections: importing again an edited
// 10,000-word transcript with 500 codings by a person, in under a second:
//
//	go test -run '^$' -bench ReimportEdited ./app
//
// Each round imports the other of two versions of the transcript, which
// differ by 60 scattered corrections (words heard better, inserted,
// deleted), so every import is a correction: the diff, the source's
// turns and sentences written again, the 500 codings moved, the rules
// run again over the source, and the index brought up to date.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/app"
	"qcode/internal/corpusgen"
)

func BenchmarkReimportEdited(b *testing.B) {
	ctx := context.Background()
	tmp := b.TempDir()
	dir := filepath.Join(tmp, "study")
	if _, err := app.Init(ctx, dir); err != nil {
		b.Fatal(err)
	}
	p, err := app.Open(ctx, app.Options{Dir: dir, Command: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var sb strings.Builder
	if err := corpusgen.Interview(&sb, "txt", 10000, rand.New(rand.NewPCG(10, 500))); err != nil {
		b.Fatal(err)
	}
	text := sb.String()
	versions := []string{filepath.Join(tmp, "a", "G01.txt"), filepath.Join(tmp, "b", "G01.txt")}
	for i, t := range []string{text, corpusgen.Correct(text, 60, 20, rand.New(rand.NewPCG(7, 7)))} {
		os.MkdirAll(filepath.Dir(versions[i]), 0o755)
		if err := os.WriteFile(versions[i], []byte(t), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := p.Import(ctx, app.ImportOptions{Files: versions[:1]}, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		b.Fatal(err)
	}
	var src *app.Source
	// 500 codings by a person, on sentences through the transcript.
	src, err = p.Source(ctx, "G01")
	if err != nil {
		b.Fatal(err)
	}
	var rows []string
	for _, t := range src.Turns {
		for _, s := range t.Sentences {
			rows = append(rows, fmt.Sprintf("G01:s%d,humility", s.Ord))
		}
	}
	if len(rows) < 500 {
		b.Fatalf("the transcript has %d sentences", len(rows))
	}
	step := len(rows) / 500
	var csv strings.Builder
	csv.WriteString("segment,code\n")
	for i := range 500 {
		csv.WriteString(rows[i*step] + "\n")
	}
	codings := filepath.Join(tmp, "codings.csv")
	os.WriteFile(codings, []byte(csv.String()), 0o644)
	if _, err := p.ImportCodings(ctx, codings, "amina"); err != nil {
		b.Fatal(err)
	}
	n, moved, changed := 0, 0, 0
	for b.Loop() {
		n++
		rep, err := p.Import(ctx, app.ImportOptions{Files: versions[n%2 : n%2+1], Coder: "amina"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		c := rep.Files[0].Sources[0].Correction
		if c == nil || c.Moved+len(c.Changed) != 500 || !c.RulesRemade {
			b.Fatalf("round %d: %+v", n, c)
		}
		moved, changed = c.Moved, len(c.Changed)
	}
	b.ReportMetric(float64(src.Words), "words")
	b.ReportMetric(float64(moved), "moved")
	b.ReportMetric(float64(changed), "changed")
}
