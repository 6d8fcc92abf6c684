package project

import (
	"context"
	"fmt"
	"io/fs"
	"reflect"
	"testing"

	"qcode/corpus"
	"qcode/internal/sample"
)

// dumpRows returns every row of query as text, for comparing two stores.
func dumpRows(t *testing.T, p *Project, query string) []string {
	t.Helper()
	rows, err := p.db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A source read but not segmented (corpus.Parse) is segmented by the
// store as it is written, a sentence at a time; what it stores and what it
// reports are what storing the source segmented beforehand gives.
func TestImportSegmentsAsItWrites(t *testing.T) {
	ctx := context.Background()
	eager, lazy := MustOpen(t), MustOpen(t)
	for _, name := range []string{"P01.txt", "P02.txt", "P11.md", "P12.txt"} {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		in := corpus.Input{Path: name, Data: data}
		read, err := corpus.Read(in, "")
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := corpus.Parse(in, "")
		if err != nil {
			t.Fatal(err)
		}
		if !read[0].Segmented() || parsed[0].Segmented() {
			t.Fatalf("%s: Segmented() is %v after Read, %v after Parse", name, read[0].Segmented(), parsed[0].Segmented())
		}
		want, err := eager.Import(ctx, read, false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := lazy.Import(ctx, parsed, false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: lazily segmented import reports %+v, segmented %+v", name, got, want)
		}
		if want[0].Counts.Sentences < 20 {
			t.Fatalf("%s: %d sentences; want a real interview", name, want[0].Counts.Sentences)
		}
	}
	for _, q := range []string{
		`SELECT source_id, kind, ord, turn, start, end, byte_start, byte_end, words, hex(tokens) FROM segments ORDER BY source_id, kind, ord`,
		`SELECT name, turns, paragraphs, sentences, words, chars, hash FROM sources ORDER BY name`,
		`SELECT source_id, ord, speaker_id, start, end FROM turns ORDER BY source_id, ord`,
	} {
		if got, want := dumpRows(t, lazy, q), dumpRows(t, eager, q); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nlazily segmented store has %d rows, segmented %d; first difference at %d", q, len(got), len(want), firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
