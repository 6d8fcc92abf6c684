package corpus

import (
	"errors"
	"testing"
)

func TestAttrTypeInfer(t *testing.T) {
	tests := []struct {
		name    string
		values  []string
		want    AttrType
		wantErr *TypeError
	}{
		{"no values", nil, AttrText, nil},
		{"only blanks", []string{"", "  "}, AttrText, nil},
		{"years involved", []string{"4", "", " 2.5 ", "10", "-1", "1e3"}, AttrNumber, nil},
		{"ISO dates", []string{"2024-03-05", "2023-12-31"}, AttrDate, nil},
		{"UK dates mixed with ISO", []string{"05/03/2024", "2024-03-05", "1/4/2023"}, AttrDate, nil},
		{"years are numbers, not dates", []string{"2019", "2021"}, AttrNumber, nil},
		{"sites", []string{"Leeds", "Mbarara", "Gulu"}, AttrText, nil},
		{"half numbers is text", []string{"3", "Band 5", "4", "Band 6"}, AttrText, nil},
		{"codes with leading letters", []string{"NHS1", "NHS2"}, AttrText, nil},
		{"a word among numbers", []string{"2", "", "4", "3", "", "five", "6"}, "", &TypeError{Index: 5, Value: "five", Want: AttrNumber}},
		{"first misfit is named", []string{"2", "n/a", "4", "3", "unsure"}, "", &TypeError{Index: 1, Value: "n/a", Want: AttrNumber}},
		{"impossible date", []string{"2024-02-28", "30/02/2024", "2024-03-01"}, "", &TypeError{Index: 1, Value: "30/02/2024", Want: AttrDate}},
		{"US date among UK ones", []string{"05/03/2024", "03/15/2024", "06/03/2024"}, "", &TypeError{Index: 1, Value: "03/15/2024", Want: AttrDate}},
		{"not a number: NaN and Inf", []string{"NaN", "Inf", "3"}, AttrText, nil},
		{"thousands separators are text", []string{"1,200", "3,400"}, AttrText, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := InferType(tc.values)
			if tc.wantErr != nil {
				var te *TypeError
				if !errors.As(err, &te) {
					t.Fatalf("error %v, want %+v", err, tc.wantErr)
				}
				if *te != *tc.wantErr {
					t.Errorf("error %+v, want %+v", *te, *tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestAttrTypeErrorMessage(t *testing.T) {
	err := &TypeError{Index: 5, Value: "five", Want: AttrNumber}
	if got, want := err.Error(), `value "five" is not a number, but most of the column is (value 6 of the column)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAttrTypeNormalizeDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2024-03-05", "2024-03-05", true},
		{" 05/03/2024 ", "2024-03-05", true},
		{"5/3/2024", "2024-03-05", true},
		{"29/02/2024", "2024-02-29", true},
		{"29/02/2023", "", false},
		{"2024-3-5", "", false},
		{"05/03/24", "", false},
		{"05-03-2024", "", false},
		{"2024/03/05", "", false},
		{"5 March 2024", "", false},
		{"2024-03-05T10:00", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := NormalizeDate(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("NormalizeDate(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestAttrTypeNormalizeValue(t *testing.T) {
	tests := []struct {
		name    string
		typ     AttrType
		in      string
		want    string
		wantErr bool
	}{
		{"integer", AttrNumber, " 4 ", "4", false},
		{"trailing zeros", AttrNumber, "2.50", "2.5", false},
		{"exponent", AttrNumber, "1e3", "1000", false},
		{"leading zeros", AttrNumber, "007", "7", false},
		{"plus sign", AttrNumber, "+12", "12", false},
		{"word", AttrNumber, "five", "", true},
		{"hex", AttrNumber, "0x1p4", "", true},
		{"infinity", AttrNumber, "1e999", "", true},
		{"UK date", AttrDate, "1/4/2023", "2023-04-01", false},
		{"bad date", AttrDate, "April 2023", "", true},
		{"text is trimmed", AttrText, "  Clinical officer ", "Clinical officer", false},
		{"empty stays empty", AttrNumber, "  ", "", false},
		{"unknown type", AttrType("money"), "3", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeValue(tc.typ, tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("NormalizeValue(%q, %q) = %q, %v; want %q (error %v)", tc.typ, tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestAttrTypeTypedHeader(t *testing.T) {
	tests := []struct {
		in   string
		name string
		typ  AttrType
		ok   bool
	}{
		{"years_involved:number", "years_involved", AttrNumber, true},
		{"interview_date:date", "interview_date", AttrDate, true},
		{" site : Text ", "site", AttrText, true},
		{"site", "site", "", false},
		{"Q3: What worked well?", "Q3: What worked well?", "", false},
		{"ratio:1:number", "ratio:1", AttrNumber, true},
		{":number", ":number", "", false},
		{"years:integer", "years:integer", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			name, typ, ok := ParseTypedHeader(tc.in)
			if name != tc.name || typ != tc.typ || ok != tc.ok {
				t.Errorf("ParseTypedHeader(%q) = %q, %q, %v; want %q, %q, %v", tc.in, name, typ, ok, tc.name, tc.typ, tc.ok)
			}
		})
	}
}
