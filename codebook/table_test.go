package codebook

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/table/tabletest"
)

func TestTableRoundTrip(t *testing.T) {
	books := map[string]*Codebook{"rich": mustLoad(t, richBook), "default": Default()}
	for _, s := range awkwardTexts {
		books["awkward "+s] = awkwardBook(s)
	}
	for _, format := range []string{"csv", "xlsx"} {
		for name, cb := range books {
			var buf bytes.Buffer
			if err := WriteTable(&buf, cb, format); err != nil {
				t.Fatalf("%s %s: %v", format, name, err)
			}
			back, err := ReadTable("codes."+format, buf.Bytes())
			if err != nil {
				t.Errorf("%s %s: ReadTable: %v", format, name, err)
				continue
			}
			// A table has no place for the codebook's own settings.
			for _, d := range diffBooks(cb, back, false) {
				t.Errorf("%s %s: %s", format, name, d)
			}
		}
	}
}

func TestWriteTableCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, mustLoad(t, richBook), "csv"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"path,id,name,description,include,exclude,rule,negation,color,examples,counterexamples\n",
		"Bidirectional learning > Pseudo — apprentissage à sens unique > Top-down teaching (上から教える),top_down_teaching,",
		`keep,,"We went out to teach them the NHS way — and it's hard: they're busy. | A passage over two lines:` + "\n" + `we trained them in triage.",Nobody lectured anybody \| we just talked.` + "\n",
		"Barriers > obstacles,barriers,Barriers > obstacles,,,,,skip,#E15759,,\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
	if err := WriteTable(&buf, mustLoad(t, richBook), "ods"); err == nil {
		t.Error("wrote an unknown format")
	} else if want := "format ods: not a format for a codebook table; choose one of csv, xlsx"; err.Error() != want {
		t.Errorf("unknown format: %q, want %q", err, want)
	}
}

// TestReadTableLayouts reads the layouts other tools and people use.
func TestReadTableLayouts(t *testing.T) {
	tests := []struct {
		name, path, table, ids string
		check                  func(t *testing.T, cb *Codebook)
	}{
		{"path column with >> and a memo", "nvivo.csv", "Code Path,Memo,Colour\n" +
			"Partnership >> Learning from partner,What NHS staff learned in Uganda or Zambia.,33CC33\n" +
			"Partnership >> Learning from partner >> Frugal innovation,\"Doing more with less, e.g. reusing kit.\",#f80\n" +
			"Barriers,,\n" +
			"Barriers >> Risk aversion,\"Governance, litigation.\",\n" +
			"Barriers>>Overcrowded system,,\n",
			"partnership\n  learning_from_partner\n    frugal_innovation\nbarriers\n  risk_aversion\n  overcrowded_system\n",
			func(t *testing.T, cb *Codebook) {
				if c := cb.Code("learning_from_partner"); c.Description != "What NHS staff learned in Uganda or Zambia." || c.Color != "#33CC33" {
					t.Errorf("learning: %q %q", c.Description, c.Color)
				}
				if c := cb.Code("frugal_innovation"); c.Color != "#ff8800" {
					t.Errorf("frugal colour %q", c.Color)
				}
				if c := cb.Code("partnership"); c.Description != "" || c.Pos.Line != 2 {
					t.Errorf("partnership, made from a path: %+v", c)
				}
			}},
		{"semicolons, :: and an id column", "excel-de.csv", "\uFEFFCategory;ID;Definition;Rule\n" +
			"Barrieren::Risikoscheu;risk_aversion;Vorsicht wegen Haftung;governance OR litigat*\n" +
			"Barrieren::Überlastung;;Zu viel Arbeit;overcrowd*\n",
			"barrieren\n  risk_aversion\n  uberlastung\n",
			func(t *testing.T, cb *Codebook) {
				if c := cb.Code("risk_aversion"); c.Rule != "governance OR litigat*" || c.Description != "Vorsicht wegen Haftung" || c.Name != "Risikoscheu" {
					t.Errorf("risk aversion: %+v", c)
				}
			}},
		{"level columns as an outline", "outline.csv", "CAT1,CAT2,CAT3,description\n" +
			"Bidirectional learning,,,The grouping code\n" +
			",In practice,,\n" +
			",,Pseudo,One-way learning\n" +
			",,True,Two-way learning\n" +
			",Imagined,,\n" +
			"Aspects,Barriers,Risk aversion,\n" +
			",,Overcrowded system,\n" +
			",Enablers,,\n",
			"bidirectional_learning\n  in_practice\n    pseudo\n    true\n  imagined\naspects\n  barriers\n    risk_aversion\n    overcrowded_system\n  enablers\n",
			func(t *testing.T, cb *Codebook) {
				if c := cb.Code("true"); c.Description != "Two-way learning" || c.Path() != "Bidirectional learning > In practice > True" {
					t.Errorf("true: %q %q", c.Description, c.Path())
				}
			}},
		{"level columns, every level filled", "levels.tsv", "Level 1\tLevel 2\tname\tcomment\n" +
			"Barriers\tRisk\tRisk aversion\tignored column\n" +
			"Barriers\tRisk\tLitigation fear\t\n",
			"barriers\n  risk\n    risk_aversion\n    litigation_fear\n", nil},
		{"flat list of names", "flat.csv", "name,description\nHumility,Being humble\nActive debriefs,Talking it through\n",
			"humility\nactive_debriefs\n", nil},
		{"parent defined after its children", "late.csv", "path,description\nA > B,child\nA,parent\n",
			"a\n  b\n", func(t *testing.T, cb *Codebook) {
				if cb.Code("a").Description != "parent" || cb.Code("a").Pos.Line != 3 {
					t.Errorf("a: %+v", cb.Code("a"))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := LoadAny(tt.path, []byte(tt.table))
			if err != nil {
				t.Fatal(err)
			}
			if got := allIDs(cb); got != tt.ids {
				t.Errorf("ids:\n%s\nwant:\n%s", got, tt.ids)
			}
			if tt.check != nil {
				tt.check(t, cb)
			}
			roundTripYAML(t, cb)
		})
	}
}

// TestReadTableXLSX reads a workbook laid out as people make them: a title
// sheet first, then the codes sheet with level columns.
func TestReadTableXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Codebook for the partnership study")
	f.NewSheet("Codebook")
	rows := [][]any{
		{"Level 1", "Level 2", "Definition", "Colour", "Examples"},
		{"Enablers", "", "What helps learning", "#59A14F", ""},
		{"", "Active debriefs", "Structured talk after a shift", "", "We debriefed every evening. | The debrief was where we learned most."},
		{"", "Humility", "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Codebook", cell, &r)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	cb, err := ReadTable("codes.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := allIDs(cb); got != "enablers\n  active_debriefs\n  humility\n" {
		t.Errorf("ids %q", got)
	}
	if c := cb.Code("active_debriefs"); len(c.Examples) != 2 || c.Examples[1] != "The debrief was where we learned most." || c.Pos.Line != 3 {
		t.Errorf("active debriefs: %+v", c)
	}
	if cb.Code("enablers").Color != "#59A14F" {
		t.Error("colour lost")
	}
}

func TestReadTableBad(t *testing.T) {
	tests := []struct {
		name, path, table, want string
	}{
		{"missing path column", "codes.csv", "label?,description\nHumility,Being humble\n", `codes.csv:1: no code path column; name one column "path"`},
		{"empty path", "codes.csv", "path,description\nA,x\n,orphan description\n", "codes.csv:3: column A (path): no code path"},
		{"empty level in path", "codes.csv", "path\nA >> >> B\n", `codes.csv:2: column A (path): "A >> >> B" has an empty level`},
		{"bad colour", "codes.csv", "path,description,color\nA,x,red\nB,y,#12345G\n", `codes.csv:2: column C (color): "red" is not a colour like #4E79A7 (# and six hex digits) (and 1 more problem)`},
		{"bad id", "codes.csv", "path,id\nRisk aversion,Risk Aversion\n", `codes.csv:2: column B (id): id "Risk Aversion" must be a slug`},
		{"duplicate id", "codes.csv", "path,id\nA,x\nB,x\n", `codes.csv:3: column B (id): id "x" is already used on line 2`},
		{"duplicate code", "codes.csv", "path\nA > B\nA>B\n", `codes.csv:3: column A (path): code "A > B" is already on line 2`},
		{"bad negation", "codes.csv", "path,negation\nA,sometimes\n", `codes.csv:2: column B (negation): negation must be skip, keep or only, not "sometimes"`},
		{"bad rule", "codes.csv", "path,rule\nA,debrief NEAR team\n", "codes.csv:2: rule for a: col 9: NEAR needs a distance"},
		{"level gap", "codes.csv", "level 1,level 2,level 3\nA,,C\n", "codes.csv:2: column B (level 2): level 2 is empty but level 3 is not"},
		{"outline without top", "codes.csv", "level 1,level 2\n,B\n", "codes.csv:2: column A (level 1): level 1 is empty and no row above gives it"},
		{"levels skip", "codes.csv", "level 1,level 3\nA,B\n", "codes.csv:1: the level columns skip level 2"},
		{"two path columns", "codes.csv", "path,code\nA,B\n", "codes.csv:1: columns A and B both give the path; keep one"},
		{"value beyond header", "codes.csv", "path,description\nA,x,stray\n", "codes.csv:2:5: row has 3 cells but the header has 2 columns"},
		{"bad quotes", "codes.csv", "path,description\nA,\"unclosed\n", "codes.csv:2:"},
		{"header only", "codes.csv", "path,description\n", "codes.csv:1: the table has a header but no codes"},
		{"empty", "codes.csv", "", "codes.csv: file is empty; write a header row and a row per code"},
		{"not a workbook", "codes.xlsx", "path\nA\n", "codes.xlsx: not a readable Excel workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTable(tt.path, []byte(tt.table))
			if err == nil {
				t.Fatal("read without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestSplitList(t *testing.T) {
	for _, ps := range [][]string{{"a", "b"}, {`a|b`, `c\d`, `e\|f`, `\`}, {"multi\nline", "x | y"}} {
		if got := splitList(joinList(ps)); strings.Join(got, "\x00") != strings.Join(ps, "\x00") {
			t.Errorf("%q gave back %q", ps, got)
		}
	}
	if got := splitList(`one | two|three |  `); len(got) != 3 || got[2] != "three" {
		t.Errorf("%q", got)
	}
}

// TestReadTableEverySpreadsheet reads one codebook table saved every way a
// spreadsheet saves it (comma, semicolon or tab separated; UTF-8, UTF-16
// or Windows-1252; a workbook) and gets the same codes each time.
func TestReadTableEverySpreadsheet(t *testing.T) {
	rows := [][]string{
		{"path", "id", "description", "rule", "examples"},
		{"Partnership", "partnership", "Links between an NHS trust and its partner hospital – Mbarara, Gulu", "", ""},
		{"Partnership > Learning from partner", "learning", "What NHS staff learned abroad; “frugal” ideas, e.g. a €2 spacer", "learn* OR taught", "We learned more than we taught. | Zoë showed us triage with no monitors."},
		{"Barriers > Cost", "cost", "Money as a barrier: fees of £1,200 or more", "cost* OR fee*", ""},
	}
	variants := tabletest.Variants(t, "codes", rows)
	first, err := ReadTable(variants[0].Path, variants[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if got := allIDs(first); got != "partnership\n  learning\nbarriers\n  cost\n" {
		t.Errorf("ids:\n%s", got)
	}
	if c := first.Code("learning"); c.Description != rows[2][2] || len(c.Examples) != 2 || c.Examples[1] != "Zoë showed us triage with no monitors." || c.Pos.Line != 3 {
		t.Errorf("learning: %+v", c)
	}
	var want []int
	first.Walk(func(c *Code) { want = append(want, c.Pos.Line) })
	for _, v := range variants[1:] {
		t.Run(v.Name, func(t *testing.T) {
			cb, err := ReadTable(v.Path, v.Data)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, first, cb, true)
			var lines []int
			cb.Walk(func(c *Code) { lines = append(lines, c.Pos.Line) })
			if !slices.Equal(lines, want) {
				t.Errorf("lines %v, want %v", lines, want)
			}
		})
	}
}
