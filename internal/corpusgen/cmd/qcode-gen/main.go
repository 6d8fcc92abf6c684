// Command qcode-gen writes a reproducible synthetic interview corpus for
// benchmarking qcode import.
//
//	go run ./internal/corpusgen/cmd/qcode-gen -words 1000000 -seed 1 -out DIR
//
// It writes files P0001.txt, P0002.txt, P0003.md, … into DIR, cycling
// through the formats qcode reads transcripts from, and prints how many it
// wrote. Exit status 0 on success, 1 on any error, 2 on bad flags.
package main

import (
	"flag"
	"fmt"
	"os"

	"qcode/internal/corpusgen"
)

func main() {
	words := flag.Int("words", 1000000, "total number of words to write")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same files")
	out := flag.String("out", "", "folder to write the files into (created if missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: qcode-gen -words N -seed S -out DIR")
		os.Exit(2)
	}
	paths, err := corpusgen.Write(*out, *words, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qcode-gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d files, about %d words, to %s\n", len(paths), *words, *out)
}
