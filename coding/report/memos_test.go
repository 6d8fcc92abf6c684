package report

import (
	"strings"
	"testing"
	"time"

	"qcode/coding"
)

// The Memos sheet has a row per memo, of every kind, saying what it is on;
// an edited memo gives when, one never edited leaves the cell empty.
func TestMemosTable(t *testing.T) {
	at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	ms := []coding.Memo{
		{ID: 4, Kind: coding.MemoProject, Coder: "amina", CreatedAt: at, UpdatedAt: at.Add(time.Hour), Text: "Interviewers' turns are coded only when they lead."},
		{ID: 1, Kind: coding.MemoSource, Source: "P03", Coder: "ben", CreatedAt: at, UpdatedAt: at, Text: "=cut short by a ward round"},
		{ID: 2, Kind: coding.MemoCode, Code: "humility", Coder: "amina", CreatedAt: at, UpdatedAt: at, Text: "modesty about one's own system"},
		{ID: 3, Kind: coding.MemoCoding, Source: "P03", Code: "humility", Start: 120, End: 188, CodingCoder: "rules", Coder: "ben", CreatedAt: at, UpdatedAt: at, Text: "the clearest case"},
	}
	var got []string
	for _, r := range cells(MemosTable(ms)) {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{
		"id|kind|on|source|code|coder|created_at|updated_at|text",
		"4|project|the project|||amina|2026-03-14T09:30:00Z|2026-03-14T10:30:00Z|Interviewers' turns are coded only when they lead.",
		"1|source|P03|P03||ben|2026-03-14T09:30:00Z||=cut short by a ward round",
		"2|code|code humility||humility|amina|2026-03-14T09:30:00Z||modesty about one's own system",
		"3|coding|humility on P03:120-188 by rules|P03|humility|ben|2026-03-14T09:30:00Z||the clearest case",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Memos sheet:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
