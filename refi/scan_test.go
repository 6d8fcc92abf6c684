package refi

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"qcode/exchange"
)

// scanBoth reads data by scanQDE and by the walker (decodeQDEFrom).
func scanBoth(data []byte) (scanned *xProject, ok bool, walked *xProject, walkErr error) {
	scanned, ok = scanQDE(bytes.NewReader(data))
	walked, walkErr = decodeQDEFrom("fuzz.qde", bytes.NewReader(data))
	return scanned, ok, walked, walkErr
}

// FuzzScanProject checks that what the fast reader accepts, the walker
// reads too, to the same values: the fast reader gives up on the rest.
func FuzzScanProject(f *testing.F) {
	for _, s := range walkSeeds(f) {
		f.Add(s)
	}
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		scanned, ok, walked, err := scanBoth(data)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("the fast reader read a project the walker refuses: %v", err)
		}
		if !reflect.DeepEqual(scanned, walked) {
			t.Errorf("scanned project differs from walked:\n got %+v\nwant %+v", scanned, walked)
		}
	})
}

// scanSeeds are shapes the fast reader reads, and near misses it must
// leave to the walker.
var scanSeeds = []string{
	strings.Replace(goodQDE, `name="Twinning"`, `name="a &amp; b &lt;c&gt; &#233;&#x1F600; &quot;q&quot; &apos;"`, 1),
	strings.Replace(goodQDE, `name="Twinning"`, `name='single "quoted"' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:origin="x"`, 1),
	strings.Replace(goodQDE, `<Sources>`, `<Sources><!-- a comment --><PDFSource guid="g" name="scan"/>`, 1),
	strings.Replace(goodQDE, `<PlainTextSelection`, `<PlainTextSelection name="The partnership began w…" `, 1),
	strings.Replace(goodQDE, `</PlainTextSelection>`, `<Description>quoted <b>and</b> bold]]&gt;</Description><!-- qcode origin: "manual" --></PlainTextSelection>`, 1),
	strings.Replace(goodQDE, `name="Twinning"`, `name="a&#0;b"`, 1),
	strings.Replace(goodQDE, `name="Twinning"`, `name="a&#xD800;b"`, 1),
	strings.Replace(goodQDE, `name="Twinning"`, `name="a&nbsp;b"`, 1),
	strings.Replace(goodQDE, `name="Twinning"`, "name=\"a\rb\"", 1),
	strings.Replace(goodQDE, `name="Twinning"`, "name=\"a\xffb\"", 1),
	strings.Replace(goodQDE, `<Sources>`, "<Sources>]]>", 1),
	strings.Replace(goodQDE, `<Sources>`, "<Sources><![CDATA[x]]>", 1),
	strings.Replace(goodQDE, `<Sources>`, `<Sources xmlns="urn:other">`, 1),
	strings.Replace(goodQDE, `</Notes>`, `</Notes><?pi x?>`, 1),
	strings.Replace(goodQDE, `</Project>`, `</Project><Project xmlns="urn:QDA-XML:project:1.0"/>`, 1),
	strings.Replace(goodQDE, `</TextSource>`, `</Textsource>`, 1),
	strings.Replace(goodQDE, `encoding="utf-8"`, `encoding="ISO-8859-1"`, 1),
	strings.Replace(goodQDE, `version="1.0"`, `version="1.1"`, 1),
	strings.Replace(goodQDE, `<Project xmlns="urn:QDA-XML:project:1.0"`, `<qda:Project xmlns:qda="urn:QDA-XML:project:1.0"`, 1),
	strings.Replace(goodQDE, `xmlns="urn:QDA-XML:project:1.0"`, `xmlns:xmlns="urn:QDA-XML:project:1.0"`, 1),
	goodQDE[:len(goodQDE)-20],
}

// The fast reader reads what tools write, qcode's writer among them: the
// fixtures in their shapes, the standard's example and a project qcode
// wrote, each to what the walker reads.
func TestScanReadsToolsProjects(t *testing.T) {
	files := map[string][]byte{"good": []byte(goodQDE), "good with a BOM": []byte("\xEF\xBB\xBF" + goodQDE)}
	for _, dir := range []string{"maxqda", "atlas"} {
		data, err := os.ReadFile(filepath.Join("testdata", dir, "project.qde"))
		if err != nil {
			t.Fatal(err)
		}
		files[dir] = data
	}
	if data, err := os.ReadFile(specExample); err == nil {
		files["spec example"] = data
	}
	files["qcode's own"] = writtenQDE(t, bigProject(50))
	for name, data := range files {
		scanned, ok, walked, err := scanBoth(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !ok {
			t.Errorf("%s: the fast reader gave it to the walker", name)
			continue
		}
		if !reflect.DeepEqual(scanned, walked) {
			t.Errorf("%s: scanned project differs from walked:\n got %+v\nwant %+v", name, scanned, walked)
		}
	}
}

// A project.qde far larger than the fast reader's buffer, given a byte at
// a time, with long names and texts across the buffer's edges, reads as the
// walker reads it.
func TestScanLargeProject(t *testing.T) {
	data := writtenQDE(t, bigProject(3000))
	if len(data) < 1<<20 {
		t.Fatalf("project.qde is %d bytes; the test wants it past the buffer", len(data))
	}
	scanned, ok := scanQDE(iotest.OneByteReader(bytes.NewReader(data)))
	walked, err := decodeQDEFrom("big.qde", bytes.NewReader(data))
	if err != nil || !ok {
		t.Fatalf("walker: %v; fast reader read it: %v", err, ok)
	}
	if !reflect.DeepEqual(scanned, walked) {
		t.Error("scanned project differs from walked")
	}
	if n := len(scanned.Sources.Text[0].Selections); n != 3000 {
		t.Errorf("%d selections, want 3000", n)
	}
}

// bigProject is a project of n codings on one source, the selections
// named by long quotes with characters XML escapes.
func bigProject(n int) *exchange.Project {
	line := strings.Repeat(`Ça "coûte" <cher> & 😀 — `, 40)
	var text strings.Builder
	for range n {
		text.WriteString(line + "\n")
	}
	p := healthProject()
	src := p.Sources[0]
	p.Sources[0].Text = text.String()
	var c0 exchange.Coding
	kept := p.Codings[:0]
	for _, c := range p.Codings {
		if c.Source != src.Name {
			kept = append(kept, c)
		} else {
			c0 = c
		}
	}
	p.Codings = kept
	memos := p.Memos[:0]
	for _, m := range p.Memos {
		if m.Source != src.Name {
			memos = append(memos, m)
		}
	}
	p.Memos = memos
	chars := len([]rune(line)) + 1
	for i := range n {
		c := c0
		c.GUID = ""
		c.Start, c.End = i*chars, i*chars+chars-1
		c.Memo = fmt.Sprintf("memo %d: %s", i, line[:40])
		c.CreatedAt = time.Date(2025, 3, 1, 9, 0, i%60, 0, time.UTC)
		p.Codings = append(p.Codings, c)
	}
	return p
}

// writtenQDE is p's project.qde as qcode writes it.
func writtenQDE(t *testing.T, p *exchange.Project) []byte {
	path := filepath.Join(t.TempDir(), "p.qdpx")
	if err := WriteFile(path, p, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return entries(t, data)["project.qde"]
}
