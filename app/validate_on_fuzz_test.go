package app

import (
	"testing"

	"qcode"
)

// FuzzReadLabelled: whatever a labelled file holds, reading it gives texts
// with text, or a one-line invalid-input error; never a panic.
func FuzzReadLabelled(f *testing.F) {
	f.Add([]byte(`{"id": "q1", "text": "We learnt humility.", "codes": ["humility"]}`+"\n"), true)
	f.Add([]byte(`{"id": 7, "text": "Litigation again.", "codes": "risk_aversion|humility"}`), true)
	f.Add([]byte("id,text,codes\nq1,\"We learnt humility.\",humility;risk_aversion\n"), false)
	f.Add([]byte("text,codes\n,humility\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool) {
		read, name := readLabelledTable, "quotes.csv"
		if jsonl {
			read, name = readLabelledJSONL, "quotes.jsonl"
		}
		rows, err := read(name, data)
		if err != nil {
			if qcode.ErrorCode(err) != qcode.EINVALID {
				t.Fatalf("error %v is not an invalid-input error", err)
			}
			return
		}
		for _, r := range rows {
			if r.text == "" || r.where == "" {
				t.Fatalf("a row without text or place: %+v", r)
			}
		}
	})
}
