package refi

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// decodeBoth reads data's root element by walkProject and by encoding/xml's
// reflection (the way project.qde was read before), and returns both.
func decodeBoth(data []byte) (walked, decoded *xProject, walkErr, decodeErr error) {
	root := func() (*xml.Decoder, *xml.StartElement) {
		d := xml.NewDecoder(bytes.NewReader(data))
		d.Strict = true
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, nil
			}
			if t, ok := tok.(xml.StartElement); ok {
				return d, &t
			}
		}
	}
	d, t := root()
	if d == nil || t.Name.Local != "Project" {
		// decodeQDE reads no other root.
		return nil, nil, nil, nil
	}
	walked = new(xProject)
	walkErr = walkProject(d, *t, walked)
	d, t = root()
	decoded = new(xProject)
	decodeErr = d.DecodeElement(decoded, t)
	return walked, decoded, walkErr, decodeErr
}

// walkSeeds are project files of every shape the tests hold, and elements
// placed as encoding/xml takes them but the schema does not: repeated,
// nested, commented, in other namespaces.
func walkSeeds(t testing.TB) [][]byte {
	seeds := [][]byte{[]byte(goodQDE)}
	for _, dir := range []string{"maxqda", "atlas"} {
		data, err := os.ReadFile(filepath.Join("testdata", dir, "project.qde"))
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	if data, err := os.ReadFile(specExample); err == nil {
		seeds = append(seeds, data)
	}
	const g = `2e8d5b3f-6c4a-4d7e-9f0a-1b2c3d4e5f60`
	seeds = append(seeds, []byte(`<Project xmlns="urn:QDA-XML:project:1.0" xmlns:x="urn:other" name="a" x:name="b" origin="o">
  <Users><User guid="`+g+`" name="amina"/><Other/></Users><Users><User guid="`+g+`" id="u2"/></Users>
  <CodeBook><!-- one --><Codes><Code guid="`+g+`" name="c"><Description>d<b>bold</b>e</Description></Code></Codes></CodeBook>
  <CodeBook><!-- two --></CodeBook>
  <Sources>
    <!-- a comment in Sources -->
    <PDFSource guid="`+g+`" name="scan"><Representation/></PDFSource>
    <x:TextSource guid="`+g+`" name="other namespace" plainTextPath="internal://a.txt"/>
    <TextSource guid="`+g+`" name="s" name="t" creatingUser="`+g+`">
      <!-- qcode format: "txt" --><!-- second -->
      <PlainTextContent>first</PlainTextContent>
      <PlainTextContent>te<i>x</i>t &amp; more</PlainTextContent>
      <PlainTextSelection guid="`+g+`" startPosition="0" endPosition="4" name="te…">
        <!-- qcode origin: "manual" -->
        <Description>one</Description><Description/>
        <Coding guid="`+g+`"><CodeRef targetGUID="`+g+`"/><CodeRef/><!-- c --></Coding>
        <Coding guid="`+g+`"/>
        <NoteRef targetGUID="`+g+`"><Extra/></NoteRef>
        <Unknown><Coding guid="x"/></Unknown>
      </PlainTextSelection>
      <Coding guid="`+g+`"><CodeRef targetGUID="x"/><CodeRef targetGUID="y"/></Coding>
      <NoteRef targetGUID="`+g+`"/>
      <VariableValue><VariableRef targetGUID="`+g+`"/><TextValue>v</TextValue></VariableValue>
    </TextSource>
  </Sources>
  <Sources><TextSource guid="`+g+`"/></Sources>
  <Variables><Variable guid="`+g+`" name="role" typeOfVariable="Text"/></Variables>
  <Cases><Case guid="`+g+`" name="k"><SourceRef targetGUID="`+g+`"/></Case></Cases>
  <Notes><Note guid="`+g+`" name="n"><PlainTextContent>memo</PlainTextContent></Note><Other/></Notes>
  <NoteRef targetGUID="`+g+`"/><NoteRef/>
</Project>`))
	seeds = append(seeds, []byte(strings.Replace(goodQDE, "</PlainTextSelection>", "</PlainTextSelection", 1)))
	return seeds
}

// FuzzWalkProject checks that walkProject reads every project as
// encoding/xml's reflection read it: the same values, and an error where
// that had one.
func FuzzWalkProject(f *testing.F) {
	for _, s := range walkSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		walked, decoded, werr, derr := decodeBoth(data)
		if (werr == nil) != (derr == nil) || werr != nil && werr.Error() != derr.Error() {
			t.Fatalf("walk error %v, decode error %v", werr, derr)
		}
		if werr != nil {
			return
		}
		if !reflect.DeepEqual(decoded, walked) {
			t.Errorf("walked project differs from decoded:\n got %+v\nwant %+v", walked, decoded)
		}
	})
}

// project.qde is read as it unpacks: with a byte order mark, in UTF-16
// either way round, it reads as the UTF-8 it was.
func TestProjectXMLEncodings(t *testing.T) {
	utf16 := func(bigEndian bool) string {
		var b []byte
		if bigEndian {
			b = append(b, 0xFE, 0xFF)
		} else {
			b = append(b, 0xFF, 0xFE)
		}
		for _, r := range strings.Replace(goodQDE, `encoding="utf-8"`, `encoding="utf-16"`, 1) {
			if bigEndian {
				b = append(b, byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8))
			}
		}
		return string(b)
	}
	want, _, err := ReadFile(writeZip(t, good()))
	if err != nil {
		t.Fatal(err)
	}
	for name, qde := range map[string]string{
		"UTF-8 with a BOM": "\xEF\xBB\xBF" + goodQDE,
		"UTF-16LE":         utf16(false),
		"UTF-16BE":         utf16(true),
	} {
		files := good()
		files["project.qde"] = qde
		got, _, err := ReadFile(writeZip(t, files))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got.From = want.From
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read\n%+v\nwant\n%+v", name, got, want)
		}
	}
}

// A damaged project.qde (its checksum wrong) is one line naming the entry.
func TestProjectXMLDamaged(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	body := []byte(goodQDE)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "project.qde", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(body) + 1, CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	zw.Close()
	_, _, err = ReadFile(saveAs(t, "study.qdpx", buf.Bytes()))
	if want := "study.qdpx: entry project.qde is damaged: zip: checksum error"; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
