package codebook

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDevsetShape checks the development set of published quotes
// (testdata/devset) as a file others will code blind: every row can be cited,
// its licence is on record, and no row is too long to code as one passage.
func TestDevsetShape(t *testing.T) {
	dir := filepath.Join("..", "testdata", "devset")
	licences := devsetLicences(t, filepath.Join(dir, "SOURCES.md"))

	f, err := os.Open(filepath.Join(dir, "quotes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("quotes.csv has %d rows, want a header and quotes", len(rows))
	}
	want := []string{"id", "text", "voice", "speaker", "source", "locator"}
	if strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Fatalf("header = %q, want %q", rows[0], want)
	}
	ids := map[string]bool{}
	used := map[string]bool{}
	for _, r := range rows[1:] {
		id, text, voice, speaker, source := r[0], r[1], r[2], r[3], r[4]
		if ids[id] {
			t.Errorf("%s: id used twice", id)
		}
		ids[id] = true
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s: empty text", id)
		}
		if n := len(strings.Fields(text)); n > 100 {
			t.Errorf("%s: %d words, want at most 100", id, n)
		}
		switch voice {
		case "visitor", "host", "other":
		default:
			t.Errorf("%s: voice %q, want visitor, host or other", id, voice)
		}
		if strings.TrimSpace(speaker) == "" {
			t.Errorf("%s: no speaker", id)
		}
		lic, ok := licences[source]
		switch {
		case !ok:
			t.Errorf("%s: source %q has no entry in SOURCES.md", id, source)
		case lic == "":
			t.Errorf("%s: source %q has no licence in SOURCES.md", id, source)
		}
		used[source] = true
	}
	for key := range licences {
		if !used[key] {
			t.Errorf("SOURCES.md lists %q, which no quote cites", key)
		}
	}
}

// devsetLicences reads SOURCES.md: each publication is a "## key" heading
// followed by a "- Licence:" line.
func devsetLicences(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	licences := map[string]string{}
	key := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, ok := strings.CutPrefix(line, "## "); ok {
			key = strings.TrimSpace(k)
			licences[key] = ""
			continue
		}
		if lic, ok := strings.CutPrefix(line, "- Licence:"); ok && key != "" {
			licences[key] = strings.TrimSpace(lic)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return licences
}

// TestDevsetCoding checks the two readers' blind codings of the set
// (coding-reader_a.csv, coding-reader_b.csv): one row per quote in id
// order, every code one of the default codebook's, a reason for each
// coded row; and gold.csv, the set qcode codebook validate-on reads, is
// the quotes with reader_a's codes, so the figures measure what she coded.
func TestDevsetCoding(t *testing.T) {
	dir := filepath.Join("..", "testdata", "devset")
	cb := Default()
	quotes := devsetRead(t, filepath.Join(dir, "quotes.csv"))
	codings := map[string][][]string{}
	for _, reader := range []string{"reader_a", "reader_b"} {
		rows := devsetRead(t, filepath.Join(dir, "coding-"+reader+".csv"))
		if strings.Join(rows[0], ",") != "id,codes,note" {
			t.Fatalf("%s: header %q, want id,codes,note", reader, rows[0])
		}
		if len(rows) != len(quotes) {
			t.Fatalf("%s: %d rows, want one per quote (%d)", reader, len(rows)-1, len(quotes)-1)
		}
		for i, r := range rows[1:] {
			if r[0] != quotes[i+1][0] {
				t.Errorf("%s: row %d is %s, want %s", reader, i+1, r[0], quotes[i+1][0])
			}
			for _, c := range strings.Split(r[1], ";") {
				if c != "" && cb.Code(c) == nil {
					t.Errorf("%s: %s: %q is no code of the default codebook", reader, r[0], c)
				}
			}
			if r[1] != "" && strings.TrimSpace(r[2]) == "" {
				t.Errorf("%s: %s: coded with no reason given", reader, r[0])
			}
		}
		codings[reader] = rows
	}
	gold := devsetRead(t, filepath.Join(dir, "gold.csv"))
	if strings.Join(gold[0], ",") != "id,text,codes" || len(gold) != len(quotes) {
		t.Fatalf("gold.csv: header %q and %d rows, want id,text,codes and one row per quote", gold[0], len(gold)-1)
	}
	for i, g := range gold[1:] {
		q, a := quotes[i+1], codings["reader_a"][i+1]
		if g[0] != q[0] || g[1] != q[1] || g[2] != a[1] {
			t.Errorf("gold.csv row %s is not the quote with reader_a's codes %q", g[0], a[1])
		}
	}
}

func devsetRead(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
