package coding

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// OriginSuggested is the origin of a coding a person accepted from the
// suggestions (see SuggestModel): the person is its coder, and its
// ModelHash names the training set of the model that suggested it.
const OriginSuggested Origin = "suggested"

// Example is one segment a suggestion model learns from or ranks codes for:
// its features (see SuggestFeatures), the codes people gave it (none for a
// segment to rank), the group it belongs to (its source: cross-validation
// never splits a group between training and testing) and its id (P03:s41),
// which the training set's hash names.
type Example struct {
	ID       string
	Group    string
	Features []string
	Codes    []string
}

// SuggestOptions are a suggestion model's settings.
type SuggestOptions struct {
	// MinExamples is how many segments people must have coded with a code
	// before the model suggests it: a code with fewer is off.
	MinExamples int
	// Alpha is the add-α smoothing of the word counts.
	Alpha float64
	// Folds is the number of folds of cross-validation, by group.
	Folds int
	// Seed shuffles the groups into folds.
	Seed uint64
	// Codebook is the hash of the codebook whose rules' hits are among the
	// features (see SuggestInput), which the training hash names.
	Codebook string
}

// Defaults of SuggestOptions.
const (
	DefaultMinExamples  = 10
	DefaultSuggestAlpha = 0.5
	DefaultFolds        = 5
	DefaultSuggestSeed  = 1
)

// withDefaults fills the zero fields of o.
func (o SuggestOptions) withDefaults() SuggestOptions {
	if o.MinExamples <= 0 {
		o.MinExamples = DefaultMinExamples
	}
	if o.Alpha <= 0 {
		o.Alpha = DefaultSuggestAlpha
	}
	if o.Folds <= 0 {
		o.Folds = DefaultFolds
	}
	if o.Seed == 0 {
		o.Seed = DefaultSuggestSeed
	}
	return o
}

// SuggestInput is what the suggestion model reads of a segment, its words
// folded as the rules fold them ("" for a punctuation mark, which breaks
// a phrase).
type SuggestInput struct {
	Words []string
	// Near are the words of the segments just before and after it in the
	// same turn, which a coder reads with it.
	Near [][]string
	// Question is the words of the interviewer's turn before its turn: the
	// question it answers.
	Question []string
	// Rules are the codes whose rules match the segment.
	Rules []string
}

// stemLen is how many letters of a longer word its stem keeps: teach,
// teaches and teacher share teach~, governance and governed gover~.
const stemLen = 5

// SuggestFeatures returns the features of a segment, once each, sorted:
// each of its words and two-word phrases of words side by side ("risk",
// "not allowed"); the first five letters of each longer word ("gover~");
// each word of the segments near it ("near:debrief"); each word and
// two-word phrase of the question it answers ("q:debrief"); and each code
// whose rule matches it ("rule:risk_aversion"). Every feature is a word,
// a phrase or a rule a researcher can read.
func SuggestFeatures(in SuggestInput) []string {
	out := make([]string, 0, 3*len(in.Words)+2*len(in.Question)+len(in.Rules))
	out = appendTerms(out, "", in.Words)
	for _, w := range in.Words {
		if r := []rune(w); len(r) > stemLen {
			out = append(out, string(r[:stemLen])+"~")
		}
	}
	for _, ws := range in.Near {
		for _, w := range ws {
			if w != "" {
				out = append(out, "near:"+w)
			}
		}
	}
	out = appendTerms(out, "q:", in.Question)
	for _, c := range in.Rules {
		out = append(out, "rule:"+c)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// appendTerms appends each word and each two-word phrase of words, with
// the prefix.
func appendTerms(out []string, prefix string, words []string) []string {
	for i, w := range words {
		if w == "" {
			continue
		}
		out = append(out, prefix+w)
		if i+1 < len(words) && words[i+1] != "" {
			out = append(out, prefix+w+" "+words[i+1])
		}
	}
	return out
}

// SuggestModel is a naive Bayes model of which code people give a segment,
// trained on people's codings, that weighs each code against the rest: a
// multinomial naive Bayes of the code's segments and one of all the other
// codes' segments, each counting a feature once per segment (binary
// counts suit sentences, where a word seldom comes twice), with add-α
// smoothing. A code's score for a segment is the log-odds of the two, the
// sum over the segment's known features of
//
//	log (n_cf+α)/(N_c+αV) − log (n_¬cf+α)/(N_¬c+αV)
//
// where n_cf counts the code's segments with feature f, N_c all their
// features, ¬c the other codes' and V the features known. No prior: a
// code people used often is not put first for that alone, so that codes
// with many examples do not crowd out the top three. It is
// deterministic: the same examples and options make the same model and
// the same ranks.
type SuggestModel struct {
	// Codes are the codes people applied, sorted; On says which have
	// MinExamples or more, and only those are suggested.
	Codes    []string
	Examples []int // segments coded with each code
	On       []bool
	Hash     string // of the training set and options: see TrainingHash

	vocab map[string]int32
	// post lists, by feature, each code that has it and what it adds to
	// the code's score over a code that never had it: a feature adds
	// log(α/(N_c+αV)) − log((n_f+α)/(N_¬c+αV)) to a code without it, n_f
	// its count over all codes, of which only the denominators depend on
	// the code; so a segment's score needs only the codes its features
	// were seen with, and the denominators once per known feature.
	post     [][]posting
	logDenom []float64 // log(N_c + α·V) − log(N_¬c + α·V)
}

type posting struct {
	code int32
	// weight is log((n_cf+α)/α) + log((n_f+α)/(n_f−n_cf+α)).
	weight float64
}

// TrainSuggest trains a model on the examples that have codes.
func TrainSuggest(examples []Example, o SuggestOptions) *SuggestModel {
	o = o.withDefaults()
	m := &SuggestModel{vocab: map[string]int32{}, Hash: TrainingHash(examples, o)}
	index := map[string]int{}
	for _, e := range examples {
		for _, c := range e.Codes {
			if _, ok := index[c]; !ok {
				index[c] = 0
				m.Codes = append(m.Codes, c)
			}
		}
	}
	slices.Sort(m.Codes)
	for i, c := range m.Codes {
		index[c] = i
	}
	m.Examples = make([]int, len(m.Codes))
	tokens := make([]float64, len(m.Codes)) // N_c: features counted for each code
	var counts []map[int32]int              // by feature: code → segments
	for _, e := range examples {
		if len(e.Codes) == 0 {
			continue
		}
		for _, f := range e.Features {
			id, ok := m.vocab[f]
			if !ok {
				id = int32(len(counts))
				m.vocab[f] = id
				counts = append(counts, map[int32]int{})
			}
			for _, c := range e.Codes {
				counts[id][int32(index[c])]++
			}
		}
		for _, c := range e.Codes {
			ci := index[c]
			m.Examples[ci]++
			tokens[ci] += float64(len(e.Features))
		}
	}
	m.On = make([]bool, len(m.Codes))
	m.logDenom = make([]float64, len(m.Codes))
	v := float64(len(counts))
	var all float64
	for _, n := range tokens {
		all += n
	}
	for i := range m.Codes {
		m.On[i] = m.Examples[i] >= o.MinExamples
		m.logDenom[i] = math.Log(tokens[i]+o.Alpha*v) - math.Log(all-tokens[i]+o.Alpha*v)
	}
	m.post = make([][]posting, len(counts))
	for id, byCode := range counts {
		nf := 0
		for _, n := range byCode {
			nf += n
		}
		ps := make([]posting, 0, len(byCode))
		for c, n := range byCode {
			w := math.Log1p(float64(n)/o.Alpha) + math.Log((float64(nf)+o.Alpha)/(float64(nf-n)+o.Alpha))
			ps = append(ps, posting{c, w})
		}
		slices.SortFunc(ps, func(a, b posting) int { return cmp.Compare(a.code, b.code) })
		m.post[id] = ps
	}
	return m
}

// Suggestion is one code suggested for a segment: its rank (1 first) and
// score, the share of the model's odds that falls to the code among the
// codes that are on (from 0 to 1; the scores of all of them add up to 1).
type Suggestion struct {
	Code  string
	Rank  int
	Score float64
}

// Rank returns the top codes that are on for a segment with these
// features, best first, ties broken by code. It appends to out. A model
// with no code on suggests nothing.
func (m *SuggestModel) Rank(features []string, top int, out []Suggestion) []Suggestion {
	scores := make([]float64, len(m.Codes))
	known := 0
	for _, f := range features {
		id, ok := m.vocab[f]
		if !ok {
			continue
		}
		known++
		for _, p := range m.post[id] {
			scores[p.code] += p.weight
		}
	}
	type cand struct {
		code  int
		score float64
	}
	cands := make([]cand, 0, len(m.Codes))
	best := math.Inf(-1)
	for i := range m.Codes {
		if !m.On[i] {
			continue
		}
		// The log-odds less what every code shares, Σ log α − log(n_f+α)
		// over the known features.
		s := scores[i] - float64(known)*m.logDenom[i]
		cands = append(cands, cand{i, s})
		best = max(best, s)
	}
	// Each code's share of the odds (softmax).
	var sum float64
	for _, c := range cands {
		sum += math.Exp(c.score - best)
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(m.Codes[a.code], m.Codes[b.code]))
	})
	for i, c := range cands {
		if i == top {
			break
		}
		out = append(out, Suggestion{Code: m.Codes[c.code], Rank: i + 1, Score: math.Exp(c.score-best) / sum})
	}
	return out
}

// TrainingHash is the hash of a training set and the options that shape a
// model (not Folds and Seed, which only cross-validation uses; the
// codebook whose rules are features is one): the sha256,
// in hex, of each coded example's id and codes, sorted, so that a coding
// accepted from a suggestion names the people's codings it learnt from.
func TrainingHash(examples []Example, o SuggestOptions) string {
	o = o.withDefaults()
	lines := make([]string, 0, len(examples))
	for _, e := range examples {
		if len(e.Codes) > 0 {
			codes := slices.Clone(e.Codes)
			slices.Sort(codes)
			lines = append(lines, e.ID+"\t"+strings.Join(codes, ","))
		}
	}
	slices.Sort(lines)
	h := sha256.New()
	fmt.Fprintf(h, "qcode suggest naive-bayes one-against-rest v2 alpha=%g min_examples=%d codebook=%s\n", o.Alpha, o.MinExamples, o.Codebook)
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CodeAccuracy is how often cross-validation ranked one code, or any code
// people gave a segment, first and in the top three.
type CodeAccuracy struct {
	Code     string
	Examples int  // segments people coded with it (all of them, not one fold's)
	On       bool // suggested: Examples ≥ MinExamples
	Tested   int  // segments tested
	Top1     int  // of those, how many had the code (a right code, overall) ranked first
	Top3     int  // … in the top three
}

// Top1Rate and Top3Rate are Top1 and Top3 as fractions of Tested (0 when
// none was tested).
func (a CodeAccuracy) Top1Rate() float64 { return rate(a.Top1, a.Tested) }

// Top3Rate is Top3 as a fraction of Tested.
func (a CodeAccuracy) Top3Rate() float64 { return rate(a.Top3, a.Tested) }

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// CrossValidation is how well a model's suggestions agree with people's
// codings it did not learn from.
type CrossValidation struct {
	Folds   int // 0 when there were too few groups (sources) to split
	Groups  int
	Overall CodeAccuracy // Code ""; Examples counts coded segments, Tested those with a code that is on
	Codes   []CodeAccuracy
}

// CrossValidate estimates how often the model ranks a right code first and
// in the top three: the groups (sources) are shuffled with the seed and
// dealt into folds, each fold is ranked by a model trained on the others,
// and every coded segment of it that has a code that is on (over all the
// examples) is tested. A fold's model ranks the codes that are on over all
// the examples (the codes a run suggests), of those its training has; a
// code its training lacks cannot be ranked, and counts as missed. With
// fewer than two groups nothing is tested.
func CrossValidate(examples []Example, o SuggestOptions) CrossValidation {
	o = o.withDefaults()
	all := TrainSuggest(examples, o)
	cv := CrossValidation{}
	var groups []string
	seen := map[string]bool{}
	for _, e := range examples {
		if len(e.Codes) > 0 && !seen[e.Group] {
			seen[e.Group] = true
			groups = append(groups, e.Group)
		}
	}
	slices.Sort(groups)
	cv.Groups = len(groups)
	byCode := map[string]*CodeAccuracy{}
	for i, c := range all.Codes {
		cv.Codes = append(cv.Codes, CodeAccuracy{Code: c, Examples: all.Examples[i], On: all.On[i]})
	}
	for i := range cv.Codes {
		byCode[cv.Codes[i].Code] = &cv.Codes[i]
	}
	if len(groups) < 2 {
		return cv
	}
	cv.Folds = min(o.Folds, len(groups))
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
	fold := map[string]int{}
	for i, g := range groups {
		fold[g] = i % cv.Folds
	}
	var train []Example
	var ranked []Suggestion
	for f := range cv.Folds {
		train = train[:0]
		for _, e := range examples {
			if len(e.Codes) > 0 && fold[e.Group] != f {
				train = append(train, e)
			}
		}
		m := TrainSuggest(train, o)
		// The fold's model suggests the codes the whole model suggests, as
		// long as its training has an example of them: a code with just
		// MinExamples loses some to the fold under test, and would
		// otherwise never be ranked, though the model a run stores ranks it.
		for i, c := range m.Codes {
			m.On[i] = byCode[c].On
		}
		for _, e := range examples {
			if len(e.Codes) == 0 || fold[e.Group] != f {
				continue
			}
			on := false
			for _, c := range e.Codes {
				on = on || byCode[c].On
			}
			if !on {
				continue
			}
			ranked = m.Rank(e.Features, 3, ranked[:0])
			at := func(c string) int { // 1-based rank of c, 0 when not in the top three
				for _, s := range ranked {
					if s.Code == c {
						return s.Rank
					}
				}
				return 0
			}
			first := 0
			for _, c := range e.Codes {
				r := at(c)
				if r > 0 && (first == 0 || r < first) {
					first = r
				}
				if a := byCode[c]; a.On {
					a.Tested++
					a.Top1 += b2i(r == 1)
					a.Top3 += b2i(r >= 1)
				}
			}
			cv.Overall.Tested++
			cv.Overall.Top1 += b2i(first == 1)
			cv.Overall.Top3 += b2i(first >= 1)
		}
	}
	for _, e := range examples {
		cv.Overall.Examples += b2i(len(e.Codes) > 0)
	}
	return cv
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
