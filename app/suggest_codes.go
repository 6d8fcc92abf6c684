package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/project"
)

// Suggestion is a code suggested for a sentence no person coded, kept
// apart from the codings until a person accepts it.
type Suggestion = project.Suggestion

// SuggestCodesOptions say whose codings the model learns from and what it
// suggests.
type SuggestCodesOptions struct {
	Coder string // only this person's codings; "" for every person's
	// Top is how many codes are suggested for each sentence; 0 for
	// DefaultSuggestCodes.
	Top int
	// MinExamples is how many sentences people must have coded with a
	// code before it is suggested; 0 for coding.DefaultMinExamples.
	MinExamples int
	// Folds is the number of folds of cross-validation, by source; 0 for
	// coding.DefaultFolds.
	Folds int
}

// DefaultSuggestCodes is how many codes are suggested for each sentence.
const DefaultSuggestCodes = 3

// Check checks the options without the project.
func (o SuggestCodesOptions) Check() error {
	if o.Top < 0 {
		return qcode.FieldError("top", fmt.Sprint(o.Top), "must be 1 or more (or 0 for the default)")
	}
	if o.MinExamples < 0 {
		return qcode.FieldError("min_examples", fmt.Sprint(o.MinExamples), "must be 1 or more (or 0 for the default)")
	}
	if o.Folds < 0 || o.Folds == 1 {
		return qcode.FieldError("folds", fmt.Sprint(o.Folds), "must be 2 or more (or 0 for the default)")
	}
	return nil
}

// SuggestedCodes is what a suggestion run learnt, how well it does in
// cross-validation, and what it stored.
type SuggestedCodes struct {
	Coder       string `json:"coder"` // "" for every person
	ModelHash   string `json:"model_hash"`
	MinExamples int    `json:"min_examples"`
	Top         int    `json:"top"`
	Sources     int    `json:"sources"`   // sources people coded
	Coded       int    `json:"coded"`     // sentences people coded, learnt from
	Uncoded     int    `json:"uncoded"`   // sentences no person coded, ranked
	Suggested   int    `json:"suggested"` // suggestions stored
	// Folds is the number of folds of cross-validation, by source: each
	// source's sentences are tested on a model trained on other sources.
	// 0 when people coded fewer than two sources.
	Folds   int               `json:"folds"`
	Overall SuggestAccuracy   `json:"overall"`
	Codes   []SuggestAccuracy `json:"codes"`
	Unknown []string          `json:"unknown,omitempty"` // codes people applied that the codebook lacks: not learnt
}

// SuggestAccuracy is how often cross-validation ranked a code (overall:
// any right code) first and in the top three, of the sentences tested.
type SuggestAccuracy struct {
	Code     string  `json:"code,omitempty"`
	Examples int     `json:"examples"` // sentences people coded with it (overall: coded sentences)
	On       bool    `json:"on"`       // suggested: it has MinExamples or more
	Tested   int     `json:"tested"`
	Top1     float64 `json:"top1"`
	Top3     float64 `json:"top3"`
}

func accuracy(a coding.CodeAccuracy) SuggestAccuracy {
	return SuggestAccuracy{Code: a.Code, Examples: a.Examples, On: a.On, Tested: a.Tested, Top1: a.Top1Rate(), Top3: a.Top3Rate()}
}

// SuggestCodes trains a naive Bayes model (coding.SuggestModel) on the
// sentences people coded, interviewers' turns left out, cross-validates
// it by source, and stores, for each sentence no person coded, the Top
// codes it ranks highest among those with MinExamples or more, replacing
// the suggestions of the last run. The model reads a sentence's words and
// phrases, those of the sentences beside it in its turn, the interviewer's
// question before the turn and the codebook's rules that match it
// (coding.SuggestFeatures). Suggestions people rejected are not stored
// again. Nothing suggested is a coding until a person accepts it
// (AcceptSuggestions).
func (p *Project) SuggestCodes(ctx context.Context, o SuggestCodesOptions) (*SuggestedCodes, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	o.Top = cmp.Or(o.Top, DefaultSuggestCodes)
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	matcher, err := cb.Matcher()
	if err != nil {
		return nil, err
	}
	so := coding.SuggestOptions{MinExamples: cmp.Or(o.MinExamples, coding.DefaultMinExamples), Folds: o.Folds, Codebook: cb.Hash}
	if err := p.checkLearnCoder(ctx, o.Coder, "suggestions"); err != nil {
		return nil, err
	}
	sents, sources, err := p.readSentences(ctx, o.Coder, true)
	if err != nil {
		return nil, err
	}
	res := &SuggestedCodes{Coder: o.Coder, MinExamples: so.MinExamples, Top: o.Top, Sources: sources, Codes: []SuggestAccuracy{}}
	var train []coding.Example
	var rank []int // indexes of the sentences to rank
	unknown := map[string]bool{}
	var hits []codebook.Hit
	features := func(i int) []string {
		s := &sents[i]
		in := coding.SuggestInput{Words: s.words, Question: s.question}
		for _, j := range []int{i - 1, i + 1} {
			if j >= 0 && j < len(sents) && sents[j].source == s.source && sents[j].turn == s.turn {
				in.Near = append(in.Near, sents[j].words)
			}
		}
		hits = matcher.Match(s.passage, hits[:0])
		for _, h := range hits {
			in.Rules = append(in.Rules, h.Code.ID)
		}
		return coding.SuggestFeatures(in)
	}
	for i, s := range sents {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		codes := slices.DeleteFunc(slices.Clone(s.codes), func(c string) bool {
			if cb.Code(c) == nil {
				unknown[c] = true
				return true
			}
			return false
		})
		switch {
		case len(codes) > 0:
			train = append(train, coding.Example{ID: s.ref(), Group: s.source, Features: features(i), Codes: codes})
		case !s.personCoded:
			rank = append(rank, i)
		}
	}
	for c := range unknown {
		res.Unknown = append(res.Unknown, c)
	}
	slices.Sort(res.Unknown)
	res.Coded, res.Uncoded = len(train), len(rank)
	cv := coding.CrossValidate(train, so)
	res.Folds = cv.Folds
	res.Overall = accuracy(cv.Overall)
	for _, a := range cv.Codes {
		res.Codes = append(res.Codes, accuracy(a))
	}
	m := coding.TrainSuggest(train, so)
	res.ModelHash = m.Hash
	var news []project.NewSuggestion
	var ranked []coding.Suggestion
	for _, i := range rank {
		s := sents[i]
		ranked = m.Rank(features(i), o.Top, ranked[:0])
		for _, r := range ranked {
			news = append(news, project.NewSuggestion{Source: s.source, Sentence: s.ord, Code: r.Code, Score: r.Score, Rank: r.Rank})
		}
	}
	if res.Suggested, err = p.ReplaceSuggestions(ctx, m.Hash, news); err != nil {
		return nil, err
	}
	return res, nil
}

// ref is the sentence's id: P03:s41.
func (s *learnSentence) ref() string {
	return coding.Ref{Source: s.source, Unit: coding.UnitSentence, Ord: s.ord}.String()
}

// SuggestionsOptions choose stored suggestions: of a source, of a code
// (its id, name or path), with a score of at least MinScore; or, to
// accept or reject, by id.
type SuggestionsOptions struct {
	Source   string
	Code     string
	MinScore float64
	IDs      []int64
	Coder    string // who accepts or rejects; "" for CoderName's default
}

// Check checks the options without the project.
func (o SuggestionsOptions) Check() error {
	if o.MinScore < 0 || o.MinScore > 1 {
		return qcode.FieldError("min_score", fmt.Sprint(o.MinScore), "must be from 0 to 1")
	}
	return nil
}

// filter resolves the options' code against the codebook.
func (p *Project) suggestionFilter(ctx context.Context, o SuggestionsOptions) (project.SuggestionFilter, error) {
	f := project.SuggestionFilter{Source: o.Source, MinScore: o.MinScore, IDs: o.IDs}
	if err := o.Check(); err != nil {
		return f, err
	}
	if o.Code != "" {
		cb, err := p.Codebook()
		if err != nil {
			return f, err
		}
		if f.Code, err = cb.Find(o.Code, "code"); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Suggestions lists the stored suggestions o chooses, by source, sentence
// and rank.
func (p *Project) Suggestions(ctx context.Context, o SuggestionsOptions) ([]Suggestion, error) {
	f, err := p.suggestionFilter(ctx, o)
	if err != nil {
		return nil, err
	}
	return p.Project.Suggestions(ctx, f)
}

// SuggestionsResult is what accepting or rejecting suggestions did.
type SuggestionsResult struct {
	Coder       string       `json:"coder"`
	Suggestions []Suggestion `json:"suggestions"` // those accepted or rejected
	// Codings are the codings accepting made: fewer than Suggestions when
	// the coder had some already.
	Codings int `json:"codings"`
}

// AcceptSuggestions makes the suggestions o chooses (by id, or by code,
// source and score when no id is given) codings by the person accepting,
// with origin suggested and the model's hash, in one transaction, each
// logged. Choosing none is a qcode.EINVALID error.
func (p *Project) AcceptSuggestions(ctx context.Context, o SuggestionsOptions) (*SuggestionsResult, error) {
	return p.decideSuggestions(ctx, o, true)
}

// RejectSuggestions rejects the suggestions o chooses, as
// AcceptSuggestions chooses them: later runs do not suggest them again.
func (p *Project) RejectSuggestions(ctx context.Context, o SuggestionsOptions) (*SuggestionsResult, error) {
	return p.decideSuggestions(ctx, o, false)
}

func (p *Project) decideSuggestions(ctx context.Context, o SuggestionsOptions, accept bool) (*SuggestionsResult, error) {
	coder, err := CoderName(o.Coder)
	if err != nil {
		return nil, err
	}
	if len(o.IDs) == 0 && o.Code == "" && o.Source == "" && o.MinScore == 0 {
		return nil, qcode.FieldError("id", "", "missing: name the suggestions by id, or choose them with a code, a source or a least score")
	}
	ids := o.IDs
	if len(ids) == 0 {
		ss, err := p.Suggestions(ctx, o)
		if err != nil {
			return nil, err
		}
		if len(ss) == 0 {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "no suggestion matches; list them with qcode suggestions")
		}
		for _, s := range ss {
			ids = append(ids, s.ID)
		}
	}
	res := &SuggestionsResult{Coder: coder}
	if accept {
		if res.Suggestions, res.Codings, err = p.Project.AcceptSuggestions(ctx, ids, coder, p.opts.Command); err != nil {
			return nil, err
		}
		return res, nil
	}
	res.Suggestions, err = p.Project.RejectSuggestions(ctx, ids, coder, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return res, nil
}
