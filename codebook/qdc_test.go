package codebook

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestQDCRoundTrip(t *testing.T) {
	books := map[string]*Codebook{"rich": mustLoad(t, richBook), "default": Default()}
	for _, s := range awkwardTexts {
		books["awkward "+s] = awkwardBook(s)
	}
	for name, cb := range books {
		var buf bytes.Buffer
		if err := WriteQDC(&buf, cb); err != nil {
			t.Fatalf("%s: WriteQDC: %v", name, err)
		}
		back, err := ReadQDC("book.qdc", buf.Bytes())
		if err != nil {
			t.Errorf("%s: ReadQDC: %v\n%s", name, err, buf.String())
			continue
		}
		for _, d := range diffBooks(cb, back, true) {
			t.Errorf("%s: %s", name, d)
		}
		var again bytes.Buffer
		if err := WriteQDC(&again, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Errorf("%s: a second export differs from the first", name)
		}
	}
}

// TestWriteQDC checks what another tool sees: the REFI-QDA elements, GUIDs
// in the schema's form, and descriptions a person can read.
func TestWriteQDC(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteQDC(&buf, mustLoad(t, richBook)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="qcode">`,
		`<Code guid="` + CodeGUID("learning") + `" name="Bidirectional learning" isCodable="true" color="#4E79A7">`,
		`name="Barriers &gt; obstacles"`,
		"<Description>What NHS staff took home.\n\n--- qcode ---\nid: learning_from_partner\nrule: learn* NEAR/5 (partner* OR uganda* OR zambia*) OR #pseudo_learning</Description>",
		"--- qcode ---\nid: top_down_teaching\nrule: \"we trained them\"",
		"negation: keep\nexample: We went out to teach them the NHS way — and it's hard: they're busy.\nexample: A passage over two lines:\n  we trained them in triage.\ncounterexample: Nobody lectured anybody | we just talked.</Description>",
		"<Description>--- qcode ---\nid: barriers</Description>",
		`match: "stem"`,
		`negation cue: "lack of"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	guid := regexp.MustCompile(`guid="([^"]*)"`)
	pattern := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, m := range guid.FindAllStringSubmatch(out, -1) {
		if !pattern.MatchString(m[1]) || seen[m[1]] {
			t.Errorf("GUID %s is malformed or repeated", m[1])
		}
		seen[m[1]] = true
	}
}

func TestCodeGUID(t *testing.T) {
	// RFC 9562's DNS namespace and the well-known v5 UUID of www.example.com.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got := UUIDv5(dns, "www.example.com"); got != "2ed6657d-e927-568b-95e1-2665a8aea6a2" {
		t.Errorf("UUIDv5 = %s", got)
	}
	if CodeGUID("risk_aversion") != CodeGUID("risk_aversion") || CodeGUID("a") == CodeGUID("b") {
		t.Error("GUIDs are not stable per id")
	}
}

// foreignQDC is a codebook as ATLAS.ti or NVivo export it: GUIDs in braces
// or not, grouping codes that are not codable, #RGB and #RRGGBB colours,
// descriptions with entities and CDATA, sets, two codes of one name, and a
// code of another tool's namespace to skip.
const foreignQDC = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti 23">
  <Codes>
    <Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Partnership learning" isCodable="false">
      <Code guid="d7aa29da-519b-4946-9b90-253b6db8fd0a" name="Learning from the LMIC partner" isCodable="true" color="#33cc33">
        <Description>NHS staff describe something they learned &amp; brought home, e.g. triage &lt;without&gt; a CT scanner.</Description>
        <Code guid="0dcef2f5-e55c-49da-8c33-9b0803c7aeb4" name="Frugal innovation" isCodable="true" color="#f80">
          <Description><![CDATA[Doing more with less: <b>reuse</b>, improvisation.]]></Description>
        </Code>
      </Code>
      <Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Top-down teaching" isCodable="true"/>
    </Code>
    <Code guid="7c108712-b650-4892-ac0b-fc9a10190c3b" name="Barriers" isCodable="false">
      <Description>
        Things that stop learning.
      </Description>
      <Code guid="12365523-1035-4afa-9e7b-281fe0bc51c5" name="Risk aversion" isCodable="true" color="#E15759"/>
      <Code guid="22365523-1035-4afa-9e7b-281fe0bc51c5" name="Risk aversion" isCodable="true"/>
      <Code guid="32365523-1035-4afa-9e7b-281fe0bc51c5" name="Économie de moyens" isCodable="true"/>
    </Code>
    <x:Code xmlns:x="urn:example:other" name="Not REFI"/>
  </Codes>
  <Sets>
    <Set guid="8fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Learning codes">
      <Description>A set; qcode ignores it.</Description>
      <MemberCode guid="d7aa29da-519b-4946-9b90-253b6db8fd0a"/>
    </Set>
  </Sets>
</CodeBook>
`

func TestReadQDCForeign(t *testing.T) {
	cb, err := ReadQDC("atlas.qdc", []byte(foreignQDC))
	if err != nil {
		t.Fatal(err)
	}
	want := `partnership_learning
  learning_from_the_lmic_partner
    frugal_innovation
  top_down_teaching
barriers
  risk_aversion
  risk_aversion_2
  economie_de_moyens
`
	if got := allIDs(cb); got != want {
		t.Errorf("ids:\n%s\nwant:\n%s", got, want)
	}
	if cb.Name != "atlas" || cb.Match != MatchExact || cb.Negation.Window != DefaultNegationWindow || cb.Negation.Cues != nil {
		t.Errorf("settings %q %q %+v", cb.Name, cb.Match, cb.Negation)
	}
	l := cb.Code("learning_from_the_lmic_partner")
	if l.Description != "NHS staff describe something they learned & brought home, e.g. triage <without> a CT scanner." || l.Color != "#33cc33" {
		t.Errorf("learning: %q %q", l.Description, l.Color)
	}
	if f := cb.Code("frugal_innovation"); f.Color != "#ff8800" || f.Description != "Doing more with less: <b>reuse</b>, improvisation." || f.Path() != "Partnership learning > Learning from the LMIC partner > Frugal innovation" {
		t.Errorf("frugal: %q %q %q", f.Color, f.Description, f.Path())
	}
	if b := cb.Code("barriers"); b.Description != "Things that stop learning." {
		t.Errorf("barriers: %q", b.Description)
	}
	cb.Walk(func(c *Code) {
		if c.Rule != "" || c.Negation != NegationSkip || len(c.Examples) > 0 {
			t.Errorf("%s: a code from another tool got a rule, negation or examples", c.ID)
		}
	})
	// It saves as a codebook.yaml that loads.
	out, err := Save(cb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load("codebook.yaml", out); err != nil {
		t.Fatalf("Load(Save(cb)): %v\n%s", err, out)
	}
}

// TestReadQDCBlockIDs checks that ids from qcode blocks are kept and that
// made-up ids step around them.
func TestReadQDCBlockIDs(t *testing.T) {
	doc := qdcDoc(`<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Humility" isCodable="true"/>
    <Code guid="5215cc69-b628-4e02-afb9-9beeaee55809" name="Modesty" isCodable="true"><Description>Being modest.

--- qcode ---
id: humility
rule: humil* OR modest*
negation: keep</Description></Code>`)
	cb, err := ReadQDC("x.qdc", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := allIDs(cb); got != "humility_2\nhumility\n" {
		t.Errorf("ids %q", got)
	}
	if m := cb.Code("humility"); m.Name != "Modesty" || m.Rule != "humil* OR modest*" || m.Negation != NegationKeep || m.Description != "Being modest." {
		t.Errorf("modesty: %+v", m)
	}
}

func qdcDoc(codes string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    ` + codes + `
  </Codes>
</CodeBook>
`
}

func TestReadQDCBad(t *testing.T) {
	code := `<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Humility" isCodable="true">`
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"XML bomb", `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="&lol2;" isCodable="true"/></Codes></CodeBook>`,
			"bomb.qdc:2: DTDs and entities are not allowed in a .qdc file"},
		{"external entity", "<?xml version=\"1.0\"?>\n\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n<CodeBook/>", "bomb.qdc:3: DTDs and entities are not allowed in a .qdc file"},
		{"not REFI-QDA", "<?xml version=\"1.0\"?>\n<html><body/></html>", "bomb.qdc:2: not a REFI-QDA codebook: root element is <html>"},
		{"a project", `<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>`, "bomb.qdc:1: not a REFI-QDA codebook: root element is <Project>, a whole REFI-QDA project"},
		{"no namespace", `<CodeBook><Codes/></CodeBook>`, "bomb.qdc:1: not a REFI-QDA codebook: root element is <CodeBook> in no namespace, not urn:QDA-XML:codebook:1.0"},
		{"newline in namespace", "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\n" + strings.Repeat("x", 500) + "\"><Codes/></CodeBook>", `bomb.qdc:1: not a REFI-QDA codebook: root element is <CodeBook> in "urn:QDA-XML:codebook:1.0\nxxx`},
		{"duplicate GUIDs", qdcDoc(`<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Humility" isCodable="true"/>
    <Code guid="5215CC69-b628-4e02-afb9-9beeaee55808" name="Frugal innovation" isCodable="true"/>`), `bomb.qdc:5: code "Frugal innovation" has the GUID of code "Humility" ("5215CC69-b628-4e02-afb9-9beeaee55808"); each code needs a GUID of its own`},
		{"code without name", qdcDoc(`<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" isCodable="true"/>`), "bomb.qdc:4: a <Code> has no name"},
		{"code with empty name", qdcDoc("\n\n" + `<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="  " isCodable="true"/>`), "bomb.qdc:6: a <Code> has no name"},
		{"bad colour", qdcDoc(`<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="A" isCodable="true" color="red"/>`), `bomb.qdc:4: code "A": color "red" is not a colour`},
		{"not well-formed", qdcDoc(code + "<Description>x</Descr></Code>"), "bomb.qdc:4: not well-formed XML: element <Description> closed by </Descr>"},
		{"cut short", qdcDoc(code)[:120], "bomb.qdc:4: "},
		{"no codes", qdcDoc(""), "bomb.qdc: the codebook has no codes"},
		{"empty file", "", "bomb.qdc: not a REFI-QDA codebook: the file holds no XML element"},
		{"two roots", qdcDoc(code+"</Code>") + "<CodeBook/>", "bomb.qdc:7: a second root element"},
		{"block typo", qdcDoc(code + "<Description>Humble.\n\n--- qcode ---\nid: humility\nrul: humil*</Description></Code>"), `bomb.qdc:8: code "Humility": unknown qcode block field "rul" (did you mean rule?)`},
		{"block bad id", qdcDoc(code + "<Description>--- qcode ---\nid: Humility Code</Description></Code>"), `bomb.qdc:5: code "Humility": id "Humility Code" must be a slug`},
		{"block bad negation", qdcDoc(code + "<Description>--- qcode ---\nid: h\nnegation: always</Description></Code>"), `bomb.qdc:6: code "Humility": negation must be skip, keep or only, not "always"`},
		{"block repeated field", qdcDoc(code + "<Description>--- qcode ---\nid: h\nid: g</Description></Code>"), `bomb.qdc:6: code "Humility": the qcode block gives id twice`},
		{"block duplicate ids", qdcDoc(code + "<Description>--- qcode ---\nid: h</Description></Code>\n" + code + "<Description>--- qcode ---\nid: h</Description></Code>"), `bomb.qdc:6: code "Humility": id "h" is already used by the code at line 4`},
		{"block bad rule", qdcDoc(code + "<Description>--- qcode ---\nid: h\nrule: humil* NEAR modest*</Description></Code>"), "bomb.qdc:6: rule for h: col 8: NEAR needs a distance, e.g. NEAR/5"},
		{"block rule unknown ref", qdcDoc(code + "<Description>--- qcode ---\nid: h\nrule: #modesty</Description></Code>"), "bomb.qdc:6: rule for h:"},
		{"too deep", qdcDoc(strings.Repeat(code, 101) + strings.Repeat("</Code>", 101)), "codes nest more than 100 levels deep"},
		{"too large", qdcDoc(code + "<Description>" + strings.Repeat("x", MaxQDCSize) + "</Description></Code>"), "bomb.qdc: the file is 32 MB; qcode reads .qdc codebooks of at most 32 MB"},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><CodeBook/>`, `encoding "EBCDIC" is not supported; save the file as UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := ReadQDC("bomb.qdc", []byte(tt.doc))
			if err == nil {
				t.Fatalf("read without error: %s", allIDs(cb))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// TestReadQDCEncodings reads a codebook saved as UTF-16 and as Latin-1.
func TestReadQDCEncodings(t *testing.T) {
	doc := strings.Replace(qdcDoc(`<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Économie" isCodable="true"/>`), "UTF-8", "UTF-16", 1)
	var le []byte
	le = append(le, 0xFF, 0xFE)
	for _, r := range doc {
		le = append(le, byte(r), byte(r>>8))
	}
	latin := []byte(strings.Replace(doc, "UTF-16", "ISO-8859-1", 1))
	latin = bytes.Replace(latin, []byte("É"), []byte{0xC9}, 1)
	for name, data := range map[string][]byte{"utf-16": le, "latin-1": latin, "bom": append([]byte{0xEF, 0xBB, 0xBF}, strings.Replace(doc, "UTF-16", "UTF-8", 1)...)} {
		cb, err := ReadQDC("x.qdc", data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c := cb.Codes[0]; c.Name != "Économie" || c.ID != "economie" {
			t.Errorf("%s: %q %q", name, c.Name, c.ID)
		}
	}
}

func TestWriteQDCRefuses(t *testing.T) {
	if err := WriteQDC(&bytes.Buffer{}, &Codebook{}); err == nil || !strings.Contains(err.Error(), "no codes") {
		t.Errorf("empty codebook: %v", err)
	}
	cb := mustLoad(t, "codes:\n  - id: a\n    name: A\n    description: \"bell \\a here\"\n")
	if err := WriteQDC(&bytes.Buffer{}, cb); err == nil || !strings.Contains(err.Error(), "code a: its description holds the character U+0007, which XML cannot carry") {
		t.Errorf("control character: %v", err)
	}
}

func FuzzReadQDC(f *testing.F) {
	var rich bytes.Buffer
	if err := WriteQDC(&rich, mustLoad(f, richBook)); err != nil {
		f.Fatal(err)
	}
	f.Add(rich.Bytes())
	f.Add([]byte(foreignQDC))
	f.Add([]byte(qdcDoc(`<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="H" isCodable="true"><Description>--- qcode ---
id: h
rule: "humil*" NEAR/3 x
example: a
  b

  c</Description></Code>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadQDC("fuzz.qdc", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		// Whatever reads must save as a codebook.yaml that loads, and
		// export again.
		out, err := Save(cb)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load("codebook.yaml", out); err != nil {
			t.Fatalf("Load(Save(ReadQDC)): %v\n%s", err, out)
		}
		if err := WriteQDC(&bytes.Buffer{}, cb); err != nil && !strings.Contains(err.Error(), "XML cannot carry") {
			t.Fatalf("WriteQDC: %v", err)
		}
	})
}
