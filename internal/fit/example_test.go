package fit_test

import (
	"fmt"

	"qcode/internal/fit"
)

func ExampleLines() {
	t := fit.Table{
		Header: []string{"code", "Northbridge General Hospital", "Gulu Regional Referral Hospital"},
		Rows:   [][]string{{"humility", "12", "7"}, {"risk_aversion", "3", "15"}},
		Keys:   1,
		Values: true,
	}
	for _, l := range fit.Lines(t, 30) {
		fmt.Println(l)
	}
	// Output:
	// CODE            A   B
	// humility       12   7
	// risk_aversion   3  15
	//
	// A Northbridge General Hospital
	// B Gulu Regional Referral Hospital
}
