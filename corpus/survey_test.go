package corpus

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/table"
	"qcode/textfile"
)

// partnershipCSV is a small export of a survey of health partnership
// volunteers. S03 answered no open question; S04's answer spans lines.
const partnershipCSV = `respondent_id,site,role,years_involved,q1_what_worked,q2_challenges,interview_date
S01,Leeds,Nurse,4,"The twinning visits let our midwives see how Mbarara ran triage with half the staff, and we brought that back.","Getting study leave signed off by the trust was hard every single year.",2024-03-05
S02,Mbarara,Midwife,2.5,  Having a named mentor in Leeds I could message when a case worried me.  ,,05/03/2024

S03,Gulu,Clinical officer,,,,
S04,Leeds,Consultant,10,"Joint audits.

We compared post-partum haemorrhage outcomes across both sites, which nobody had done before.",Funding ended in 2023 and the link has not recovered since then.,1/4/2023
`

// surveySummary is what a test expects of one respondent's document.
type surveySummary struct {
	Name    string
	Text    string
	Answers []string // text of each turn
	Lines   []int    // line of each turn
	Attrs   []Attribute
}

func summariseSurvey(t *testing.T, docs []*Source) []surveySummary {
	t.Helper()
	var out []surveySummary
	for _, d := range docs {
		checkSurveyDoc(t, d)
		s := surveySummary{Name: d.Name, Text: d.Text, Attrs: d.Attributes}
		for _, tu := range d.Turns {
			s.Answers = append(s.Answers, d.Text[tu.Start:tu.End])
			s.Lines = append(s.Lines, tu.Line)
		}
		out = append(out, s)
	}
	return out
}

// checkSurveyDoc asserts what every survey document must be: its own case,
// turns spoken by the respondent, in order, trimmed, inside its text and
// without times.
func checkSurveyDoc(tb testing.TB, d *Source) {
	tb.Helper()
	if d.Case != d.Name {
		tb.Fatalf("case %q differs from name %q", d.Case, d.Name)
	}
	prev := 0
	for i, tu := range d.Turns {
		if tu.Start < prev || tu.Start >= tu.End || tu.End > len(d.Text) {
			tb.Fatalf("%s turn %d: span %v out of order or outside %d bytes", d.Name, i+1, tu.Span, len(d.Text))
		}
		if s := d.Text[tu.Start:tu.End]; strings.TrimSpace(s) != s {
			tb.Fatalf("%s turn %d: %q is not trimmed", d.Name, i+1, s)
		}
		if tu.Speaker != d.Name || tu.Begin != NoTime || tu.Finish != NoTime {
			tb.Fatalf("%s turn %d: speaker %q, times %d-%d", d.Name, i+1, tu.Speaker, tu.Begin, tu.Finish)
		}
		if tu.Start < 2 || d.Text[tu.Start-2:tu.Start] != ": " {
			tb.Fatalf("%s turn %d: no \"COLUMN: \" label before it", d.Name, i+1)
		}
		prev = tu.End
	}
}

func TestSurveyCSV(t *testing.T) {
	site := func(v string) Attribute { return Attribute{"site", AttrText, v} }
	role := func(v string) Attribute { return Attribute{"role", AttrText, v} }
	years := func(v string) Attribute { return Attribute{"years_involved", AttrNumber, v} }
	date := func(v string) Attribute { return Attribute{"interview_date", AttrDate, v} }
	tests := []struct {
		name string
		data string
		opts Options
		want []surveySummary
	}{
		{
			name: "detected text columns and typed attributes",
			data: partnershipCSV,
			want: []surveySummary{
				{
					Name: "S01",
					Text: "q1_what_worked: The twinning visits let our midwives see how Mbarara ran triage with half the staff, and we brought that back.\n\n" +
						"q2_challenges: Getting study leave signed off by the trust was hard every single year.",
					Answers: []string{
						"The twinning visits let our midwives see how Mbarara ran triage with half the staff, and we brought that back.",
						"Getting study leave signed off by the trust was hard every single year.",
					},
					Lines: []int{2, 2},
					Attrs: []Attribute{site("Leeds"), role("Nurse"), years("4"), date("2024-03-05")},
				},
				{
					Name:    "S02",
					Text:    "q1_what_worked: Having a named mentor in Leeds I could message when a case worried me.",
					Answers: []string{"Having a named mentor in Leeds I could message when a case worried me."},
					Lines:   []int{3},
					Attrs:   []Attribute{site("Mbarara"), role("Midwife"), years("2.5"), date("2024-03-05")},
				},
				{
					Name:  "S03",
					Attrs: []Attribute{site("Gulu"), role("Clinical officer")},
				},
				{
					Name: "S04",
					Text: "q1_what_worked: Joint audits.\n\nWe compared post-partum haemorrhage outcomes across both sites, which nobody had done before.\n\n" +
						"q2_challenges: Funding ended in 2023 and the link has not recovered since then.",
					Answers: []string{
						"Joint audits.\n\nWe compared post-partum haemorrhage outcomes across both sites, which nobody had done before.",
						"Funding ended in 2023 and the link has not recovered since then.",
					},
					Lines: []int{6, 6},
					Attrs: []Attribute{site("Leeds"), role("Consultant"), years("10"), date("2023-04-01")},
				},
			},
		},
		{
			name: "named id and text columns, typed headers",
			data: "site,cohort:text,pid,reflection,year:number\r\n" +
				"Lusaka,2021,Z-7,Short.,2022\r\n" +
				"Ndola,2022,Z-9,,\r\n",
			opts: Options{IDColumn: "pid", TextColumns: []string{" Reflection "}},
			want: []surveySummary{
				{
					Name: "Z-7", Text: "reflection: Short.", Answers: []string{"Short."}, Lines: []int{2},
					Attrs: []Attribute{{"site", AttrText, "Lusaka"}, {"cohort", AttrText, "2021"}, {"year", AttrNumber, "2022"}},
				},
				{
					Name:  "Z-9",
					Attrs: []Attribute{{"site", AttrText, "Ndola"}, {"cohort", AttrText, "2022"}},
				},
			},
		},
		{
			name: "BOM, curly quotes, wrapped header, trimmed id",
			data: "\ufeffid,\"What would you tell\na new volunteer?\"\n" +
				" P01 ,“Listen first — the team in Kisumu knows what it needs.” 🙏 Then ask how you can help.\n",
			want: []surveySummary{{
				Name:    "P01",
				Text:    "What would you tell a new volunteer?: “Listen first — the team in Kisumu knows what it needs.” 🙏 Then ask how you can help.",
				Answers: []string{"“Listen first — the team in Kisumu knows what it needs.” 🙏 Then ask how you can help."},
				Lines:   []int{3},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Survey{}.Read(Input{Path: "survey.csv", Data: []byte(tc.data), Options: tc.opts})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, d := range docs {
				if d.Format != "csv" {
					t.Errorf("%s: format %q, want csv", d.Name, d.Format)
				}
			}
			if got := summariseSurvey(t, docs); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("documents:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestSurveySegments reads through Parse and Read, as the importer does, so
// a respondent without answers must survive segmentation too.
func TestSurveySegments(t *testing.T) {
	docs, err := Read(Input{Path: "volunteers.csv", Data: []byte(partnershipCSV)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 4 || docs[2].Name != "S03" || len(docs[2].Turns) != 0 {
		t.Fatalf("got %d documents; want 4 with S03 empty", len(docs))
	}
	if docs[0].Path != "volunteers.csv" {
		t.Errorf("Path %q", docs[0].Path)
	}
	if got := len(docs[3].Turns[0].Paragraphs); got != 2 {
		t.Errorf("S04's first answer has %d paragraphs, want 2", got)
	}
}

// makeXLSX builds a workbook whose first sheet is an empty cover sheet and
// whose second holds rows, each starting in column A at its row number (a
// nil row leaves a gap). Cells of dateCells get the regional short-date
// format 14, as Excel gives a typed date.
func makeXLSX(t *testing.T, rows map[int][]any, dateCells ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("Responses"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName("Sheet1", "Cover"); err != nil {
		t.Fatal(err)
	}
	for n, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := f.SetSheetRow("Responses", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range dateCells {
		if err := f.SetCellStyle("Responses", c, c, style); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSurveyXLSX(t *testing.T) {
	long := "Being paired with a ward sister in Kampala changed how I think about continuity of care."
	data := makeXLSX(t, map[int][]any{
		1: {"respondent_id", "trust", "years_involved", "joined", "reflection"},
		2: {"R-01", "Leeds Teaching Hospitals", 3, 45356, long},
		// row 3 left blank
		4: {"R-02", "Sheffield", 1.5, 45017, "Line one of my answer.\nLine two, after Alt+Enter, which is long enough."},
		5: {"R-03", "", nil, nil, nil},
	}, "D2", "D4")
	docs, err := Survey{}.Read(Input{Path: "export.xlsx", Data: data})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := []surveySummary{
		{
			Name: "R-01", Text: "reflection: " + long, Answers: []string{long}, Lines: []int{2},
			Attrs: []Attribute{{"trust", AttrText, "Leeds Teaching Hospitals"}, {"years_involved", AttrNumber, "3"}, {"joined", AttrDate, "2024-03-05"}},
		},
		{
			Name:    "R-02",
			Text:    "reflection: Line one of my answer.\nLine two, after Alt+Enter, which is long enough.",
			Answers: []string{"Line one of my answer.\nLine two, after Alt+Enter, which is long enough."},
			Lines:   []int{4},
			Attrs:   []Attribute{{"trust", AttrText, "Sheffield"}, {"years_involved", AttrNumber, "1.5"}, {"joined", AttrDate, "2023-04-01"}},
		},
		{Name: "R-03"},
	}
	if got := summariseSurvey(t, docs); !reflect.DeepEqual(got, want) {
		t.Errorf("documents:\n got %+v\nwant %+v", got, want)
	}
	if docs[0].Format != "xlsx" {
		t.Errorf("format %q, want xlsx", docs[0].Format)
	}
}

func TestSurveyErrors(t *testing.T) {
	const head = "respondent_id,site,years_involved,q1\n"
	answer := "The partnership gave our junior doctors a reason to stay in the NHS."
	row := func(id, site, years string) string { return id + "," + site + "," + years + "," + answer + "\n" }
	tests := []struct {
		name string
		path string
		data string
		opts Options
		want string
	}{
		{"empty file", "s.csv", "", Options{}, "s.csv: file is empty"},
		{"blank file", "s.csv", " \n\n", Options{}, "s.csv: file is empty"},
		{"header only", "s.csv", head, Options{}, "no respondents"},
		{"empty id", "s.csv", head + row("S01", "Leeds", "2") + row(" ", "Leeds", "3"), Options{}, "s.csv:3: empty respondent_id; every row needs an id"},
		{"duplicate id", "s.csv", head + row("S01", "Leeds", "2") + row("S02", "Gulu", "1") + row("S01", "Lira", "3"), Options{}, "s.csv:4: lines 2 and 4 both have respondent_id S01; ids must be unique"},
		{"ragged row", "s.csv", head + row("S01", "Leeds", "2") + "S02,Gulu\n", Options{}, "s.csv:3: row has 2 cells but the header has 4 columns"},
		{"bare quote", "s.csv", head + row("S01", "Leeds", "2") + "S02,Gulu,1,She said \"no\" twice\n", Options{}, "s.csv:3:"},
		{"unterminated quote", "s.csv", head + "S01,Leeds,2,\"never closed\n", Options{}, "s.csv:2:"},
		{"slash in id", "s.csv", head + row("S/01", "Leeds", "2"), Options{}, `s.csv:2: respondent_id "S/01" holds '/'`},
		{"colon in id", "s.csv", head + row("Leeds:01", "Leeds", "2"), Options{}, `holds ':'`},
		{"tab in id", "s.csv", head + row("S\t01", "Leeds", "2"), Options{}, `holds a tab`},
		{"newline in id", "s.csv", head + "\"S\n01\",Leeds,2," + answer + "\n", Options{}, `holds a line break`},
		{"NUL byte", "s.csv", head + "S01,Leeds,2,a\x00b\n", Options{}, "NUL bytes"},
		{"missing id column", "s.csv", head + row("S01", "Leeds", "2"), Options{IDColumn: "pid"}, `id_column pid: no such column in s.csv; choose one of respondent_id, site, years_involved, q1`},
		{"missing text column", "s.csv", head + row("S01", "Leeds", "2"), Options{TextColumns: []string{"q1", "q9"}}, `text_columns q9: no such column in s.csv`},
		{"id as text column", "s.csv", head + row("S01", "Leeds", "2"), Options{TextColumns: []string{"respondent_id"}}, "the id column of s.csv cannot also be a text column"},
		{"no text columns", "s.csv", "id,site\nS01,Leeds\n", Options{}, "found no open-ended text columns"},
		{"mostly numbers", "s.csv", head + row("S01", "Leeds", "2") + row("S02", "Gulu", "4") + row("S03", "Lira", "five"),
			Options{}, `s.csv:4: column "years_involved": value "five" is not a number, but most of the column is; write it as a number, or make the column text by naming it "years_involved:text" in the header`},
		{"mostly dates", "s.csv", "id,joined,q1\nA,2024-01-31," + answer + "\nB,31/01/2024," + answer + "\nC,31/02/2024," + answer + "\n",
			Options{}, `s.csv:4: column "joined": value "31/02/2024" is not a date`},
		{"declared number", "s.csv", "id,years:number,q1\nS01,lots," + answer + "\n", Options{}, `s.csv:2: column "years:number" is declared number, but "lots" is not a number`},
		{"declared date", "s.csv", "id,joined:date,q1\nS01,March 2021," + answer + "\n", Options{}, `"March 2021" is not a date`},
		{"same name twice", "s.csv", "id,site,site:text,q1\nS01,a,b," + answer + "\n", Options{}, `columns 2 and 3 are both named "site"`},
		{"unnamed column", "s.csv", "id,,q1\nS01,a," + answer + "\n", Options{}, "column 2 has no name"},
		{"not a workbook", "s.xlsx", "PK\x03\x04 not really", Options{}, "s.xlsx: not a readable Excel workbook"},
		{"CSV saved as xlsx", "s.xlsx", head + row("S01", "Leeds", "2"), Options{}, "not a readable Excel workbook"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Survey{}.Read(Input{Path: tc.path, Data: []byte(tc.data), Options: tc.opts})
			if err == nil {
				t.Fatalf("no error (%d documents), want one containing %q", len(docs), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
		})
	}
}

func TestSurveyXLSXErrors(t *testing.T) {
	long := "The partnership gave our junior doctors a reason to stay in the NHS."
	tests := []struct {
		name string
		rows map[int][]any
		want string
	}{
		{"blank workbook", map[int][]any{}, "no sheet with any value"},
		{"header only", map[int][]any{2: {"id", "q1"}}, "no respondents"},
		{"value beyond header", map[int][]any{1: {"id", "q1"}, 2: {"A", long, "stray"}}, "export.xlsx:Responses!C2: a value beyond the header's 2 columns"},
		{"duplicate id", map[int][]any{1: {"id", "q1"}, 2: {"A", long}, 7: {"A", long}}, "export.xlsx:7: rows 2 and 7 both have id A"},
		{"empty id", map[int][]any{1: {"id", "q1"}, 2: {"A", long}, 3: {nil, long}}, "export.xlsx:3: empty id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Survey{}.Read(Input{Path: "export.xlsx", Data: makeXLSX(t, tc.rows)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func FuzzSurveyCSV(f *testing.F) {
	f.Add([]byte(partnershipCSV))
	f.Add([]byte("id,q\nA,\"" + strings.Repeat("word ", 10) + "\"\nB,  \n"))
	f.Add([]byte("id,q:text,n:number,d:date\nA,x,1,01/02/2020\n"))
	f.Add([]byte("\ufeffid,q\r\n\"A\",\"a\r\n\r\nb" + strings.Repeat(" long", 10) + "\"\r\n"))
	f.Add([]byte("id,q\nA,\"unterminated\n"))
	f.Add([]byte("id;q\nA;b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Survey{}.Read(Input{Path: "f.csv", Data: data})
		if err != nil {
			return
		}
		// The rows as encoding/csv reads them, by line, are the oracle:
		// every turn must be the trimmed text of one cell of its row.
		text, err := textfile.Decode("f.csv", data)
		if err != nil {
			t.Fatalf("Read accepted what Decode refuses: %v", err)
		}
		tab, err := table.Read("f.csv", data, table.Options{})
		if err != nil {
			t.Fatalf("Read accepted what table.Read refuses: %v", err)
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma = tab.Comma
		r.FieldsPerRecord = -1
		cells := map[int][]string{}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Read accepted a CSV encoding/csv refuses: %v", err)
			}
			line, _ := r.FieldPos(0)
			cells[line] = rec
		}
		seen := map[string]bool{}
		for _, d := range docs {
			if seen[d.Name] || d.Name == "" || unsafeNameChar(d.Name) != "" {
				t.Fatalf("bad or repeated name %q", d.Name)
			}
			seen[d.Name] = true
			checkSurveyDoc(t, d)
			for _, tu := range d.Turns {
				got := d.Text[tu.Start:tu.End]
				found := false
				for _, c := range cells[tu.Line] {
					if strings.TrimSpace(c) == got {
						found = true
					}
				}
				if !found {
					t.Fatalf("turn %q is no cell of line %d: %q", got, tu.Line, cells[tu.Line])
				}
			}
		}
	})
}

// A question asked in the header is open-ended when its answers are words,
// however short they are; a question answered from a few choices, and a
// column of categories, are attributes.
func TestSurveyShortQuestions(t *testing.T) {
	const data = "respondent_id,site,Would you go again?,What was your role?,Any other comments?\n" +
		"S01,Leeds,Yes,Nurse,None\n" +
		"S02,Mbarara,Yes,Midwife,The visits were too short to learn much.\n" +
		"S03,Gulu,No,Clinical officer,\n" +
		"S04,Leeds,Yes,Nurse,Thank you for organising it.\n" +
		"S05,Gulu,No,Midwife,No\n"
	docs, err := Read(Input{Path: "followup.csv", Data: []byte(data)}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		checkSurveyDoc(t, d)
	}
	if got := docs[1].Text; got != "Any other comments?: The visits were too short to learn much." {
		t.Errorf("S02's text: %q", got)
	}
	if got := docs[2]; len(got.Turns) != 0 || len(got.Attributes) != 3 {
		t.Errorf("S03: %d answers, attributes %+v", len(got.Turns), got.Attributes)
	}
	want := []Attribute{{"site", AttrText, "Leeds"}, {"Would you go again?", AttrText, "Yes"}, {"What was your role?", AttrText, "Nurse"}}
	if got := docs[0].Attributes; !slices.Equal(got, want) {
		t.Errorf("S01's attributes %+v, want %+v", got, want)
	}
	// The comments alone are found, where before only answers of 40
	// characters and more were.
	only := "id,Any other comments?\nS01,None\nS02,The visits were too short to learn much.\nS03,Thanks\n"
	if docs, err := Read(Input{Path: "comments.csv", Data: []byte(only)}, ""); err != nil || len(docs[1].Turns) != 1 {
		t.Errorf("comments only: %v", err)
	}
}
