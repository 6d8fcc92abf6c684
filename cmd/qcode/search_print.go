package main

// How 'qcode search' prints what it found, and asks before coding it.

import (
	"bufio"
	"fmt"
	"iter"
	"strings"
	"unicode/utf8"

	"qcode/app"
	"qcode/corpus"
)

// indexNote says, on stderr, when the search had to bring the index up
// to date first, or searched it as it was.
func indexNote(e *env, res *app.SearchResult) {
	switch {
	case res.Index != nil && res.Index.Stale:
		fmt.Fprintln(e.stderr, "another qcode is bringing the search index up to date; searched it as it was (search again for the latest sources)")
	case res.Index != nil:
		fmt.Fprintf(e.stderr, "the search index was %s; indexed %s (%s)\n", res.Index.Reason, plural(res.Index.Added, "source"), plural(res.Index.Docs, "sentence"))
	}
}

// printSearchJSON prints the result with every hit shown, and its matches.
func printSearchJSON(e *env, res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
	for h, err := range hits {
		if err != nil {
			return err
		}
		res.Hits = append(res.Hits, h)
	}
	return writeJSON(e.stdout, res.Result)
}

// printSearch prints the hits in context, in order, then the totals and
// facets: on a pipe each hit as the search makes it, buffered, however
// many there are; on a terminal all of them, aligned on the widest left
// context.
func printSearch(e *env, res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
	n := 0 // the hits shown
	if res.Total == 0 {
		fmt.Fprintln(e.stdout, safe(res.Nothing(flagName)))
		return nil
	}
	if e.outTTY {
		// Keyword in context: the match lines up, the left context is
		// right-aligned up to it.
		var all []app.Hit
		width := 0
		for h, err := range hits {
			if err != nil {
				return err
			}
			width = max(width, utf8.RuneCountInString(h.Left))
			all = append(all, h)
		}
		n = len(all)
		for _, h := range all {
			pad := strings.Repeat(" ", width-utf8.RuneCountInString(h.Left))
			match := "\x1b[1m" + h.Match + "\x1b[0m"
			fmt.Fprintf(e.stdout, "%-12s %-14s %8s  %s%s %s %s\n", safe(h.Segment), safe(truncate(corpus.SpeakerLabel(h.Speaker), 14)), clock(h.Time), pad, h.Left, match, h.Right)
		}
	} else {
		w := bufio.NewWriterSize(e.stdout, 64<<10)
		if err := writeTSV(w, "segment", "speaker", "time", "left", "match", "right"); err != nil {
			return err
		}
		for h, err := range hits {
			if err != nil {
				return err
			}
			if err := writeTSV(w, h.Segment, corpus.SpeakerLabel(h.Speaker), clock(h.Time), h.Left, h.Match, h.Right); err != nil {
				return err
			}
			n++
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	out := e.stdout
	if !e.outTTY {
		out = e.stderr
	}
	var per []string
	for i, c := range res.BySource {
		if i == maxSourcesListed && len(res.BySource) > i+1 {
			per = append(per, fmt.Sprintf("and %d more (--json lists all)", len(res.BySource)-i))
			break
		}
		per = append(per, fmt.Sprintf("%s %d", safe(c.Value), c.Count))
	}
	shown := ""
	if n < res.Total {
		shown = fmt.Sprintf(" (%d shown)", n)
	}
	fmt.Fprintf(out, "%s%s in %s: %s\n", plural(res.Total, string(res.Unit)), shown, plural(len(res.BySource), "source"), strings.Join(per, ", "))
	for _, f := range res.Facets {
		var vs []string
		for _, v := range f.Values {
			if f.Field == "speaker" {
				v.Value = corpus.SpeakerLabel(v.Value)
			}
			vs = append(vs, fmt.Sprintf("%s %d", safe(v.Value), v.Count))
		}
		fmt.Fprintf(out, "by %s: %s\n", f.Field, strings.Join(vs, ", "))
	}
	if s := res.LeftOut(flagName); s != "" {
		fmt.Fprintln(out, s)
	}
	return nil
}

// flagName names a search option as the command line's flag.
func flagName(field string) string { return "--" + field }

// maxSourcesListed is how many sources the totals line names.
const maxSourcesListed = 12

// clock prints a turn's time as hh:mm:ss, as show and the workbook do, or
// nothing.
func clock(ms *int64) string {
	if ms == nil {
		return ""
	}
	return corpus.Time(*ms).Clock()
}

// askCodeAll asks on stderr whether to code every hit, and reads the
// answer from stdin.
func askCodeAll(e *env, res *app.SearchResult) bool {
	fmt.Fprintf(e.stderr, "Code %s as %s by %s? [y/N] ", plural(res.Total, string(res.Unit)), res.CodeAs(), res.Coder())
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes"
}

// printCoded says, on stderr, what coding every hit did, if it was asked.
func printCoded(e *env, res *app.SearchResult) {
	switch c := res.Coded; {
	case c == nil:
	case c.Declined:
		fmt.Fprintln(e.stderr, "nothing coded")
	default:
		msg := fmt.Sprintf("coded %s as %s by %s", plural(c.Added, string(res.Unit)), res.CodeAs(), res.Coder())
		if c.Existing > 0 {
			msg += fmt.Sprintf("; %d already had it", c.Existing)
		}
		fmt.Fprintln(e.stderr, msg)
	}
}
