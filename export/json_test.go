package export

import (
	"bytes"
	"encoding/json"
	"testing"

	"qcode/coding/report"
)

func TestWriteTableJSON(t *testing.T) {
	tab := report.NewTable("Agreement", report.Column{Name: "code", Kind: report.Text}, report.Column{Name: "units", Kind: report.Int},
		report.Column{Name: "alpha", Kind: report.Float})
	tab.Add(report.T("risk_aversion"), report.I(681), report.F(0.835))
	tab.Add(report.T(`"quoted" <b>&`), report.I(0), report.Cell{})
	var b bytes.Buffer
	if err := WriteTableJSON(&b, tab); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(b.Bytes(), &rows); err != nil {
		t.Fatalf("%v:\n%s", err, b.String())
	}
	if len(rows) != 2 || rows[0]["code"] != "risk_aversion" || rows[0]["units"] != 681.0 || rows[0]["alpha"] != 0.835 {
		t.Errorf("rows %v", rows)
	}
	// An empty figure is null, and text is not escaped for HTML.
	if rows[1]["alpha"] != nil || rows[1]["code"] != `"quoted" <b>&` || !bytes.Contains(b.Bytes(), []byte("<b>&")) {
		t.Errorf("second row %v in\n%s", rows[1], b.String())
	}
	// Keys keep the columns' order.
	if i, j := bytes.Index(b.Bytes(), []byte(`"units"`)), bytes.Index(b.Bytes(), []byte(`"alpha"`)); i < 0 || j < i {
		t.Errorf("column order lost:\n%s", b.String())
	}
	b.Reset()
	if err := WriteTableJSON(&b, report.NewTable("empty", report.Column{Name: "code"})); err != nil || b.String() != "[]\n" {
		t.Errorf("empty table: %q, %v", b.String(), err)
	}
}
