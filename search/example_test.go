package search_test

import (
	"context"
	"fmt"
	"os"

	"qcode/codebook"
	"qcode/corpus"
	"qcode/project"
	"qcode/search"
)

func ExampleEngine_Search() {
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
		"Interviewer: What did you learn in Gulu?\nDr Marsh: Humility, mostly. We learned to listen before we taught.\n" +
			"Interviewer: Anything technical?\nDr Marsh: Yes. Ketamine sedation without monitors.\n")}, "")
	if _, err := p.Import(ctx, docs, false); err != nil {
		fmt.Println(err)
		return
	}
	m, _ := codebook.NewMatcher(codebook.Default())

	// The engine reads the project's store and keeps its index in the
	// project's folder, made at the first search.
	e := search.NewEngine(p.IndexPath(), p)
	defer e.Close()
	res, err := e.Search(ctx, search.Request{Query: "learn* OR taught", Rules: m.Queries(), Speakers: []string{"participant"}, Width: 12})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("index:", res.Index.Reason)
	for _, h := range res.Hits {
		fmt.Printf("%s %s: %s [%s] %s\n", h.Ref, h.Speaker, h.Left, h.Match, h.Right)
	}
	// Output:
	// index: missing
	// P01:s3 Dr Marsh: mostly. We [learned] to listen
}
