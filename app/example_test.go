package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"qcode/app"
)

// A front end's whole job on the sample corpus: make a project, import the
// interviews, code them with the default codebook's rules, and count.
func Example() {
	ctx := context.Background()
	tmp, _ := os.MkdirTemp("", "qcode-example-")
	defer os.RemoveAll(tmp)
	sample, err := app.WriteSample(filepath.Join(tmp, "sample"))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir := filepath.Join(tmp, "study")
	if _, err := app.Init(ctx, dir); err != nil {
		fmt.Println(err)
		return
	}
	p, err := app.Open(ctx, app.Options{Dir: dir, Command: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	imported, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[:3]}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range imported.Files {
		r := f.Sources[0]
		fmt.Printf("%s: %s, %d turns\n", r.Name, r.Status, r.Counts.Turns)
	}
	coded, err := p.Code(ctx, app.CodeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("coded %d sentences of %d sources\n", coded.Segments, coded.Sources)
	a, err := p.Analysis(ctx, app.AllCoders)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d codings by %v\n", a.CodingCount(), a.Coders())
	// Output:
	// P01: imported, 74 turns
	// P02: imported, 70 turns
	// P03: imported, 60 turns
	// coded 538 sentences of 3 sources
	// 187 codings by [rules]
}
