package table_test

import (
	"fmt"

	"qcode/table"
)

func ExampleRead() {
	// Excel in much of Europe saves CSV with semicolons, in Windows-1252.
	data := []byte("case;name;stipend\r\nP01;Zo\xeb Ndlovu;\x80950\r\n\r\nP02;Jos\xe9 Ib\xe1\xf1ez;\r\n")
	t, err := table.Read("staff.csv", data, table.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q separated: %q\n", t.Comma, t.Header)
	for _, r := range t.Rows {
		fmt.Printf("line %d: %q (name at %s)\n", r.Line, r.Cells, t.Where(&r, 1))
	}
	// Output:
	// ';' separated: ["case" "name" "stipend"]
	// line 2: ["P01" "Zoë Ndlovu" "€950"] (name at staff.csv:2:5)
	// line 4: ["P02" "José Ibáñez" ""] (name at staff.csv:4:5)
}
