package codebook

import (
	"bytes"
	"strings"
	"testing"
)

// A code imported from another tool keeps its GUID through codebook.yaml
// and back out to REFI-QDA.
func TestCodeGUIDTravels(t *testing.T) {
	const atlas = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti 23">
  <Codes>
    <Code guid="{3DD1A2A6-3AEF-4A4C-9138-718E9CE2386D}" name="Trust" isCodable="true"/>
    <Code guid="not-a-guid" name="Mentoring" isCodable="true"/>
    <Code guid="` + "9c4b2e9a-6a4d-5f5e-9f43-000000000000" + `" name="Funding" isCodable="true"/>
  </Codes>
</CodeBook>`
	cb, err := ReadQDC("atlas.qdc", []byte(atlas))
	if err != nil {
		t.Fatal(err)
	}
	if g := cb.Code("trust").GUID; g != "{3DD1A2A6-3AEF-4A4C-9138-718E9CE2386D}" {
		t.Errorf("trust's GUID = %q", g)
	}
	if g := cb.Code("mentoring").GUID; g != "" {
		t.Errorf("a guid that is no GUID was kept: %q", g)
	}
	out, err := Save(cb)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "  guid: '{3DD1A2A6-3AEF-4A4C-9138-718E9CE2386D}'\n") && !strings.Contains(string(out), "guid: \"{3DD1A2A6-3AEF-4A4C-9138-718E9CE2386D}\"") {
		t.Errorf("Save lost the GUID:\n%s", out)
	}
	back, err := Load("codebook.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if back.Code("trust").GUID != "{3DD1A2A6-3AEF-4A4C-9138-718E9CE2386D}" || back.Code("funding").GUID != "9c4b2e9a-6a4d-5f5e-9f43-000000000000" {
		t.Errorf("Load: trust %q, funding %q", back.Code("trust").GUID, back.Code("funding").GUID)
	}
	var qdc bytes.Buffer
	if err := WriteQDC(&qdc, back); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<Code guid="{3DD1A2A6-3AEF-4A4C-9138-718E9CE2386D}" name="Trust"`,
		`<Code guid="` + CodeGUID("mentoring") + `" name="Mentoring"`,
	} {
		if !strings.Contains(qdc.String(), want) {
			t.Errorf("the .qdc lacks %s:\n%s", want, qdc.String())
		}
	}
	// qcode's own export reads back with no GUID to keep.
	again, err := ReadQDC("again.qdc", qdc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if g := again.Code("mentoring").GUID; g != "" {
		t.Errorf("the GUID qcode makes from the id was kept: %q", g)
	}
}

func TestSaveMergedKeepsGUID(t *testing.T) {
	dst := mustLoad(t, handBook)
	src := mustLoad(t, `codes:
  - id: twinning
    name: Twinning
    guid: 7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b
`)
	added, _ := Merge(dst, src)
	out, err := SaveMerged([]byte(handBook), dst, added)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "guid: 7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b") || !strings.HasPrefix(string(out), "# Our codebook. Keep this comment.") {
		t.Errorf("merged text:\n%s", out)
	}
	back, err := Load("codebook.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if back.Code("twinning").GUID != "7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b" {
		t.Errorf("GUID after merge: %q", back.Code("twinning").GUID)
	}
}

func TestLoadRefusesBadGUID(t *testing.T) {
	_, err := Load("codebook.yaml", []byte("codes:\n  - id: trust\n    name: Trust\n    guid: 12345\n"))
	if err == nil || !strings.Contains(err.Error(), `guid "12345" is not a GUID`) {
		t.Errorf("err = %v", err)
	}
}
