package app

import (
	"fmt"
	"strings"

	"qcode/coding/report"
	"qcode/corpus"
)

// Plural formats a count with its noun: "1 code", "2,049 codes".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return report.Thousands(n) + " " + noun + "s"
}

// FileSummary sums up a file that gave several sources (a survey's
// respondents): how many took each status, in the order imported,
// replaced, corrected, unchanged, and their counts added up.
type FileSummary struct {
	Statuses    []StatusCount
	Counts      corpus.Counts
	First, Last string // the first and last source's names
}

// StatusCount is how many of a file's sources took one status.
type StatusCount struct {
	Status string
	N      int
}

// Summary sums up the file's sources.
func (f ImportedFile) Summary() FileSummary {
	var s FileSummary
	if len(f.Sources) == 0 {
		return s
	}
	s.First, s.Last = f.Sources[0].Name, f.Sources[len(f.Sources)-1].Name
	n := map[string]int{}
	for _, r := range f.Sources {
		n[r.Status]++
		s.Counts.Turns += r.Counts.Turns
		s.Counts.Sentences += r.Counts.Sentences
		s.Counts.Words += r.Counts.Words
	}
	for _, st := range []string{Imported, Replaced, Corrected, Unchanged} {
		if n[st] > 0 {
			s.Statuses = append(s.Statuses, StatusCount{st, n[st]})
		}
	}
	return s
}

// DescribeCorrection says in one line what a correction did to a source:
// the codings moved and changed (each changed one named, to review),
// removed, and what became of the memos, rejections and rules codings.
func DescribeCorrection(c *Correction) string {
	var b strings.Builder
	fmt.Fprintf(&b, "corrected %s: %s moved, %d changed", c.Source, Plural(c.Moved, "coding"), len(c.Changed))
	if len(c.Changed) > 0 {
		b.WriteString(" (review: " + changeList(c.Changed) + ")")
	}
	if len(c.Removed) > 0 {
		fmt.Fprintf(&b, ", %d removed (%s)", len(c.Removed), changeList(c.Removed))
	}
	if n := c.MemosMoved; n > 0 {
		fmt.Fprintf(&b, "; %s moved", Plural(n, "memo"))
	}
	if n := c.MemosOnSource; n > 0 {
		fmt.Fprintf(&b, "; %s on removed words now on the source", Plural(n, "memo"))
	}
	if n := c.RejectionsMoved + c.RejectionsDropped; n > 0 {
		fmt.Fprintf(&b, "; %d of %s kept", c.RejectionsMoved, Plural(n, "rejection"))
	}
	switch {
	case c.RulesRemade:
		fmt.Fprintf(&b, "; rules codings made again (%d)", c.RulesAfter)
	case c.RulesCodings > 0:
		fmt.Fprintf(&b, "; %s dropped: run 'qcode code' again", Plural(c.RulesCodings, "rules coding"))
	}
	return b.String()
}

func changeList(cs []CodingChange) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %s by %s", c.Ref, c.Code, c.Coder))
	}
	return strings.Join(parts, ", ")
}
