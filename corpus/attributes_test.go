package corpus

import (
	"reflect"
	"testing"

	"qcode/table/tabletest"
)

// TestReadAttributesEverySpreadsheet reads one attributes table of NHS and
// partner-hospital staff saved every way a spreadsheet saves it (comma,
// semicolon or tab separated; UTF-8, UTF-16 or Windows-1252; a workbook)
// and gets the same cases, columns, types and values each time.
func TestReadAttributesEverySpreadsheet(t *testing.T) {
	rows := [][]string{
		{"case", "name", "role", "site", "years", "joined", "stipend"},
		{"P01", "Zoë Ndlovu", "Staff nurse", "Sheffield – NHS", "6", "2019-03-01", "£1,200"},
		{"P02", "José Ibáñez", "Registrar", "Mbarara, Uganda", "2.5", "2021-11-15", "€950"},
		{"P03", "Siobhán Ó Dónaill", "Midwife", "Gulu – Lacor", "", "2018-06-30", ""},
	}
	want := &AttributeTable{
		Columns: []AttributeColumn{{"name", AttrText}, {"role", AttrText}, {"site", AttrText}, {"years", AttrNumber}, {"joined", AttrDate}, {"stipend", AttrText}},
		Rows: []AttributeRow{
			{Case: "P01", Line: 2, Values: []string{"Zoë Ndlovu", "Staff nurse", "Sheffield – NHS", "6", "2019-03-01", "£1,200"}},
			{Case: "P02", Line: 3, Values: []string{"José Ibáñez", "Registrar", "Mbarara, Uganda", "2.5", "2021-11-15", "€950"}},
			{Case: "P03", Line: 4, Values: []string{"Siobhán Ó Dónaill", "Midwife", "Gulu – Lacor", "", "2018-06-30", ""}},
		},
	}
	for _, v := range tabletest.Variants(t, "cases", rows) {
		t.Run(v.Name, func(t *testing.T) {
			got, err := ReadAttributes(v.Path, v.Data)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != v.Path {
				t.Errorf("path %q, want %q", got.Path, v.Path)
			}
			got.Path = ""
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}
