package codebook

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"qcode"
)

// mtUnit tokenises text roughly as the corpus importer does: words (with
// inner apostrophes and hyphens), n't and 's split off as their own tokens,
// single punctuation marks, and a new sentence after . ! or ?.
func mtUnit(text string) Passage {
	var u Passage
	sent := int32(0)
	add := func(tok string) {
		u.Tokens = append(u.Tokens, tok)
		u.Sentence = append(u.Sentence, sent)
	}
	rs := []rune(text)
	isApos := func(r rune) bool { return r == '\'' || r == '’' }
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case isWordRune(r):
			j := i
			for j < len(rs) && (isWordRune(rs[j]) || (isApos(rs[j]) || rs[j] == '-') && j+1 < len(rs) && isWordRune(rs[j+1])) {
				j++
			}
			w := rs[i:j]
			n := len(w)
			switch {
			case n > 3 && isApos(w[n-2]) && (w[n-3] == 'n' || w[n-3] == 'N') && (w[n-1] == 't' || w[n-1] == 'T'):
				add(string(w[:n-3]))
				add(string(w[n-3:]))
			case n > 2 && isApos(w[n-2]) && (w[n-1] == 's' || w[n-1] == 'S'):
				add(string(w[:n-2]))
				add(string(w[n-2:]))
			default:
				add(string(w))
			}
			i = j
		default:
			add(string(r))
			if r == '.' || r == '!' || r == '?' {
				sent++
			}
			i++
		}
	}
	return u
}

func TestMTUnit(t *testing.T) {
	u := mtUnit("We don’t debrief. Uganda's nurses, co-learning!")
	want := []string{"We", "do", "n’t", "debrief", ".", "Uganda", "'s", "nurses", ",", "co-learning", "!"}
	if !slices.Equal(u.Tokens, want) {
		t.Errorf("tokens %q", u.Tokens)
	}
	if !slices.Equal(u.Sentence, []int32{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}) {
		t.Errorf("sentences %v", u.Sentence)
	}
}

// mtMatches renders matches as their tokens joined by spaces, with "¬"
// before a negated one.
func mtMatches(u Passage, ms []Match) []string {
	var out []string
	for _, m := range ms {
		var ts []string
		for _, i := range m.Tokens {
			ts = append(ts, u.Tokens[i])
		}
		s := strings.Join(ts, " ")
		if m.Negated {
			s = "¬" + s
		}
		out = append(out, s)
	}
	return out
}

// mtBook returns a codebook of the framework's codes that rules refer to,
// plus one code "rule" with the rule under test.
func mtBook(match MatchMode, neg Negation, mode NegationMode, rule string) *Codebook {
	return &Codebook{
		Match:    match,
		Negation: neg,
		Codes: []*Code{
			{ID: "enablers", Name: "Enablers", Codes: []*Code{
				{ID: "humility", Name: "Humility", Rule: `humil* NOT humiliat*`},
				{ID: "learning", Name: "Learning", Rule: `learn* OR "lessons learned"`},
				{ID: "reciprocity", Name: "Reciprocity", Rule: `learn* AND teach*`},
			}},
			{ID: "rule", Name: "Rule under test", Rule: rule, Negation: mode},
		},
	}
}

// mtLongOR is a dictionary-like category: enough terms to be indexed.
const mtLongOR = `trust respect "mutual understanding" colleague* equal* humble humil* listen* curio* open* reciproc* shared expert* friend* peer* collegial*`

func TestMatch(t *testing.T) {
	type cfg struct {
		match MatchMode
		neg   Negation
		mode  NegationMode
	}
	stem := cfg{match: MatchStem}
	keep := cfg{mode: NegationKeep}
	only := cfg{mode: NegationOnly}
	tests := []struct {
		name string
		cfg  cfg
		rule string
		text string
		want []string
	}{
		// Words.
		{"word", cfg{}, `debrief`, "The debrief happened on the Friday after the visit.", []string{"debrief"}},
		{"word ignores case", cfg{}, `DEBRIEF`, "Debrief was the first thing we did.", []string{"Debrief"}},
		{"acronym", cfg{}, `nhs`, "The NHS trust partnered with a hospital in Kampala.", []string{"NHS"}},
		{"word is not a prefix", cfg{}, `debrief`, "We debriefed the whole team.", nil},
		{"every occurrence", cfg{}, `partner`, "Each partner learned from the other partner.", []string{"partner", "partner"}},
		{"lower-case operator word", cfg{}, `near`, "The clinic near Mbarara had no oxygen.", []string{"near"}},

		// Apostrophes.
		{"straight rule, curly text, split", cfg{}, `don't`, "We don’t get a proper handover.", []string{"do n’t"}},
		{"curly rule, straight text, split", cfg{}, `don’t`, "I don't think they listened.", []string{"do n't"}},
		{"possessive split", cfg{}, `Uganda's`, "Uganda’s nurses ran the ward.", []string{"Uganda ’s"}},
		{"clitic token itself", cfg{}, `n't`, "They didn’t ask us.", []string{"n’t"}},

		// Wildcards.
		{"prefix", cfg{}, `humil*`, "Humility was what we brought back.", []string{"Humility"}},
		{"prefix matches the bare stem", cfg{}, `debrief*`, "A debrief, then debriefings every week.", []string{"debrief", "debriefings"}},
		{"inner star", cfg{}, `organi*ation`, "The organisation and every organization like it.", []string{"organisation", "organization"}},
		{"question mark is one character", cfg{}, `organi?ation`, "The organisation, not the organiation.", []string{"organisation"}},
		{"question mark on a non-ASCII letter", cfg{}, `caf?`, "We met in the café by the hospital.", []string{"café"}},
		{"leading star", cfg{}, `*learning`, "It was real co-learning, and learning too.", []string{"co-learning", "learning"}},

		// Phrases.
		{"phrase", cfg{}, `"active debrief*"`, "We ran an active debriefing after each shift.", []string{"active debriefing"}},
		{"phrase ignores case and apostrophes", cfg{}, `"we didn't learn"`, "We didn’t learn anything from them.", []string{"We did n’t learn"}},
		{"phrase broken by punctuation", cfg{}, `"active debrief*"`, "They were active, debriefing when they could.", nil},
		{"phrase broken by a sentence end", cfg{}, `"active debrief*"`, "The team was active. Debriefs came later.", nil},
		{"phrase wildcard in the middle", cfg{}, `"lesson* learn*"`, "The lessons learned were shared.", []string{"lessons learned"}},

		// Hyphen and spacing variants: a compound in a rule, written with a
		// hyphen or a space, matches all three spellings in the text.
		{"hyphen rule, hyphen text", cfg{}, `two-way`, "It was a two-way partnership.", []string{"two-way"}},
		{"hyphen rule, spaced text", cfg{}, `two-way`, "It was a two way partnership.", []string{"two way"}},
		{"hyphen rule, closed text", cfg{}, `two-way`, "It was a twoway partnership.", []string{"twoway"}},
		{"spaced rule, hyphen text", cfg{}, `"two way"`, "It was a Two-Way partnership.", []string{"Two-Way"}},
		{"spaced rule, closed text", cfg{}, `"two way"`, "It was a twoway partnership.", []string{"twoway"}},
		{"hyphen in a longer phrase", cfg{}, `"two-way learning"`, "Real two way learning took years.", []string{"two way learning"}},
		{"spaced phrase, mixed text", cfg{}, `"state of the art"`, "A state-of-the-art unit.", []string{"state-of-the-art"}},
		{"hyphen variants keep clitics", cfg{}, `"co-worker's"`, "My coworker’s idea.", []string{"coworker ’s"}},
		{"hyphen beside a wildcard stays", cfg{}, `task-shift*`, "Task-shifting to families, and task shifting.", []string{"Task-shifting"}},
		{"hyphen variants in NEAR", cfg{}, `(two-way OR mutual) NEAR/3 learn*`, "Learning that was two way.", []string{"Learning two way"}},
		{"spaced text needs adjacent words", cfg{}, `two-way`, "Two roads, one way.", nil},
		{"hyphen variants under negation", only, `two-way`, "It was never two way.", []string{"¬two way"}},
		{"hyphen variants with stems", stem, `follow-up`, "The follow ups were weekly.", []string{"follow ups"}},

		// NEAR and BEFORE.
		{"NEAR/1 adjacent", cfg{}, `learn* NEAR/1 partner*`, "Learning partners visit twice a year.", []string{"Learning partners"}},
		{"NEAR/1 reversed", cfg{}, `learn* NEAR/1 partner*`, "Our partners learning from us was new.", []string{"partners learning"}},
		{"NEAR at n", cfg{}, `debrief* NEAR/3 staff`, "We debriefed with the staff.", []string{"debriefed staff"}},
		{"NEAR at n+1", cfg{}, `debrief* NEAR/3 staff`, "We debriefed with all the staff.", nil},
		{"NEAR/4 reaches n+1", cfg{}, `debrief* NEAR/4 staff`, "We debriefed with all the staff.", []string{"debriefed staff"}},
		{"NEAR reversed at n", cfg{}, `debrief* NEAR/3 staff`, "The staff were never debriefed.", nil}, // never negates the hit
		{"NEAR reversed at n, keep", keep, `debrief* NEAR/3 staff`, "The staff were never debriefed.", []string{"¬staff debriefed"}},
		{"punctuation does not count for NEAR", cfg{}, `debrief* NEAR/3 staff`, "We debriefed, with the staff.", []string{"debriefed staff"}},
		{"NEAR with a phrase", cfg{}, `"risk averse" NEAR/3 governance`, "Governance is so risk averse here.", []string{"Governance risk averse"}},
		{"NEAR with a phrase, too far", cfg{}, `"risk averse" NEAR/2 governance`, "Governance is so risk averse here.", nil},
		{"NEAR with OR groups", cfg{}, `(debrief* OR "after action review") NEAR/5 (learn* OR lesson*)`, "After action review gave us lessons.", []string{"After action review lessons"}},
		{"NEAR hits may not overlap", cfg{}, `debrief* NEAR/3 debriefing`, "The debriefing ran late.", nil},
		{"NEAR crosses sentences in a unit", cfg{}, `debrief* NEAR/2 staff`, "We debriefed. Staff liked it.", []string{"debriefed Staff"}},
		{"NEAR pairs every close pair", cfg{}, `learn* NEAR/2 partner*`, "Learn, partner, learn.", []string{"Learn partner", "partner learn"}},
		{"NEAR pairs each hit with its nearest partner", cfg{}, `learn* NEAR/3 partner*`, "Learning partners and partnerships.", []string{"Learning partners", "Learning partnerships"}},
		{"NEAR: each hit with a partner shows", cfg{}, `learn* NEAR/3 partner*`, "Partners, we kept learning with partners.", []string{"Partners learning", "learning partners"}},
		{"NEAR pairs nearest partners, not every pair", cfg{}, `learn* NEAR/3 partner*`, "Partners learning partners learning.", []string{"Partners learning", "learning partners", "partners learning"}},
		{"BEFORE in order", cfg{}, `risk BEFORE/3 governance`, "The risk to governance was the worry.", []string{"risk governance"}},
		{"BEFORE out of order", cfg{}, `risk BEFORE/3 governance`, "Governance saw the risk everywhere.", nil},

		// Precedence.
		{"adjacency is OR", cfg{}, `humility "mutual respect"`, "There was mutual respect between the teams.", []string{"mutual respect"}},
		{"NOT binds tighter than adjacency", cfg{}, `debrief* humility NOT humiliat*`, "We felt humility, and were humiliated too.", nil},
		{"adjacency branch still matches", cfg{}, `debrief* humility NOT humiliat*`, "We debriefed and were humiliated.", []string{"debriefed"}},
		{"group before NOT", cfg{}, `(debrief* OR humility) NOT humiliat*`, "We debriefed and were humiliated.", nil},
		{"AND needs both", cfg{}, `teach* AND learn*`, "We taught them a lot.", nil},
		{"AND lists both", cfg{}, `teach* AND learn*`, "We teach them and learn from them.", []string{"teach", "learn"}},
		{"AND tighter than OR", cfg{}, `teach* AND learn* OR partner*`, "Our partners taught us.", []string{"partners"}},
		{"A AND NOT B", cfg{}, `teach* AND NOT learn*`, "We teach them and learn from them.", nil},
		{"A NOT B", cfg{}, `teach* NOT learn*`, "We teach them everything.", []string{"teach"}},
		{"NEAR tighter than NOT", cfg{}, `learn* NOT teach* NEAR/2 partner*`, "We learned; teaching was hard for the partners.", []string{"learned"}},
		{"NOT over a pair excludes only the pair", cfg{}, `learn* NOT teach* NEAR/1 partner*`, "We learned; teaching partners was hard.", nil},

		// References.
		{"ref inlines the rule", cfg{}, `#humility OR listen*`, "Humility and listening mattered.", []string{"Humility", "listening"}},
		{"ref keeps its NOT", cfg{}, `#humility`, "Humility, though some felt humiliated.", nil},
		{"ref beside NEAR", cfg{}, `#learning NEAR/3 partner*`, "The lessons learned by our partners.", []string{"lessons learned partners", "learned partners"}},
		{"ref of a ref-free AND rule", cfg{}, `#reciprocity`, "They teach us and we learn.", []string{"teach", "learn"}},

		// Long ORs (dictionary categories) go through an index.
		{"long OR", cfg{}, mtLongOR, "Trust and respect grew; colleagues shared their expertise.", []string{"Trust", "respect", "colleagues", "shared", "expertise"}},
		{"long OR under NOT", cfg{}, `partner* NOT (` + mtLongOR + `)`, "Our partners showed respect.", nil},
		{"long OR in AND", cfg{}, `(` + mtLongOR + `) AND partner*`, "Our partners showed respect, and trust.", []string{"partners", "respect", "trust"}},
		{"long OR beside NEAR", cfg{}, `(` + mtLongOR + `) NEAR/2 partner*`, "Mutual respect between partners.", []string{"respect partners"}},

		// Negation.
		{"skip: negated hit dropped", cfg{}, `debrief*`, "We never had a debrief.", nil},
		{"skip: plain hit kept", cfg{}, `debrief*`, "We had a debrief.", []string{"debrief"}},
		{"keep: negated hit counts", keep, `debrief*`, "We never had a debrief.", []string{"¬debrief"}},
		{"only: negated hit counts", only, `debrief*`, "We never had a debrief.", []string{"¬debrief"}},
		{"only: plain hit dropped", only, `debrief*`, "We had a debrief.", nil},
		{"only: just the negated of two", only, `debrief*`, "No debrief then; now a debrief weekly.", []string{"¬debrief"}},
		{"cue 3 words before negates", keep, `debrief*`, "We never had a debrief.", []string{"¬debrief"}},
		{"cue 4 words before does not", keep, `debrief*`, "We never really had a debrief.", []string{"debrief"}},
		{"punctuation does not count for the window", keep, `debrief*`, "Never, ever, a debrief.", []string{"¬debrief"}},
		{"cue in the previous sentence", keep, `debrief*`, "Never. A debrief happened.", []string{"debrief"}},
		{"multi-word cue", keep, `debrief*`, "There was a lack of debriefing.", []string{"¬debriefing"}},
		{"multi-word cue broken by punctuation", keep, `debrief*`, "A lack, of sorts, of debriefing.", []string{"debriefing"}},
		{"clitic cue", keep, `debrief*`, "We didn’t debrief.", []string{"¬debrief"}},
		{"cue after the hit", keep, `debrief*`, "A debrief? Never.", []string{"debrief"}},
		{"phrase negated by its first word", keep, `"active debrief*"`, "There was no active debriefing.", []string{"¬active debriefing"}},
		{"NOT term uses negated hits", cfg{}, `teach* NOT learn*`, "We teach but do not learn.", nil},
		{"only needs every positive term negated", only, `debrief* AND staff`, "No debrief for the staff.", nil},
		{"only with both negated", only, `debrief* AND staff`, "No debrief and no staff.", []string{"¬debrief", "¬staff"}},
		{"skip drops the negated side of NEAR", cfg{}, `debrief* NEAR/3 staff`, "Staff had no debrief.", nil},
		{"custom cues and window", cfg{neg: Negation{Window: 1, Cues: []string{"seldom", "far from"}}, mode: NegationKeep}, `debrief*`,
			"We seldom debriefed; far from debriefing we never even talked; never debriefed.", []string{"¬debriefed", "¬debriefing", "debriefed"}},
		{"no cues when the list is empty", cfg{neg: Negation{Cues: []string{}}}, `debrief*`, "We never had a debrief.", []string{"debrief"}},

		// Stems.
		{"stem: learned matches learning", stem, `learned`, "Learning went both ways.", []string{"Learning"}},
		{"exact: learned does not match learning", cfg{}, `learned`, "Learning went both ways.", nil},
		{"stem: both sides stemmed", stem, `partnerships`, "Our partnership began in 2009.", []string{"partnership"}},
		{"stem: wildcard matches the surface", stem, `learn*`, "Learners and learning.", []string{"Learners", "learning"}},
		{"stem: wildcard is not stemmed", stem, `learned*`, "Learning went both ways.", nil},
		{"stem: phrase", stem, `"lesson learned"`, "The lessons learnt, the lessons learning.", []string{"lessons learning"}},
	}
	ids := map[string]int32{} // one numbering of token texts for every unit
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := mtBook(tt.cfg.match, tt.cfg.neg, tt.cfg.mode, tt.rule)
			m, err := NewMatcher(cb)
			if err != nil {
				t.Fatal(err)
			}
			u := mtUnit(tt.text)
			var got []string
			for _, h := range m.Match(u, nil) {
				if h.Code.ID == "rule" {
					got = mtMatches(u, h.Matches)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rule %s on %q\n got %q\nwant %q", tt.rule, tt.text, got, tt.want)
			}
			// A query of the same rule agrees.
			q, err := m.Query(tt.rule, tt.cfg.mode)
			if err != nil {
				t.Fatal(err)
			}
			if got := mtMatches(u, q.Match(u)); !slices.Equal(got, tt.want) {
				t.Errorf("query %s on %q\n got %q\nwant %q", tt.rule, tt.text, got, tt.want)
			}
			// And Test says whether it matched, without the matches.
			if got := q.Test(u); got != (len(tt.want) > 0) {
				t.Errorf("query %s on %q: Test = %v, want %v", tt.rule, tt.text, got, len(tt.want) > 0)
			}
			if got := mtMatches(u, q.Match(u)); !slices.Equal(got, tt.want) {
				t.Errorf("query %s on %q after Test\n got %q\nwant %q", tt.rule, tt.text, got, tt.want)
			}
			// First says so too, with the first match's first and last
			// tokens.
			ms := q.Match(u)
			wantFirst, wantLast := -1, -1
			if len(ms) > 0 && len(ms[0].Tokens) > 0 {
				wantFirst, wantLast = ms[0].Tokens[0], ms[0].Tokens[len(ms[0].Tokens)-1]
			}
			if first, last, ok := q.First(u); ok != (len(tt.want) > 0) || first != wantFirst || last != wantLast {
				t.Errorf("query %s on %q: First = %d, %d, %v; want %d, %d, %v", tt.rule, tt.text, first, last, ok, wantFirst, wantLast, len(tt.want) > 0)
			}
			// With the texts numbered, the same; twice, the second time
			// from the remembered numbers.
			byID := u
			byID.IDs = make([]int32, len(u.Tokens))
			for i, tok := range u.Tokens {
				if _, ok := ids[tok]; !ok {
					ids[tok] = int32(len(ids) * 3) // numbers need not be dense
				}
				byID.IDs[i] = ids[tok]
			}
			for range 2 {
				if got := mtMatches(u, q.Match(byID)); !slices.Equal(got, tt.want) {
					t.Errorf("query %s on %q with IDs\n got %q\nwant %q", tt.rule, tt.text, got, tt.want)
				}
			}
		})
	}
}

// debriefMatcher compiles two codes that match "active debriefs" and the
// learning near it.
func debriefMatcher(t *testing.T) (*Codebook, *Matcher) {
	t.Helper()
	cb := &Codebook{Codes: []*Code{
		{ID: "pair", Name: "Pair", Rule: `"active debrief*" NEAR/5 learn*`, Negation: NegationKeep},
		{ID: "word", Name: "Word", Rule: `debrief*`, Negation: NegationKeep},
	}}
	m, err := NewMatcher(cb)
	if err != nil {
		t.Fatal(err)
	}
	return cb, m
}

func TestMatchTokenIndices(t *testing.T) {
	cb, m := debriefMatcher(t)
	u := Passage{
		//        0           1    2       3    4          5     6         7         8    9
		Tokens:   []string{"Learning", ",", "said", "Sarah", "happens", "in", "active", "debriefs", ".", "Debriefs"},
		Sentence: []int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	}
	hits := m.Match(u, nil)
	want := []Hit{
		{Code: cb.Codes[0], Matches: []Match{{Tokens: []int{0, 6, 7}}}},
		{Code: cb.Codes[1], Matches: []Match{{Tokens: []int{7}}, {Tokens: []int{9}}}},
	}
	if !hitsEqual(hits, want) {
		t.Errorf("hits\n got %+v\nwant %+v", hits, want)
	}
	// Appends to what it is given, and reuses nothing the caller keeps.
	more := m.Match(Passage{Tokens: []string{"no", "debrief"}}, hits)
	if len(more) != 3 || !hitsEqual(more[:2], want) || more[2].Code != cb.Codes[1] || !more[2].Matches[0].Negated {
		t.Errorf("second call %+v", more)
	}
	if got := m.Match(Passage{Tokens: []string{"nothing", "here", "."}}, nil); got != nil {
		t.Errorf("no match gave %+v", got)
	}
}

// TestUnitBuild builds a unit token by token, again in the same buffers,
// and a slice of it, and gets the matches of units written out whole.
func TestUnitBuild(t *testing.T) {
	cb, m := debriefMatcher(t)
	texts := []string{"Learning", ",", "said", "Sarah", "happens", "in", "active", "debriefs", ".", "Debriefs"}
	sentence := []int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	var u Passage
	u.Add("stale", 0)
	u.Reset()
	for i, text := range texts {
		u.Add(text, sentence[i])
	}
	if !slices.Equal(u.Tokens, texts) || !slices.Equal(u.Sentence, sentence) || u.IDs != nil {
		t.Fatalf("built %+v", u)
	}
	want := m.Match(Passage{Tokens: texts, Sentence: sentence}, nil)
	if got := m.Match(u, nil); !hitsEqual(got, want) {
		t.Errorf("built unit: %+v, want %+v", got, want)
	}
	// The last sentence alone: only the word matches, at its new index.
	if got := m.Match(u.Slice(9, 10), nil); len(got) != 1 || got[0].Code != cb.Codes[1] || !slices.Equal(got[0].Matches[0].Tokens, []int{0}) {
		t.Errorf("slice: %+v", got)
	}

	// Numbered tokens: one number per text, in every unit the matcher sees.
	q, err := NewMatcher(cb)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int32{}
	var n Passage
	for i, text := range texts {
		id, ok := ids[text]
		if !ok {
			id = int32(len(ids))
			ids[text] = id
		}
		n.AddNumbered(text, sentence[i], id)
	}
	if len(n.IDs) != len(texts) || n.IDs[9] != ids["Debriefs"] {
		t.Fatalf("numbered %+v", n)
	}
	for range 2 { // the second time, the types come from the numbers
		if got := q.Match(n, nil); !hitsEqual(got, want) {
			t.Errorf("numbered unit: %+v, want %+v", got, want)
		}
	}
	if s := n.Slice(6, 8); !slices.Equal(s.IDs, n.IDs[6:8]) || !slices.Equal(s.Tokens, texts[6:8]) || !slices.Equal(s.Sentence, sentence[6:8]) {
		t.Errorf("numbered slice %+v", s)
	}
}

// TestMatchLongUnit checks that NEAR over a unit full of hits makes matches
// in proportion to the hits (a whole interview as one unit, say).
func TestMatchLongUnit(t *testing.T) {
	m, err := NewMatcher(&Codebook{Codes: []*Code{{ID: "x", Name: "X", Rule: `learn* NEAR/10000 learn*`}}})
	if err != nil {
		t.Fatal(err)
	}
	u := Passage{Tokens: slices.Repeat([]string{"learning"}, 20000)}
	hits := m.Match(u, nil)
	if len(hits) != 1 || len(hits[0].Matches) > 20000 {
		t.Fatalf("%d hits, %d matches", len(hits), len(hits[0].Matches))
	}
}

func hitsEqual(a, b []Hit) bool {
	return slices.EqualFunc(a, b, func(x, y Hit) bool {
		return x.Code == y.Code && slices.EqualFunc(x.Matches, y.Matches, func(p, q Match) bool {
			return p.Negated == q.Negated && slices.Equal(p.Tokens, q.Tokens)
		})
	})
}

func TestMatchOrderAndClone(t *testing.T) {
	cb := &Codebook{Codes: []*Code{
		{ID: "aspects", Name: "Aspects", Codes: []*Code{
			{ID: "barriers", Name: "Barriers", Rule: `#risk_aversion OR overcrowd*`, Codes: []*Code{
				{ID: "risk_aversion", Name: "Risk aversion", Rule: `governance OR litigation OR "risk averse"`},
			}},
			{ID: "enablers", Name: "Enablers", Rule: `humil* NOT humiliat*`},
		}},
		{ID: "manual", Name: "Coded by hand"},
		{ID: "learning", Name: "Learning", Rule: `learn*`},
	}}
	m, err := NewMatcher(cb)
	if err != nil {
		t.Fatal(err)
	}
	text := "Learning needed humility, but governance was risk averse."
	var ids []string
	for _, h := range m.Match(mtUnit(text), nil) {
		ids = append(ids, h.Code.ID)
	}
	if got, want := strings.Join(ids, " "), "barriers risk_aversion enablers learning"; got != want {
		t.Errorf("hits %s, want %s", got, want)
	}

	// Clones share the rules and may run side by side (go test -race).
	units := []Passage{mtUnit(text), mtUnit("The ward was overcrowded."), mtUnit("We learned humility.")}
	want := make([][]Hit, len(units))
	for i, u := range units {
		want[i] = m.Match(u, nil)
	}
	done := make(chan bool)
	for range 4 {
		c := m.Clone()
		go func() {
			ok := true
			for range 50 {
				for i, u := range units {
					ok = ok && hitsEqual(c.Match(u, nil), want[i])
				}
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("a clone matched differently")
		}
	}
}

func TestNewMatcherErrors(t *testing.T) {
	cb := &Codebook{Codes: []*Code{
		{ID: "barriers", Name: "Barriers", Codes: []*Code{
			{ID: "risk_aversion", Name: "Risk aversion", Rule: `averse risk* NEAR litigation`},
			{ID: "overcrowding", Name: "Overcrowded system", Rule: `overcrowd* OR #staffing_levels`},
			{ID: "unequal", Name: "Unequal knowledge", Rule: `#hierarchies OR #barriers`},
		}},
		{ID: "enablers", Name: "Enablers", Codes: []*Code{
			{ID: "humility", Name: "Humility", Rule: `#humilty OR listen*`},
			{ID: "a", Name: "A", Rule: `alpha OR #b`},
			{ID: "b", Name: "B", Rule: `beta OR #a`},
			{ID: "self", Name: "Self", Rule: `#self`},
			{ID: "pair", Name: "Pair", Rule: `#reciprocity NEAR/3 partner*`},
			{ID: "reciprocity", Name: "Reciprocity", Rule: `learn* AND teach*`},
			{ID: "uses_a", Name: "Uses a", Rule: `#a`}, // a is broken: no second error
			{ID: "mode", Name: "Mode", Rule: `x`, Negation: "sometimes"},
		}},
		{ID: "hierarchies", Name: "Hierarchies of knowledge", Rule: `hierarch*`},
	}}
	_, err := NewMatcher(cb)
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T %v is not an ErrorList", err, err)
	}
	want := []string{
		"rule for risk_aversion: col 14: NEAR needs a distance, e.g. NEAR/5",
		"rule for overcrowding: col 15: unknown code #staffing_levels",
		"rule for unequal: col 17: #barriers has no rule to reuse; give it one or write the words out",
		"rule for humility: col 1: unknown code #humilty (did you mean #humility?)",
		"rule for b: col 9: #a makes a reference cycle: a → b → a",
		"rule for self: col 1: #self makes a reference cycle: self → self",
		"rule for pair: col 1: NEAR/3 can only join words, phrases and (… OR …) groups of them; the rule of #reciprocity is more than that",
		`rule for mode: negation must be skip, keep or only, not "sometimes"`,
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("ErrorCode = %q, want %q", qcode.ErrorCode(err), qcode.EINVALID)
	}
	if _, err := NewMatcher(&Codebook{Match: "stemming"}); err == nil || err.Error() != `match must be exact or stem, not "stemming"` {
		t.Errorf("bad match mode: %v", err)
	}
}

func TestQueryErrors(t *testing.T) {
	m, err := NewMatcher(mtBook("", Negation{}, "", "x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ src, want string }{
		{`learn* NEAR/3`, "col 8: NEAR/3 needs a term on its right"},
		{`#humilty`, "col 1: unknown code #humilty (did you mean #humility?)"},
		{`#enablers`, "col 1: #enablers has no rule to reuse; give it one or write the words out"},
	} {
		if _, err := m.Query(tt.src, ""); err == nil || err.Error() != tt.want {
			t.Errorf("Query(%q) = %v, want %s", tt.src, err, tt.want)
		}
	}
	if _, err := m.Query("x", "never"); err == nil {
		t.Error("bad negation mode accepted")
	}
	q, err := m.Query(`#humility  listen*`, "")
	if err != nil {
		t.Fatal(err)
	}
	if q.String() != "#humility OR listen*" || q.Expr() == nil {
		t.Errorf("query %s", q)
	}
	if got := q.Match(mtUnit("Nothing to see.")); got != nil {
		t.Errorf("no match gave %+v", got)
	}
}

func TestNewMatcherEmpty(t *testing.T) {
	for _, cb := range []*Codebook{nil, {}, {Codes: []*Code{{ID: "manual", Name: "By hand", Rule: "  "}}}} {
		m, err := NewMatcher(cb)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Match(mtUnit("Anything at all."), nil); got != nil {
			t.Errorf("empty codebook matched %+v", got)
		}
	}
}

// FuzzMatchRule runs fuzzed rules over fuzzed text in both match modes:
// nothing may panic, match tokens must be ascending indices into the unit,
// and a query must agree with the matcher.
func FuzzMatchRule(f *testing.F) {
	f.Add(`"active debrief*" OR learn* NEAR/2 partner*`, "We had no active debriefs; partners learning.", false)
	f.Add(`#humility AND don't NOT humiliat*`, "Humility? I don’t know. Humiliated!", true)
	f.Add(`organi?ation BEFORE/3 (caf? OR *ing)`, "The organisation's café, learning.", false)
	f.Fuzz(func(t *testing.T, rule, text string, stem bool) {
		mode := MatchExact
		if stem {
			mode = MatchStem
		}
		cb := mtBook(mode, Negation{}, NegationKeep, rule)
		m, err := NewMatcher(cb)
		if err != nil || strings.TrimSpace(rule) == "" { // a blank rule is no rule
			return
		}
		u := mtUnit(text)
		var fromCode []Match
		for _, h := range m.Match(u, nil) {
			if len(h.Matches) == 0 {
				t.Fatalf("hit of %s without matches", h.Code.ID)
			}
			for _, mt := range h.Matches {
				if len(mt.Tokens) == 0 {
					t.Fatalf("empty match for %s", h.Code.ID)
				}
				for i, tok := range mt.Tokens {
					if tok < 0 || tok >= len(u.Tokens) || i > 0 && tok <= mt.Tokens[i-1] {
						t.Fatalf("bad match tokens %v for %d tokens", mt.Tokens, len(u.Tokens))
					}
				}
			}
			if h.Code.ID == "rule" {
				fromCode = h.Matches
			}
		}
		q, err := m.Query(rule, NegationKeep)
		if err != nil {
			t.Fatalf("rule %q compiles for a code but not as a query: %v", rule, err)
		}
		if got := q.Match(u); !slices.EqualFunc(got, fromCode, func(a, b Match) bool {
			return a.Negated == b.Negated && slices.Equal(a.Tokens, b.Tokens)
		}) {
			t.Fatalf("query %v, code %v", got, fromCode)
		}
	})
}

func TestJoinVariants(t *testing.T) {
	words := func(s string) []Word {
		var ws []Word
		for _, f := range strings.Fields(s) {
			ws = append(ws, Word{Text: f})
		}
		return ws
	}
	tests := []struct {
		rule string
		want []string
	}{
		{"two-way", []string{"two-way", "two way", "twoway"}},
		{"Two Way", []string{"two way", "two-way", "twoway"}},
		{"e-mail", []string{"e-mail", "e mail", "email"}},
		// A hyphen beside a wildcard, or at a word's edge, is kept as written.
		{"task-shift*", []string{"task-shift*"}},
		{"pre- -based", []string{"pre- -based"}},
		// Long phrases: as written, then all spaced, all hyphenated, all closed.
		{"one to one and all", []string{"one to one and all", "one-to-one-and-all", "onetooneandall"}},
		{"one-to-one and all", []string{"one-to-one and all", "one to one and all", "one-to-one-and-all", "onetooneandall"}},
	}
	for _, tt := range tests {
		var got []string
		for _, v := range joinVariants(words(tt.rule)) {
			got = append(got, strings.Join(v, " "))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("joinVariants(%q)\n got %q\nwant %q", tt.rule, got, tt.want)
		}
	}
	// Three gaps give every mix: 27 spellings.
	if n := len(joinVariants(words("state of the art"))); n != 27 {
		t.Errorf("state of the art: %d spellings, want 27", n)
	}
}

func TestPlanHyphenVariants(t *testing.T) {
	m, err := NewMatcher(&Codebook{Codes: []*Code{{ID: "a", Name: "A"}}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := m.Query("two-way", "")
	if err != nil {
		t.Fatal(err)
	}
	want := Plan{Op: PlanAny, Kids: []Plan{
		{Op: PlanWord, Word: Pattern{PatternExact, "two-way"}},
		{Op: PlanAll, Kids: []Plan{{Op: PlanWord, Word: Pattern{PatternExact, "two"}}, {Op: PlanWord, Word: Pattern{PatternExact, "way"}}}},
		{Op: PlanWord, Word: Pattern{PatternExact, "twoway"}},
	}}
	if got := q.Plan(false); !reflect.DeepEqual(got, want) {
		t.Errorf("plan of two-way\n got %+v\nwant %+v", got, want)
	}
}
