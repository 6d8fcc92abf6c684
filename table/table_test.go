package table_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"qcode"
	"qcode/table"
	"qcode/table/tabletest"
)

// staff is case attributes as an NHS trust and its partner hospital keep
// them: accents, a currency, an en-dash and a comma inside a value.
var staff = [][]string{
	{"case", "name", "role", "site", "stipend", "years"},
	{"P01", "Zoë Ndlovu", "staff nurse", "Sheffield", "£1,200", "2019–2021"},
	{"P02", "José Ibáñez", "registrar", "Mbarara", "€950", "2020–2023"},
	{"P03", "Siobhán Ó Dónaill", "midwife", "Gulu", "", "2018"},
}

func utf16Bytes(s string, big bool) []byte {
	b := []byte{0xFF, 0xFE}
	if big {
		b = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// cells returns a table's rows as "line:cell|cell" strings.
func cells(t *table.Table) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, strings.Join(append([]string{fmt.Sprintf("%02d", r.Line)}, r.Cells...), "|"))
	}
	return out
}

// TestReadVariants reads one table saved every way a spreadsheet saves it,
// and gets the same header and rows, on the same lines, each time.
func TestReadVariants(t *testing.T) {
	want := []string{
		"02|P01|Zoë Ndlovu|staff nurse|Sheffield|£1,200|2019–2021",
		"03|P02|José Ibáñez|registrar|Mbarara|€950|2020–2023",
		"04|P03|Siobhán Ó Dónaill|midwife|Gulu||2018",
	}
	for _, v := range tabletest.Variants(t, "staff", staff) {
		t.Run(v.Name, func(t *testing.T) {
			tab, err := table.Read(v.Path, v.Data, table.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tab.Header, staff[0]) || tab.Line != 1 {
				t.Errorf("header %q on line %d", tab.Header, tab.Line)
			}
			if got := cells(tab); !reflect.DeepEqual(got, want) {
				t.Errorf("rows:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestReadText(t *testing.T) {
	tests := []struct {
		name, path string
		data       []byte
		comma      rune
		header     string
		rows       []string
	}{
		{"comma", "a.csv", []byte("id,site\nP01,Leeds\n"), ',', "id|site", []string{"02|P01|Leeds"}},
		{"semicolon", "a.csv", []byte("id;site;note\nP01;Leeds;a, b\n"), ';', "id|site|note", []string{"02|P01|Leeds|a, b"}},
		{"tab in a .csv", "a.csv", []byte("id\tsite\nP01\tLeeds\n"), '\t', "id|site", []string{"02|P01|Leeds"}},
		{"tab in a .tsv", "a.tsv", []byte("id\tsite\nP01\tLeeds, Sheffield\n"), '\t', "id|site", []string{"02|P01|Leeds, Sheffield"}},
		{"comma in a .tsv", "a.tsv", []byte("id,site\nP01,Leeds\n"), ',', "id|site", []string{"02|P01|Leeds"}},
		{"comma in a .txt", "a.txt", []byte("id,site\nP01,Leeds\n"), ',', "id|site", []string{"02|P01|Leeds"}},
		{"one column", "a.csv", []byte("id\nP01\nP02\n"), ',', "id", []string{"02|P01", "03|P02"}},
		{"tie goes to comma", "a.csv", []byte("a,b;c\n1,2;3\n"), ',', "a|b;c", []string{"02|1|2;3"}},
		{"tie goes to tab in a .tsv", "a.tsv", []byte("a,b\tc\n1,2\t3\n"), '\t', "a,b|c", []string{"02|1,2|3"}},
		{"quoted semicolons in a comma header", "a.csv", []byte("\"a;b;c\",d\n1,2\n"), ',', "a;b;c|d", []string{"02|1|2"}},
		{"newline inside quotes", "a.csv", []byte("id,answer\nP01,\"one\ntwo\"\nP02,three\n"), ',', "id|answer", []string{"02|P01|one\ntwo", "04|P02|three"}},
		{"quoted header over two lines", "a.csv", []byte("\"id\nnumber\";site\n1;Leeds\n"), ';', "id\nnumber|site", []string{"03|1|Leeds"}},
		{"blank lines and rows skipped", "a.csv", []byte("\n,,\nid,site\n\n , \nP01,Leeds\n"), ',', "id|site", []string{"06|P01|Leeds"}},
		{"header trimmed, cells not", "a.csv", []byte(" id , site \nP01, Leeds \n"), ',', "id|site", []string{"02|P01| Leeds "}},
		{"empty unnamed columns left out", "a.csv", []byte("id,,site,\nP01,,Leeds,\nP02, ,Gulu,\n"), ',', "id|site", []string{"02|P01|Leeds", "03|P02|Gulu"}},
		{"UTF-8 BOM", "a.csv", []byte("\uFEFFid,site\nP01,Leeds\n"), ',', "id|site", []string{"02|P01|Leeds"}},
		{"UTF-16 LE BOM", "a.csv", utf16Bytes("id\tname\r\nP01\tZoë\r\n", false), '\t', "id|name", []string{"02|P01|Zoë"}},
		{"UTF-16 BE BOM", "a.csv", utf16Bytes("id;name\nP01;Zoë\n", true), ';', "id|name", []string{"02|P01|Zoë"}},
		{"Windows-1252", "a.csv", []byte("id;name;fee\nP01;Zo\xeb;\x80950 \x96 \xa3800\n"), ';', "id|name|fee", []string{"02|P01|Zoë|€950 – £800"}},
		{"NFD made NFC, CRLF made LF", "a.csv", []byte("id,name\r\nP01,\"Zoe\u0308\r\nNdlovu\"\r\n"), ',', "id|name", []string{"02|P01|Zo\u00eb\nNdlovu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := table.Read(tt.path, tt.data, table.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Comma != tt.comma || tab.Format != "csv" || tab.Sheet != "" {
				t.Errorf("comma %q format %q sheet %q, want %q csv", tab.Comma, tab.Format, tab.Sheet, tt.comma)
			}
			if got := strings.Join(tab.Header, "|"); got != tt.header {
				t.Errorf("header %q, want %q", got, tt.header)
			}
			if got := cells(tab); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows:\n got %q\nwant %q", got, tt.rows)
			}
		})
	}
}

// makeWorkbook writes sheets of rows (a nil cell stays empty), each at the
// row number its key gives.
func makeWorkbook(t *testing.T, sheets map[string]map[int][]any, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for n, r := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, n)
			if err := f.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadWorkbook(t *testing.T) {
	tests := []struct {
		name   string
		sheets map[string]map[int][]any
		order  []string
		opts   table.Options
		sheet  string
		header string
		rows   []string
	}{
		{"first sheet", map[string]map[int][]any{"Staff": {1: {"case", "role"}, 2: {"P01", "nurse"}}}, []string{"Staff"}, table.Options{},
			"Staff", "case|role", []string{"02|P01|nurse"}},
		{"a blank cover sheet passed over", map[string]map[int][]any{"Cover": {}, "Data": {1: {"case", "role"}, 2: {"P01", "nurse"}}}, []string{"Cover", "Data"}, table.Options{},
			"Data", "case|role", []string{"02|P01|nurse"}},
		{"a named sheet wanted", map[string]map[int][]any{"Notes": {1: {"Read me"}}, "Codebook": {1: {"path"}, 2: {"Barriers"}}}, []string{"Notes", "Codebook"}, table.Options{Sheets: []string{"codes", "codebook"}},
			"Codebook", "path", []string{"02|Barriers"}},
		{"the named sheet blank", map[string]map[int][]any{"Notes": {1: {"path"}, 2: {"A"}}, "Codes": {}}, []string{"Notes", "Codes"}, table.Options{Sheets: []string{"codes"}},
			"Notes", "path", []string{"02|A"}},
		{"title rows, gaps and short rows", map[string]map[int][]any{"S": {3: {"case", "role", "site"}, 5: {"P01", "nurse"}, 9: {"P02", nil, "Gulu"}}}, []string{"S"}, table.Options{},
			"S", "case|role|site", []string{"05|P01|nurse|", "09|P02||Gulu"}},
		{"cells cleaned", map[string]map[int][]any{"S": {1: {" case ", "note"}, 2: {"P01", "Zoe\u0308\r\nsaid so"}}}, []string{"S"}, table.Options{},
			"S", "case|note", []string{"02|P01|Zo\u00eb\nsaid so"}},
		{"an empty unnamed column left out", map[string]map[int][]any{"S": {1: {"case", nil, "role"}, 2: {"P01", nil, "nurse"}}}, []string{"S"}, table.Options{},
			"S", "case|role", []string{"02|P01|nurse"}},
		{"empty cells beyond the header dropped", map[string]map[int][]any{"S": {1: {"case"}, 2: {"P01", ""}}}, []string{"S"}, table.Options{},
			"S", "case", []string{"02|P01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := table.Read("staff.xlsx", makeWorkbook(t, tt.sheets, tt.order...), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != "xlsx" || tab.Comma != 0 || tab.Sheet != tt.sheet {
				t.Errorf("format %q comma %q sheet %q, want xlsx, sheet %q", tab.Format, tab.Comma, tab.Sheet, tt.sheet)
			}
			if got := strings.Join(tab.Header, "|"); got != tt.header {
				t.Errorf("header %q, want %q", got, tt.header)
			}
			if got := cells(tab); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows:\n got %q\nwant %q", got, tt.rows)
			}
		})
	}
}

// A workbook is known by its bytes whatever its name, and a date cell reads
// as an ISO date.
func TestReadWorkbookByContent(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"case", "joined"})
	f.SetCellValue("Sheet1", "A2", "P01")
	f.SetCellFloat("Sheet1", "B2", 45383, 0, 64) // 2024-04-01
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "B2", "B2", style)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	tab, err := table.Read("staff.csv", b.Bytes(), table.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cells(tab); tab.Format != "xlsx" || !reflect.DeepEqual(got, []string{"02|P01|2024-04-01"}) {
		t.Errorf("format %s, rows %q", tab.Format, got)
	}
}

func TestReadErrors(t *testing.T) {
	twoSheets := func(t *testing.T, rows map[int][]any) []byte {
		return makeWorkbook(t, map[string]map[int][]any{"Cover": {}, "Staff list": rows}, "Cover", "Staff list")
	}
	tests := []struct {
		name, path string
		data       func(t *testing.T) []byte
		opts       table.Options
		want       string
	}{
		{"empty", "a.csv", text(""), table.Options{}, "a.csv: file is empty; write a header row and rows below it"},
		{"blank", "a.csv", text(" \n\t\n\n"), table.Options{Layout: "a header row and one row per case"}, "a.csv: file is empty; write a header row and one row per case"},
		{"only separators and byte order marks", "a.csv", text(",,\n , \ufeff\n"), table.Options{}, "a.csv: file is empty"},
		{"blank workbook", "a.xlsx", func(t *testing.T) []byte { return makeWorkbook(t, nil, "Sheet1") }, table.Options{}, "a.xlsx: workbook has no sheet with any value in it; write a header row and rows below it"},
		{"not a workbook", "a.xlsx", text("id,site\nP01,Leeds\n"), table.Options{}, "a.xlsx: not a readable Excel workbook ("},
		{"broken zip", "a.csv", text("PK\x03\x04 not really"), table.Options{}, "a.csv: not a readable Excel workbook ("},
		{"old or encrypted workbook", "a.xlsx", text("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 504)), table.Options{}, "a.xlsx: is an Excel 97–2003 workbook (.xls) or a password-protected one; save it as .xlsx"},
		{"NUL bytes", "a.csv", text("id,site\nP01,Lee\x00ds\n"), table.Options{}, "a.csv:2: holds NUL bytes"},
		{"undecodable byte", "a.csv", text("id,site\nP01,\x81\n"), table.Options{}, "a.csv:2: byte 0x81 is neither UTF-8 nor Windows-1252 text"},
		{"short row", "a.csv", text("id,site,role\nP01,Leeds,nurse\nP02,Gulu\n"), table.Options{}, "a.csv:3: row has 2 cells but the header has 3 columns; give every column a cell, empty where there is no value (is a comma missing?)"},
		{"short row, semicolons", "a.csv", text("id;site;role\nP02;Gulu\n"), table.Options{}, "(is a semicolon missing?)"},
		{"long row", "a.csv", text("id,site\nP01,Leeds,nurse\n"), table.Options{}, "a.csv:2:11: row has 3 cells but the header has 2 columns; remove the extra cells or name their columns in the header"},
		{"long row counts characters", "a.csv", text("id,name\nP01,Zoë Adébáyọ̀,x\n"), table.Options{}, "a.csv:2:18: row has 3 cells"},
		{"unclosed quote", "a.csv", text("id,answer\nP01,\"never closed\n"), table.Options{}, "a.csv:2:19: extraneous or missing \" in quoted-field; check the quotes on that line"},
		{"unclosed quote rows above", "a.csv", text("id,answer\nP01,\"never closed\nP02,x\nP03,y\n"), table.Options{}, "a.csv:4:7: extraneous or missing \" in quoted-field in the row that starts on line 2; check its quotes"},
		{"bare quote after accents", "a.csv", text("id,answer\nP01,Zoë said \"no\"\n"), table.Options{}, "a.csv:2:14: bare \" in non-quoted-field; check the quotes on that line"},
		{"unnamed column with a value", "a.csv", text("id,,site\nP01,,Leeds\nP02,x,Gulu\n"), table.Options{}, "a.csv:1:4: column 2 has no name, but line 3 has a value in it; name every column in the header row"},
		{"a blank header row is not the header", "a.csv", text(",\n,x\ny,z\n"), table.Options{}, "a.csv:2:1: column 1 has no name, but line 3 has a value in it"},
		{"two columns of one name", "a.csv", text("id,site,role,site\nP01,a,b,c\n"), table.Options{}, `a.csv:1:14: columns 2 and 4 are both named "site"; give each column its own name`},
		{"two names alike once trimmed", "a.tsv", text("id\tsite\t site \n"), table.Options{}, `a.tsv:1:9: columns 2 and 3 are both named "site"`},
		{"workbook: unnamed column", "a.xlsx", func(t *testing.T) []byte {
			return makeWorkbook(t, map[string]map[int][]any{"S": {1: {"id", nil, "site"}, 4: {"P01", "x", "Leeds"}}}, "S")
		}, table.Options{}, "a.xlsx:B1: column 2 has no name, but row 4 has a value in it"},
		{"workbook: two columns of one name", "a.xlsx", func(t *testing.T) []byte {
			return makeWorkbook(t, map[string]map[int][]any{"S": {2: {"id", "site", "site"}}}, "S")
		}, table.Options{}, `a.xlsx:C2: columns 2 and 3 are both named "site"`},
		{"workbook: value beyond the header", "a.xlsx", func(t *testing.T) []byte {
			return makeWorkbook(t, map[string]map[int][]any{"S": {1: {"id", "site"}, 2: {"P01", "Leeds", nil, "stray"}}}, "S")
		}, table.Options{}, "a.xlsx:D2: a value beyond the header's 2 columns; give its column a name in the header, or empty the cell"},
		{"workbook of several sheets names the sheet", "a.xlsx", func(t *testing.T) []byte {
			return twoSheets(t, map[int][]any{1: {"id", "site", "id"}})
		}, table.Options{}, `a.xlsx:'Staff list'!C1: columns 1 and 3 are both named "id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := table.Read(tt.path, tt.data(t), tt.opts)
			if err == nil {
				t.Fatalf("read %q, want an error", tab.Header)
			}
			if !strings.HasPrefix(err.Error(), tt.want) && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant %q", err, tt.want)
			}
			if qcode.ErrorCode(err) != qcode.EINVALID || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q (%s) is not one line of EINVALID", err, qcode.ErrorCode(err))
			}
		})
	}
}

// TestReadZipBomb refuses a workbook whose parts would unpack to more than
// a workbook ever needs, before unpacking them.
func TestReadZipBomb(t *testing.T) {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 300 << 20})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{0x03, 0x00}) // an empty deflate stream: only the header lies
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = table.Read("bomb.xlsx", b.Bytes(), table.Options{})
	if err == nil || !strings.Contains(err.Error(), "bomb.xlsx: not a readable Excel workbook (unzip size exceeds") {
		t.Errorf("err = %v, want the unzip size refused", err)
	}
}

// A workbook whose sheet declares a DTD is refused as such, naming the
// part, not read as a sheet without cells.
func TestReadWorkbookDTD(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"respondent", "q1_what_learned"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"R01", "We learnt humility from the nurses in Gulu, who had run the ward for years without us."})
	var wb bytes.Buffer
	if _, err := f.WriteTo(&wb); err != nil {
		t.Fatal(err)
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		var part bytes.Buffer
		part.ReadFrom(rc)
		rc.Close()
		data := part.Bytes()
		if zf.Name == "xl/worksheets/sheet1.xml" {
			decl, rest, _ := bytes.Cut(data, []byte("?>"))
			data = append(append(decl, []byte("?>\n<!DOCTYPE worksheet [<!ENTITY a \"humility\">]>")...), rest...)
		}
		w, err := z.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = table.Read("survey.xlsx", b.Bytes(), table.Options{})
	want := "survey.xlsx: xl/worksheets/sheet1.xml declares a DTD (<!DOCTYPE …>), which no Excel workbook does; refusing it: save the sheet again from Excel, or as CSV"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func text(s string) func(*testing.T) []byte { return func(*testing.T) []byte { return []byte(s) } }

func TestWhere(t *testing.T) {
	tab, err := table.Read("staff.csv", []byte("case,\"name\",note\nP01,Zoë,\"a\nb\",\nP02,Adébáyọ̀,c\n"), table.Options{})
	if err == nil {
		t.Fatalf("read a row of 4 cells under 3 columns: %q", cells(tab))
	}
	tab, err = table.Read("staff.csv", []byte("case,\"name\",note\nP01,Zoë,\"a\nb\"\nP02,Adébáyọ̀,c\n"), table.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		row, col int // row -1 is the header
		want     string
	}{
		{-1, 0, "staff.csv:1:1"}, {-1, 1, "staff.csv:1:6"}, {-1, 2, "staff.csv:1:13"},
		{0, 2, "staff.csv:2:9"}, {1, 0, "staff.csv:4:1"}, {1, 2, "staff.csv:4:14"}, {1, 7, "staff.csv:4"},
	} {
		var got string
		if tt.row < 0 {
			got = tab.HeaderWhere(tt.col)
		} else {
			got = tab.Where(&tab.Rows[tt.row], tt.col)
		}
		if got != tt.want {
			t.Errorf("row %d column %d: %s, want %s", tt.row, tt.col, got, tt.want)
		}
	}
	tab, err = table.Read("staff.xlsx", makeWorkbook(t, map[string]map[int][]any{"Staff": {2: {"case", "name"}, 3: {"P01", "Zoë"}}}, "Staff"), table.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Where(&tab.Rows[0], 1); got != "staff.xlsx:B3" {
		t.Errorf("workbook cell %s, want staff.xlsx:B3", got)
	}
	if got := tab.HeaderWhere(0); got != "staff.xlsx:A2" {
		t.Errorf("workbook header cell %s, want staff.xlsx:A2", got)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("case,role,site\nP01,nurse,Leeds\n\nP02,\"midwife, senior\",Gulu\n"))
	f.Add([]byte("case;name;fee\r\nP01;Zo\xeb;\x80950\r\n"))
	f.Add(utf16Bytes("case\tname\r\nP01\t\"Zoë\r\nN.\"\r\n", false))
	f.Add([]byte("\uFEFF\"a;b\",c,,\n1,2,,\n , ,,\n"))
	f.Add([]byte("id,id\n1,2\n"))
	f.Add([]byte("id,\"unclosed\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := table.Read("f.csv", data, table.Options{})
		if err != nil {
			if qcode.ErrorCode(err) != qcode.EINVALID || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q (%s) is not one line of EINVALID", err, qcode.ErrorCode(err))
			}
			return
		}
		seen := map[string]bool{}
		for c, h := range tab.Header {
			if h == "" || h != strings.TrimSpace(h) || seen[h] {
				t.Fatalf("header %q: column %d blank, untrimmed or repeated", tab.Header, c+1)
			}
			seen[h] = true
			tab.HeaderWhere(c)
		}
		line := tab.Line
		for i := range tab.Rows {
			r := &tab.Rows[i]
			if len(r.Cells) != len(tab.Header) || r.Line <= line {
				t.Fatalf("row %d: %d cells under %d columns, line %d after %d", i, len(r.Cells), len(tab.Header), r.Line, line)
			}
			line = r.Line
			blank := true
			for c, cell := range r.Cells {
				blank = blank && strings.TrimSpace(cell) == ""
				if !strings.HasPrefix(tab.Where(r, c), "f.csv:") {
					t.Fatalf("Where(%d, %d) = %q", i, c, tab.Where(r, c))
				}
			}
			if blank {
				t.Fatalf("row %d is blank", i)
			}
		}
	})
}
