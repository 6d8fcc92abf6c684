package corpus_test

import (
	"fmt"

	"qcode/corpus"
)

// A transcriber hears a word better: the coding on "midwives in Lusaka"
// moves with its words, and the one on "learnt" holds the new word.
func ExampleDiff() {
	old := "We learnt a lot from the midwives in Lusaka."
	new := "Honestly, we learned a lot from the midwives in Lusaka."
	edits := corpus.Diff(old, new)
	for _, e := range edits {
		fmt.Printf("[%d, %d) %q → %q\n", e.Start, e.End, old[e.Start:e.End], e.Text)
	}
	s, e, changed, _ := corpus.MapSpan(edits, 25, 43)
	fmt.Printf("%q changed: %v\n", new[s:e], changed)
	s, e, changed, _ = corpus.MapSpan(edits, 3, 9)
	fmt.Printf("%q changed: %v\n", new[s:e], changed)
	// Output:
	// [0, 1) "W" → "Honestly, w"
	// [8, 9) "t" → "ed"
	// "midwives in Lusaka" changed: false
	// "learned" changed: true
}
