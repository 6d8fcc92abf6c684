package search

import (
	"context"
	"strings"
	"testing"

	"qcode"
)

// TestRawQuery checks bleve's query syntax over the words of P03: a word
// finds its other forms by stem, wildcards and fuzzy words are folded as
// the words are, stop words are words like any other, boosts rank, and a
// phrase, which the index cannot answer, is an error that says what to do.
func TestRawQuery(t *testing.T) {
	e := newEngine(t, mustP03(t))
	segments := func(q string) string {
		t.Helper()
		res := mustSearch(t, e, Request{Query: q, Bleve: true})
		var s []string
		for _, h := range res.Hits {
			s = append(s, h.Segment)
		}
		return strings.Join(s, " ")
	}
	for _, c := range []struct{ query, want string }{
		{"change", "P03:s7"},            // "changed", by stem
		{"CHANGING", "P03:s7"},          // any case, any form
		{"text:changes", "P03:s7"},      // the field raw queries searched before
		{"Chart*", "P03:s4"},            // a wildcard folded as the words are
		{"handovr~1", "P03:s7"},         // fuzzy, on the word as written
		{"Zoë's", "P03:s4"},             // a straight apostrophe finds the curly one
		{"the", "P03:s4 P03:s7"},        // no stop words
		{"+changed -handover", ""},      // must and must not
		{"+changed -debrief", "P03:s7"}, //
		{"nurse", ""},                   // no such word
		{"/ch.*/", "P03:s4 P03:s7"},     // a regular expression over the words
		{"src:1 +debrief", "P03:s1"},    // the source field is left alone
	} {
		if got := segments(c.query); got != c.want {
			t.Errorf("%s: %q, want %q", c.query, got, c.want)
		}
	}
	// A boost carries over to the words' terms: it decides the order.
	for _, c := range []struct{ query, first string }{
		{"changed^5 chart", "P03:s7"},
		{"changed chart^5", "P03:s4"},
	} {
		res := mustSearch(t, e, Request{Query: c.query, Bleve: true, Sort: "relevance"})
		if len(res.Hits) != 2 || res.Hits[0].Segment != c.first {
			t.Errorf("%s: %+v, want %s first", c.query, res.Hits, c.first)
		}
	}
	_, err := e.Search(context.Background(), Request{Query: `"early warning"`, Bleve: true})
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "rule syntax") {
		t.Errorf("a phrase: %v", err)
	}
	// A pattern that does not compile is the query's fault, not the
	// index's.
	_, err = e.Search(context.Background(), Request{Query: `/debrief[/`, Bleve: true})
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "/debrief[/ is not a regular expression") {
		t.Errorf("a broken pattern: %v", err)
	}
}

// TestRawQueryRefusesWhatBleveIgnores: bleve's query strings have no
// parentheses and no AND, OR or NOT, and accepted them as parts of words
// ("+((" found nothing, "a AND (" searched a and "and"), so they are
// refused with what to write instead; inside a phrase, a regular
// expression or after a backslash they are left to bleve.
func TestRawQueryRefusesWhatBleveIgnores(t *testing.T) {
	e := newEngine(t, mustP03(t))
	ctx := context.Background()
	for _, c := range []struct{ query, says string }{
		{"+((", "no parentheses"},
		{"(changed chart)", "no parentheses"},
		{"changed)", "no parentheses"},
		{"changed AND chart", "AND is a word to bleve"},
		{"changed OR chart", "OR is a word to bleve"},
		{"NOT handover", "NOT is a word to bleve"},
		{"+changed -NOT", "NOT is a word to bleve"},
		{"changed && chart", "&& is a word to bleve"},
	} {
		_, err := e.Search(ctx, Request{Query: c.query, Bleve: true})
		if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line saying %q", c.query, err, c.says)
		}
	}
	for _, c := range []struct{ query, want string }{
		{`/ch(art|anged)/`, "P03:s4 P03:s7"}, // a group inside a regular expression
		{`text:/ch(art|anged)/`, "P03:s4 P03:s7"},
		{`and`, "P03:s5"},            // the word itself, written as a word
		{`\(changed`, "P03:s7"},      // an escaped parenthesis goes to bleve
		{`changed\)`, "P03:s7"},      //
		{`+changed chart`, "P03:s7"}, // what AND meant, in bleve's words
	} {
		res, err := e.Search(ctx, Request{Query: c.query, Bleve: true})
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		var s []string
		for _, h := range res.Hits {
			s = append(s, h.Segment)
		}
		if got := strings.Join(s, " "); got != c.want {
			t.Errorf("%s: %q, want %q", c.query, got, c.want)
		}
	}
}
