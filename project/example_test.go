package project_test

import (
	"context"
	"fmt"
	"os"

	"qcode/corpus"
	"qcode/project"
)

func ExampleProject_Import() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "qcode-example-")
	defer os.RemoveAll(dir)

	p, err := project.Init(ctx, dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	docs, _ := corpus.Read(corpus.Input{Path: "P01.txt", Data: []byte(
		"Interviewer: What did you learn in Gulu?\nDr Marsh: Humility, mostly.\n" +
			"Interviewer: Anything technical?\nDr Marsh: Yes. Ketamine sedation without monitors.\n")}, "")
	res, _ := p.Import(ctx, docs, false)
	fmt.Println(res[0].Name, res[0].Status, res[0].Counts.Turns, "turns")

	src, _ := p.Source(ctx, "P01")
	s := src.Turns[3].Sentences[1]
	fmt.Printf("P01:s%d [%d,%d) %q\n", s.Ord, s.Start, s.End, s.Text)
	// Output:
	// P01 imported 4 turns
	// P01:s5 [117,152) "Ketamine sedation without monitors."
}
