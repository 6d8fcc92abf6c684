package agree_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"qcode"
	"qcode/coding/agree"
	"qcode/table/tabletest"
)

// ratingsCSV is the Krippendorff (2011) example as a coder would keep it.
const ratingsCSV = `unit,A,B,C,D
u1,1,1,,1
u2,2,2,3,2
u3,3,3,3,3
u4,3,3,3,3
u5,2,2,2,2
u6,1,2,3,4
u7,4,4,4,4
u8,1,1,2,1
u9,2,2,2,2
u10,,5,5,5
u11,,,1,1
u12,,3,,
`

func TestReadTable(t *testing.T) {
	d, err := agree.ReadTable("ratings.csv", []byte("\uFEFF"+ratingsCSV+"\n,,,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Coders, " ") != "A B C D" || len(d.Units) != 12 || d.Units[11] != "u12" || d.Labels != nil {
		t.Fatalf("read %+v", d)
	}
	if !agree.IsMissing(d.Values[0][2]) || d.Values[5][3] != 4 {
		t.Errorf("values %v", d.Values)
	}
	for _, tc := range []struct {
		level agree.Level
		want  float64
	}{{agree.Nominal, 0.743}, {agree.Ordinal, 0.815}, {agree.Interval, 0.849}, {agree.Ratio, 0.797}} {
		a, err := agree.KrippendorffAlpha(d, tc.level)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(a.Value-tc.want) > 0.0005 {
			t.Errorf("%s alpha = %.4f, want %.3f", tc.level, a.Value, tc.want)
		}
	}

	tsv := strings.ReplaceAll(ratingsCSV, ",", "\t")
	d2, err := agree.ReadTable("ratings.tsv", []byte(tsv))
	if err != nil {
		t.Fatal(err)
	}
	if len(d2.Values) != 12 || d2.Values[5][3] != 4 {
		t.Errorf("TSV read %+v", d2)
	}
	// Semicolons, as Excel saves CSV where the decimal mark is a comma.
	d3, err := agree.ReadTable("r.csv", []byte("unit;A;B\nu1;1;2\n"))
	if err != nil || strings.Join(d3.Coders, " ") != "A B" || d3.Values[0][1] != 2 {
		t.Errorf("semicolons read %+v, %v", d3, err)
	}
}

// Text categories are read as such: fine for nominal statistics, and an
// error naming the file, line and column for interval alpha.
func TestReadTableCategories(t *testing.T) {
	data := "segment,amina,jo\nP01:s1,yes,yes\nP01:s2, no ,yes\nP01:s3,,no\n"
	d, err := agree.ReadTable("codes.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Labels, "|") != "yes|no" {
		t.Errorf("labels %q, want yes, no", d.Labels)
	}
	k, err := agree.CohenKappa(d)
	if err != nil || k.Units != 2 || k.Dropped != 1 {
		t.Errorf("Cohen's kappa %+v, %v", k, err)
	}
	_, err = agree.KrippendorffAlpha(d, agree.Interval)
	want := `codes.csv:2:8: unit P01:s1, coder amina: "yes" is not a number, but interval alpha needs numbers; write numbers, or say the level is nominal`
	if err == nil || err.Error() != want || qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("interval alpha on text:\n got %v\nwant %s", err, want)
	}

	// A negative value at the ratio level names its cell too, also after
	// Select has moved the columns.
	d, err = agree.ReadTable("scores.csv", []byte("unit,A,B\nu1,1,2\nu2,3,-1\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err = d.Select("B", "A")
	if err != nil {
		t.Fatal(err)
	}
	_, err = agree.KrippendorffAlpha(d, agree.Ratio)
	want = "scores.csv:3:6: unit u2, coder B: the value -1 is negative, but ratio alpha needs values of 0 or more; correct it, or say the level is interval"
	if err == nil || err.Error() != want {
		t.Errorf("ratio alpha on a negative value:\n got %v\nwant %s", err, want)
	}
}

func TestReadTableErrors(t *testing.T) {
	for _, tc := range []struct {
		name, path, data, want string
	}{
		{"empty file", "r.csv", " \n", "r.csv: file is empty"},
		{"neither UTF-8 nor Windows-1252", "r.csv", "unit,A\nu1,\x81\n", "r.csv:2: byte 0x81 is neither UTF-8 nor Windows-1252 text"},
		{"no coder columns", "r.csv", "unit\nu1\n", "r.csv:1: no coder columns; after the unit column"},
		{"empty coder name", "r.csv", "unit,A,,B\nu1,1,2,3\n", "r.csv:1:8: column 3 has no name, but line 2 has a value in it"},
		{"duplicate coder", "r.csv", "unit,A,B,A\nu1,1,2,3\n", `r.csv:1:10: columns 2 and 4 are both named "A"; give each column its own name`},
		{"short row", "r.csv", "unit,A,B\nu1,1,2\nu2,1\n", "r.csv:3: row has 2 cells but the header has 3 columns; give every column a cell"},
		{"long row", "r.csv", "unit,A,B\nu1,1,2,3\n", "r.csv:2:8: row has 4 cells but the header has 3 columns"},
		{"empty unit id", "r.csv", "unit,A,B\nu1,1,2\n ,1,2\n", "r.csv:3:1: empty unit id"},
		{"duplicate unit id", "r.csv", "unit,A,B\nu1,1,2\nu2,1,1\nu1,2,2\n", "r.csv:4:1: lines 2 and 4 both have unit u1; unit ids must be unique"},
		{"bad quote", "r.csv", "unit,A,B\nu1,\"1,2\n", "r.csv:2:"},
		{"bare quote", "r.csv", "unit,A,B\nu1,1 \"x\",2\n", "r.csv:2:6: bare \" in non-quoted-field; check the quotes on that line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := agree.ReadTable(tc.path, []byte(tc.data))
			if qcode.ErrorCode(err) != qcode.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q\nwant it to start %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q is not one line", err)
			}
		})
	}
}

// A file with a header and no units is a mistake to report, not reliability
// data of zero units (whose alpha is undefined: see the degenerate cases).
func TestReadTableNoRows(t *testing.T) {
	for _, data := range []string{"unit,A,B\n", "unit,A,B\n\n\n"} {
		_, err := agree.ReadTable("r.csv", []byte(data))
		if err == nil || !strings.Contains(err.Error(), "r.csv: no rows after the header") {
			t.Errorf("%q: %v", data, err)
		}
	}
}

func FuzzReadTable(f *testing.F) {
	f.Add(ratingsCSV)
	f.Add("segment,amina,jo\nP01:s1,yes,yes\nP01:s2,no,yes\nP01:s3,,no\n")
	f.Add("unit,A,B\nu1,0.1,-2\nu2,NaN,Inf\nu3,1e308,-1e308\n")
	f.Add("unit,A\nu1,\"a\nb\"\n")
	f.Add("unit,A,B\nu1,1e308,-1e308\nu2,-1e308,1e-320\nu3,0,0\n")
	f.Fuzz(func(t *testing.T, data string) {
		d, err := agree.ReadTable("f.csv", []byte(data))
		if err != nil {
			if qcode.ErrorCode(err) != qcode.EINVALID || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %q (code %s)", err, qcode.ErrorCode(err))
			}
			return
		}
		finite := func(what string, vs ...float64) {
			for _, v := range vs {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: %v", what, vs)
				}
			}
		}
		p, err := agree.PercentAgreement(d)
		if err != nil {
			t.Fatal(err)
		}
		finite("percent", p.Value)
		k, err := agree.FleissKappa(d)
		if err != nil {
			t.Fatal(err)
		}
		finite("fleiss", k.Value, k.Observed, k.Expected)
		bp, err := agree.BrennanPrediger(d, 0)
		if err != nil {
			t.Fatal(err)
		}
		finite("bp", bp.Value, bp.Observed, bp.Expected)
		if len(d.Coders) == 2 {
			k, err := agree.CohenKappa(d)
			if err != nil {
				t.Fatal(err)
			}
			finite("cohen", k.Value, k.Observed, k.Expected)
		}
		for _, l := range agree.Levels {
			a, err := agree.KrippendorffAlpha(d, l)
			if err != nil {
				if qcode.ErrorCode(err) != qcode.EINVALID {
					t.Fatal(err)
				}
				continue
			}
			finite("alpha "+l.String(), a.Value, a.Observed, a.Expected)
			iv, err := agree.Bootstrap(d, l, 20, 1)
			if err != nil {
				t.Fatal(err)
			}
			finite("bootstrap "+l.String(), iv.Low, iv.High)
		}
	})
}

// TestReadTableEverySpreadsheet reads one table of agreement data saved
// every way a spreadsheet saves it (comma, semicolon or tab separated;
// UTF-8, UTF-16 or Windows-1252; a workbook) and gets the same coders,
// units, values and alpha each time.
func TestReadTableEverySpreadsheet(t *testing.T) {
	rows := [][]string{
		{"segment", "Zoë", "José", "Siobhán"},
		{"P01:s3", "two-way – learning", "two-way – learning", "one-way"},
		{"P01:s7", "one-way", "one-way", ""},
		{"P02:s1", "two-way – learning", "one-way", "two-way – learning"},
		{"P03:s12", "none, or unclear", "none, or unclear", "none, or unclear"},
	}
	show := func(d *agree.Data) string {
		a, err := agree.KrippendorffAlpha(d, agree.Nominal)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("coders %q units %q labels %q values %v alpha %.6f", d.Coders, d.Units, d.Labels, d.Values, a.Value)
	}
	want := `coders ["Zoë" "José" "Siobhán"] units ["P01:s3" "P01:s7" "P02:s1" "P03:s12"] labels ["two-way – learning" "one-way" "none, or unclear"] values [[0 0 1] [1 1 NaN] [0 1 0] [2 2 2]] alpha 0.500000`
	for _, v := range tabletest.Variants(t, "ratings", rows) {
		t.Run(v.Name, func(t *testing.T) {
			d, err := agree.ReadTable(v.Path, v.Data)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(d); got != want {
				t.Errorf("read\n %s\nwant\n %s", got, want)
			}
		})
	}
}
