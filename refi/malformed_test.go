package refi

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"qcode"
)

// writeZip writes the entries (name → content) as a .qdpx, in name order.
func writeZip(t *testing.T, files map[string]string) string {
	t.Helper()
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return saveAs(t, "study.qdpx", buf.Bytes())
}

// saveAs writes data to a file of the given name in a new folder.
func saveAs(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// GUIDs of the small project the malformed inputs start from.
const (
	gUser   = "1d7c4a2e-5b3f-4c6d-8e9f-0a1b2c3d4e5f"
	gCode   = "2e8d5b3f-6c4a-4d7e-9f0a-1b2c3d4e5f60"
	gSource = "3f9e6c4a-7d5b-4e8f-a01b-2c3d4e5f6071"
	gSel    = "7a1c5d3b-8e6c-4f9a-b12c-3d4e5f607182"
	gCoding = "4a0f7d5b-9f6c-4a0b-c23d-4e5f60718293"
	gNote   = "5b1a8e6c-0a7d-4b1c-d34e-5f6071829304"
	gCase   = "6c2b9f7d-1b8e-4c2d-e45f-607182930415"
	gVar    = "8d3c0a8e-2c9f-4d3e-f560-718293041526"
)

const goodText = "Amara: The partnership began with a phone call from the ward sister."

const goodQDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Twinning">
  <Users><User guid="` + gUser + `" name="amelie"/></Users>
  <CodeBook><Codes><Code guid="` + gCode + `" name="Origins" isCodable="true"/></Codes></CodeBook>
  <Variables><Variable guid="` + gVar + `" name="joined" typeOfVariable="Date"/></Variables>
  <Cases><Case guid="` + gCase + `" name="Amara"><VariableValue><VariableRef targetGUID="` + gVar + `"/><DateValue>2019-04-01</DateValue></VariableValue><SourceRef targetGUID="` + gSource + `"/></Case></Cases>
  <Sources>
    <TextSource guid="` + gSource + `" name="P01" plainTextPath="internal://` + gSource + `.txt">
      <PlainTextSelection guid="` + gSel + `" startPosition="7" endPosition="30" creatingUser="` + gUser + `" creationDateTime="2025-03-14T10:00:00Z">
        <Coding guid="` + gCoding + `" creatingUser="` + gUser + `"><CodeRef targetGUID="` + gCode + `"/></Coding>
        <NoteRef targetGUID="` + gNote + `"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note guid="` + gNote + `" name="origin story" creatingUser="` + gUser + `"><PlainTextContent>A phone call, nothing more.</PlainTextContent></Note></Notes>
</Project>
`

func good() map[string]string {
	return map[string]string{"project.qde": goodQDE, "sources/" + gSource + ".txt": goodText}
}

// with returns the good project with project.qde's old replaced by new.
func with(old, new string) map[string]string {
	f := good()
	if !strings.Contains(goodQDE, old) {
		panic("the good project lacks " + old)
	}
	f["project.qde"] = strings.Replace(goodQDE, old, new, 1)
	return f
}

func TestGoodProject(t *testing.T) {
	p, notes, err := ReadFile(writeZip(t, good()))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 || len(p.Codings) != 1 || spanText(t, p, p.Codings[0]) != "The partnership began w" || p.Sources[0].Case != "Amara" || p.Memos[0].Kind != "coding" {
		t.Errorf("project %+v notes %q", p, notes)
	}
}

// bombZip is a zip whose one entry claims to unpack to 3 GB.
func bombZip(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	body := []byte("<Project/>")
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "project.qde", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(len(body)), UncompressedSize64: 3 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	zw.Close()
	return saveAs(t, "study.qdpx", buf.Bytes())
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string // nil: path is given
		path  func(t *testing.T) string
		code  string
		want  string
	}{
		{name: "zip slip", files: map[string]string{"project.qde": goodQDE, "../../etc/cron.d/evil": "x"}, code: qcode.EINVALID,
			want: `study.qdpx: entry "../../etc/cron.d/evil" points outside the archive; refusing it`},
		{name: "absolute entry", files: map[string]string{"project.qde": goodQDE, "/tmp/evil.txt": "x"}, code: qcode.EINVALID,
			want: `study.qdpx: entry "/tmp/evil.txt" points outside the archive; refusing it`},
		{name: "backslash entry", files: map[string]string{"project.qde": goodQDE, `..\evil.txt`: "x"}, code: qcode.EINVALID,
			want: `study.qdpx: entry "..\\evil.txt" points outside the archive; refusing it`},
		{name: "size bomb", path: bombZip, code: qcode.EINVALID,
			want: "study.qdpx: its entries unpack to more than 2048 MB; qcode reads at most that"},
		{name: "nested archive", files: map[string]string{"project.qde": goodQDE, "sources/inner.qdpx": "PK"}, code: qcode.EINVALID,
			want: "study.qdpx: entry sources/inner.qdpx is an archive inside the archive; a .qdpx holds project.qde and its sources, not other archives"},
		{name: "not a zip", path: func(t *testing.T) string {
			return saveAs(t, "study.qdpx", []byte("PK but not really a zip file"))
		}, code: qcode.EINVALID, want: "study.qdpx: not a REFI-QDA project: not a zip file (zip: not a valid zip file); a .qdpx is a zip holding project.qde"},
		{name: "empty zip", files: map[string]string{}, code: qcode.EINVALID,
			want: "study.qdpx: the zip holds no project.qde; it is not a REFI-QDA project"},
		{name: "two project.qde", files: map[string]string{"project.qde": goodQDE, "backup/project.qde": goodQDE}, code: qcode.EINVALID,
			want: "study.qdpx: the zip holds 2 project files (backup/project.qde, project.qde); a REFI-QDA project has one project.qde"},
		{name: "DTD", files: with(`<?xml version="1.0" encoding="utf-8"?>`, `<?xml version="1.0" encoding="utf-8"?><!DOCTYPE Project [<!ENTITY lol "lol">]>`), code: qcode.EINVALID,
			want: "study.qdpx: DTDs and entities are not allowed in a REFI-QDA project"},
		{name: "undeclared entity", files: with("name=\"origin story\"", "name=\"&xxe;\""), code: qcode.EINVALID,
			want: "study.qdpx: not well-formed XML: line 15: invalid character entity &xxe;; export the project again from the program that made it"},
		{name: "not XML", files: map[string]string{"project.qde": "Interview transcripts, not XML"}, code: qcode.EINVALID,
			want: "study.qdpx: not a REFI-QDA project: project.qde holds no XML element"},
		{name: "cut short", files: map[string]string{"project.qde": goodQDE[:len(goodQDE)/2]}, code: qcode.EINVALID,
			want: "study.qdpx: not well-formed XML: line 8: unexpected EOF; export the project again from the program that made it"},
		{name: "wrong namespace", files: with("urn:QDA-XML:project:1.0", "urn:QDA-XML:project:2.0"), code: qcode.EINVALID,
			want: "study.qdpx: not a REFI-QDA project: root element is <Project> in urn:QDA-XML:project:2.0, not <Project> in urn:QDA-XML:project:1.0"},
		{name: "a codebook", files: map[string]string{"project.qde": `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`}, code: qcode.EINVALID,
			want: "study.qdpx: not a REFI-QDA project: root element is <CodeBook>, a codebook; import it as a codebook (.qdc)"},
		{name: "missing source file", files: map[string]string{"project.qde": goodQDE}, code: qcode.ENOTFOUND,
			want: "study.qdpx: TextSource " + gSource + ": its text sources/" + gSource + ".txt is missing from the zip"},
		{name: "path outside", files: with("internal://"+gSource+".txt", "file:///etc/passwd"), code: qcode.EINVALID,
			want: `study.qdpx: TextSource ` + gSource + `: plainTextPath "file:///etc/passwd" is outside the project; a .qdpx names its sources as internal://<file>`},
		{name: "internal path climbing out", files: with("internal://"+gSource+".txt", "internal://../"+gSource+".txt"), code: qcode.EINVALID,
			want: `study.qdpx: TextSource ` + gSource + `: plainTextPath "internal://../` + gSource + `.txt" is outside the project; a .qdpx names its sources as internal://<file>`},
		{name: "text not UTF-8", files: map[string]string{"project.qde": goodQDE, "sources/" + gSource + ".txt": "caf\xe9 " + goodText}, code: qcode.EINVALID,
			want: "study.qdpx: TextSource " + gSource + ": internal://" + gSource + ".txt is not UTF-8 text"},
		{name: "position beyond the text", files: with(`endPosition="30"`, `endPosition="5200"`), code: qcode.EINVALID,
			want: "study.qdpx: PlainTextSelection " + gSel + ": endPosition 5200 is beyond the source's 68 characters"},
		{name: "start after end", files: with(`startPosition="7" endPosition="30"`, `startPosition="30" endPosition="7"`), code: qcode.EINVALID,
			want: "study.qdpx: PlainTextSelection " + gSel + ": startPosition 30 is after endPosition 7"},
		{name: "negative start", files: with(`startPosition="7"`, `startPosition="-3"`), code: qcode.EINVALID,
			want: "study.qdpx: PlainTextSelection " + gSel + ": startPosition -3 is negative"},
		{name: "position not a number", files: with(`endPosition="30"`, `endPosition="thirty"`), code: qcode.EINVALID,
			want: "study.qdpx: PlainTextSelection " + gSel + `: endPosition "thirty" is not a whole number`},
		{name: "unknown CodeRef", files: with(`<CodeRef targetGUID="`+gCode, `<CodeRef targetGUID="`+gVar), code: qcode.EINVALID,
			want: "study.qdpx: Coding " + gCoding + ": CodeRef " + gVar + " names no code of the codebook"},
		{name: "Coding without CodeRef", files: with(`<CodeRef targetGUID="`+gCode+`"/>`, ""), code: qcode.EINVALID,
			want: "study.qdpx: Coding " + gCoding + " has no CodeRef"},
		{name: "unknown user", files: with(`creatingUser="`+gUser+`"><CodeRef`, `creatingUser="`+gVar+`"><CodeRef`), code: qcode.EINVALID,
			want: "study.qdpx: Coding " + gCoding + ": creatingUser " + gVar + " is not one of the project's users"},
		{name: "duplicate GUIDs", files: with(`<Code guid="`+gCode, `<Code guid="`+gUser), code: qcode.EINVALID,
			want: "study.qdpx: Code " + gUser + ": the GUID is already the User's; GUIDs must be unique"},
		{name: "not a GUID", files: with(`<User guid="`+gUser, `<User guid="amelie-1`), code: qcode.EINVALID,
			want: `study.qdpx: User "amelie-1": the guid is not a GUID like 7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b`},
		{name: "unknown NoteRef", files: with(`<NoteRef targetGUID="`+gNote, `<NoteRef targetGUID="`+gCase), code: qcode.EINVALID,
			want: "study.qdpx: NoteRef " + gCase + ": no Note has that GUID"},
		{name: "unknown SourceRef", files: with(`<SourceRef targetGUID="`+gSource, `<SourceRef targetGUID="`+gNote), code: qcode.EINVALID,
			want: "study.qdpx: Case " + gCase + ": SourceRef " + gNote + " names no source"},
		{name: "unknown VariableRef", files: with(`<VariableRef targetGUID="`+gVar, `<VariableRef targetGUID="`+gCase), code: qcode.EINVALID,
			want: "study.qdpx: Case " + gCase + ": VariableRef " + gCase + " names no variable"},
		{name: "bad date value", files: with(`<DateValue>2019-04-01`, `<DateValue>spring 2019`), code: qcode.EINVALID,
			want: `study.qdpx: Case ` + gCase + `: variable joined: "spring 2019" is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY`},
		{name: "bad time", files: with(`creationDateTime="2025-03-14T10:00:00Z"`, `creationDateTime="yesterday"`), code: qcode.EINVALID,
			want: `study.qdpx: PlainTextSelection ` + gSel + `: creationDateTime "yesterday" is not a date and time like 2024-03-05T14:30:00Z`},
		{name: "code without a name", files: with(`name="Origins"`, `name=" "`), code: qcode.EINVALID,
			want: "study.qdpx: Code " + gCode + " has no name; give every code a name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.path != nil {
				path = tc.path(t)
			} else {
				path = writeZip(t, tc.files)
			}
			p, _, err := ReadFile(path)
			if err == nil {
				t.Fatalf("read %+v, want an error", p)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error\n got %s\nwant %s", got, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the error is more than one line")
			}
			if c := qcode.ErrorCode(err); c != tc.code {
				t.Errorf("code %s, want %s", c, tc.code)
			}
		})
	}
}

// Selections with no text to tell by, ending past the text's characters
// but inside its UTF-16 units, count UTF-16 units.
func TestUTF16WithoutNames(t *testing.T) {
	text := "Kwame: 🙏🙏 we thank the visitors, then we ask them to stay longer."
	f := with(`startPosition="7" endPosition="30"`, `startPosition="12" endPosition="67"`)
	f["sources/"+gSource+".txt"] = text
	p, notes, err := ReadFile(writeZip(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if got := spanText(t, p, p.Codings[0]); got != "we thank the visitors, then we ask them to stay longer." {
		t.Errorf("span %q", got)
	}
	if len(notes) != 1 || notes[0] != "P01: positions counted in UTF-16 units, as only they keep every selection inside the text; converted to characters" {
		t.Errorf("notes %q", notes)
	}
}

// A coding that names no coder is the project creator's; with no creator
// either, it is refused.
func TestCodingWithoutCoder(t *testing.T) {
	anon := strings.NewReplacer(`creatingUser="`+gUser+`"`, "")
	f := good()
	f["project.qde"] = anon.Replace(goodQDE)
	_, _, err := ReadFile(writeZip(t, f))
	want := "study.qdpx: Coding " + gCoding + " names no creatingUser, nor do its selection and the project; qcode needs to know who coded"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	f["project.qde"] = strings.Replace(anon.Replace(goodQDE), `name="Twinning"`, `name="Twinning" creatingUserGUID="`+gUser+`"`, 1)
	p, _, err := ReadFile(writeZip(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if p.Codings[0].Coder != "amelie" || p.Memos[0].Coder != "" {
		t.Errorf("coding %+v memo %+v", p.Codings[0], p.Memos[0])
	}
}

func TestTooManyEntries(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i <= MaxEntries; i++ {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: "sources/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ".txt", Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	_, _, err := ReadFile(saveAs(t, "study.qdpx", buf.Bytes()))
	if want := "study.qdpx: the zip holds 20001 entries; qcode reads at most 20000"; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// A project.qde that unpacks past MaxQDESize is refused while it is read.
func TestProjectXMLTooLarge(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "project.qde", Method: zip.Deflate})
	w.Write([]byte(goodQDE[:len(goodQDE)-len("</Project>\n")]))
	pad := bytes.Repeat([]byte("<!-- padding -->"), 1<<16) // 1 MB
	for range MaxQDESize/len(pad) + 1 {
		w.Write(pad)
	}
	w.Write([]byte("</Project>\n"))
	zw.Close()
	_, _, err := ReadFile(saveAs(t, "study.qdpx", buf.Bytes()))
	if want := "study.qdpx: entry project.qde unpacks to more than 256 MB; qcode reads at most that"; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestReadFileNotAFile(t *testing.T) {
	dir := t.TempDir()
	_, _, err := ReadFile(filepath.Join(dir, "absent.qdpx"))
	if want := filepath.Join(dir, "absent.qdpx") + ": no such file"; err == nil || err.Error() != want || qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("err = %v", err)
	}
	_, _, err = ReadFile(dir)
	if want := dir + " is a folder; give the project's .qdpx file, or the .qde file beside its sources folder"; err == nil || err.Error() != want || qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("err = %v", err)
	}
}

// A source whose text stands inline is read; one with only rich text is
// skipped with a note, and so is a picture.
func TestInlineAndRichTextOnly(t *testing.T) {
	f := with(`<TextSource guid="`+gSource+`" name="P01" plainTextPath="internal://`+gSource+`.txt">`,
		`<TextSource guid="`+gSource+`" name="P01"><PlainTextContent>`+goodText+`</PlainTextContent>`)
	f["project.qde"] = strings.Replace(f["project.qde"], "</Sources>",
		`<TextSource guid="9e4d1b9f-3d0a-4e4f-a671-829304152637" name="P02.docx" richTextPath="internal://9e4d1b9f-3d0a-4e4f-a671-829304152637.docx"/>
    <PictureSource guid="0f5e2c0a-4e1b-4f5a-b782-930415263748" name="ward.jpg" path="internal://ward.jpg"/>
  </Sources>`, 1)
	delete(f, "sources/"+gSource+".txt")
	p, notes, err := ReadFile(writeZip(t, f))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 1 || p.Sources[0].Text != goodText {
		t.Errorf("sources %+v", p.Sources)
	}
	want := []string{
		"PictureSource ward.jpg (0f5e2c0a-4e1b-4f5a-b782-930415263748) has no plain text qcode can code; skipped",
		"TextSource P02.docx (9e4d1b9f-3d0a-4e4f-a671-829304152637) has only rich text (internal://9e4d1b9f-3d0a-4e4f-a671-829304152637.docx) and no plain text; skipped",
	}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
}
