package export

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"qcode/coding/report"
)

// WriteTableJSON writes t as a JSON array of objects, one per row, with
// the columns' names as fields in the columns' order: numbers as numbers,
// empty cells as null.
func WriteTableJSON(w io.Writer, t *report.Table) error {
	var b bytes.Buffer
	keys := make([][]byte, len(t.Columns))
	for i, c := range t.Columns {
		keys[i] = jsonString(c.Name)
	}
	b.WriteString("[")
	n := 0
	err := t.Each(func(row []report.Cell) error {
		if n > 0 {
			b.WriteString(",")
		}
		n++
		b.WriteString("\n  {")
		for i, c := range row {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n    ")
			b.Write(keys[i])
			b.WriteString(": ")
			switch c.Kind {
			case report.Text:
				b.Write(jsonString(c.Text))
			case report.Int, report.Float, report.Percent:
				b.WriteString(strconv.FormatFloat(c.Num, 'f', -1, 64))
			default:
				b.WriteString("null")
			}
		}
		b.WriteString("\n  }")
		if b.Len() > 1<<16 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err = w.Write(b.Bytes())
	return err
}

func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
