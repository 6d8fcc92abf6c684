package search

import (
	"regexp/syntax"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bquery "github.com/blevesearch/bleve/v2/search/query"

	"qcode"
	"qcode/codebook"
	"qcode/corpus"
)

// A raw bleve query (Request.Bleve) runs over the w field, the words as
// the rules engine folds them, rather than over a stemmed field of its
// own: indexing a second, English-analysed copy of every sentence cost as
// much as the rest of the index, for one kind of search. So that a raw
// query still finds a word's other forms ("changes" finds "changed"), a
// plain word is asked for as the terms of w with its stem, which is how
// `match: stem` rules find them: the same Snowball stemmer, run over the
// index's vocabulary rather than over every sentence.

// rawQuery rewrites a parsed query string to run over the w field: plain
// words become the terms with their stem, fuzzy words fuzzy queries on
// their folded form, wildcards, prefixes and terms are folded as w is.
// Unfielded queries, and those on the field text that older indexes had,
// go to w; other fields are left as they are. A phrase is an EINVALID
// error: the index keeps no positions, and the rule syntax has phrases.
func (ix *Index) rawQuery(q bquery.Query, shown string) (bquery.Query, error) {
	var err error
	kids := func(qs []bquery.Query) error {
		for i := range qs {
			if qs[i], err = ix.rawQuery(qs[i], shown); err != nil {
				return err
			}
		}
		return nil
	}
	switch q := q.(type) {
	case *bquery.BooleanQuery:
		for _, k := range []*bquery.Query{&q.Must, &q.Should, &q.MustNot, &q.Filter} {
			if *k != nil {
				if *k, err = ix.rawQuery(*k, shown); err != nil {
					return nil, err
				}
			}
		}
		return q, nil
	case *bquery.ConjunctionQuery:
		return q, kids(q.Conjuncts)
	case *bquery.DisjunctionQuery:
		return q, kids(q.Disjuncts)
	case *bquery.MatchPhraseQuery:
		return nil, qcode.Errorf(qcode.EINVALID, "bleve query %s: a phrase (\"%s\") is not searched with --syntax bleve, as the index keeps no word positions; search it with the rule syntax, which has phrases", shown, q.MatchPhrase)
	case *bquery.MatchQuery:
		if !onWords(q.FieldVal) {
			return q, nil
		}
		return ix.matchWords(q)
	case *bquery.WildcardQuery:
		toWords(&q.FieldVal, &q.Wildcard)
	case *bquery.PrefixQuery:
		toWords(&q.FieldVal, &q.Prefix)
	case *bquery.TermQuery:
		toWords(&q.FieldVal, &q.Term)
	case *bquery.FuzzyQuery:
		toWords(&q.FieldVal, &q.Term)
	case *bquery.RegexpQuery:
		// bleve compiles the pattern only as it searches, and its error
		// then reads as a damaged index.
		if _, err := syntax.Parse(q.Regexp, syntax.Perl); err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, "bleve query %s: /%s/ is not a regular expression (%v); mend it, or search without it", shown, q.Regexp, err)
		}
		toWords(&q.FieldVal, nil) // a pattern is not a word to fold
	}
	return q, nil
}

// toWords moves a query on the words (see onWords) to w, folding its term
// (when not nil) as w's terms are folded.
func toWords(field, term *string) {
	if !onWords(*field) {
		return
	}
	*field = fieldWords
	if term != nil {
		*term = foldTerm(*term)
	}
}

// onWords reports whether a query on field runs over the words: unfielded,
// or on w or text (the stemmed field indexes of qcode's format 3 had).
func onWords(field string) bool {
	return field == "" || field == fieldWords || field == "text"
}

// foldTerm folds a query's term as w's terms are folded.
func foldTerm(t string) string {
	var b strings.Builder
	writeTerm(&b, codebook.NormWord(t))
	return b.String()
}

// matchWords turns a match query into queries on w: for each word of its
// text, as qcode tokenises it, the terms of w with that word's stem, or
// with fuzziness a fuzzy query on the folded word; the words joined as
// the match's operator says (any by default).
func (ix *Index) matchWords(m *bquery.MatchQuery) (bquery.Query, error) {
	toks, _ := corpus.Words(m.Match)
	var qs []bquery.Query
	for _, t := range toks {
		if !t.IsWord() {
			continue
		}
		if m.Fuzziness > 0 {
			f := bleve.NewFuzzyQuery(foldTerm(t.Text))
			f.SetField(fieldWords)
			f.SetFuzziness(m.Fuzziness)
			f.SetPrefix(m.Prefix)
			qs = append(qs, f)
			continue
		}
		terms, err := ix.stemTerms(codebook.Stem(t.Text))
		if err != nil {
			return nil, err
		}
		if len(terms) == 0 {
			qs = append(qs, bleve.NewMatchNoneQuery())
			continue
		}
		any := make([]bquery.Query, len(terms))
		for i, term := range terms {
			tq := bleve.NewTermQuery(term)
			tq.SetField(fieldWords)
			any[i] = tq
		}
		qs = append(qs, oneOrAny(any))
	}
	var out bquery.Query
	switch {
	case len(qs) == 0:
		return bleve.NewMatchNoneQuery(), nil
	case len(qs) == 1:
		out = qs[0]
	case m.Operator == bquery.MatchQueryOperatorAnd:
		out = bleve.NewConjunctionQuery(qs...)
	default:
		out = bleve.NewDisjunctionQuery(qs...)
	}
	if m.BoostVal != nil {
		if b, ok := out.(bquery.BoostableQuery); ok {
			b.SetBoost(m.BoostVal.Value())
		}
	}
	return out, nil
}

func oneOrAny(qs []bquery.Query) bquery.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// stemTerms returns the terms of w whose stem is stem, in order, from a
// table of the vocabulary by stem made on first need.
func (ix *Index) stemTerms(stem string) ([]string, error) {
	if ix.stems == nil {
		vocab, err := ix.vocabulary()
		if err != nil {
			return nil, err
		}
		stems := make(map[string][]string, len(vocab))
		for _, t := range vocab {
			s := codebook.Stem(t)
			stems[s] = append(stems[s], t)
		}
		ix.stems = stems
	}
	return ix.stems[stem], nil
}

// checkRawSyntax refuses what a bleve query string accepts without a word
// but does not do: bleve has no grouping, so it reads "(" and ")" as parts
// of words ("+((" found nothing, "(a" only a word "(a"), and no boolean
// keywords, so AND, OR and NOT are words to it ("a AND (" searched a and
// "and"). Quoted phrases, /regular expressions/ and characters escaped
// with a backslash are left alone.
func checkRawSyntax(q string) error {
	shown := shownQuery(q)
	word := func(w string) error {
		switch strings.TrimLeft(w, "+-") {
		case "AND", "OR", "NOT", "&&", "||", "!":
			return qcode.Errorf(qcode.EINVALID, "bleve query %s: %s is a word to bleve, not an operator; mark a word that must be there with + and one that must not with -, or search with the rule syntax (no --syntax bleve), which has AND, OR and NOT", shown, strings.TrimLeft(w, "+-"))
		}
		return nil
	}
	start := 0 // where the current word began
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\\':
			i++
		case c == '"':
			if j := strings.IndexByte(q[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				return nil // bleve says the quote is unterminated
			}
		case c == '/' && strings.TrimLeft(q[start:i], "+-") == "" || c == '/' && strings.HasSuffix(q[start:i], ":"):
			for i++; i < len(q) && q[i] != '/'; i++ {
				if q[i] == '\\' {
					i++
				}
			}
		case c == '(' || c == ')':
			return qcode.Errorf(qcode.EINVALID, "bleve query %s: bleve's syntax has no parentheses (it reads %q as part of a word); group with the rule syntax (no --syntax bleve), or write \\%c to search for the character", shown, c, c)
		case c == ' ' || c == '\t' || c == '\n':
			if err := word(q[start:i]); err != nil {
				return err
			}
			start = i + 1
		}
	}
	return word(q[start:])
}
