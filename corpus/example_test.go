package corpus_test

import (
	"fmt"

	"qcode/corpus"
)

func ExampleRead() {
	transcript := "Interview P03\n\n" +
		"[00:01:05] Interviewer: Did you have a debrief?\n" +
		"[00:01:09] Sarah: No. Nobody asked — we just went back to work.\n" +
		"[00:01:30] Interviewer: And now?\n" +
		"[00:01:32] Sarah: Now we debrief after every visit.\n"
	docs, err := corpus.Read(corpus.Input{Path: "P03.txt", Data: []byte(transcript)}, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	d := docs[0]
	for _, t := range d.Turns {
		for _, p := range t.Paragraphs {
			for _, s := range p.Sentences {
				fmt.Printf("%s %s %q (%d tokens)\n", t.Begin, t.Speaker, d.Text[s.Start:s.End], len(s.Tokens))
			}
		}
	}
	// Output:
	// 00:01:05 Interviewer "Did you have a debrief?" (6 tokens)
	// 00:01:09 Sarah "No." (2 tokens)
	// 00:01:09 Sarah "Nobody asked — we just went back to work." (10 tokens)
	// 00:01:30 Interviewer "And now?" (3 tokens)
	// 00:01:32 Sarah "Now we debrief after every visit." (7 tokens)
}
