package coding

import (
	"cmp"
	"slices"
	"strconv"

	"qcode"
	"qcode/coding/agree"
)

// AgreementReport is the agreement of coders on each code and pooled over
// the codes, as qcode agree --json prints it.
type AgreementReport struct {
	Unit          Unit            `json:"unit"`
	Coders        []string        `json:"coders"`
	Units         int64           `json:"units"`   // units used
	Dropped       int64           `json:"dropped"` // units of sources some coder had not seen
	Sources       []SourceUse     `json:"sources"`
	Resamples     int             `json:"resamples"` // bootstrap resamples; 0 for no interval
	Seed          uint64          `json:"seed"`
	Codes         []CodeAgreement `json:"codes"`
	Pooled        CodeAgreement   `json:"pooled"`
	Disagreements []Disagreement  `json:"disagreements,omitempty"`
}

// CodeAgreement is the coders' agreement on one code, each unit a
// present/absent judgement; pooled over codes, each unit and code is one,
// and the counts are summed over the codes.
type CodeAgreement struct {
	Code   string `json:"code"` // "" when pooled
	Units  int64  `json:"units"`
	Coders int    `json:"coders"`
	// All, Some and None count the units every coder, some but not all, and
	// no coder applied the code to: with two coders, both, only one, and
	// neither.
	All     int64            `json:"all"`
	Some    int64            `json:"some"`
	None    int64            `json:"none"`
	ByCoder map[string]int64 `json:"by_coder"` // units each coder applied it to

	Agreement       agree.Percent `json:"agreement"`
	Cohen           *agree.Kappa  `json:"cohen"` // two coders only; else null
	Fleiss          agree.Kappa   `json:"fleiss"`
	BrennanPrediger agree.Kappa   `json:"brennan_prediger"` // two categories: q = 2
	Alpha           agree.Alpha   `json:"alpha"`            // nominal
	AlphaInterval   *Interval     `json:"alpha_interval"`   // null without the bootstrap
}

// Interval is a bootstrap 95% interval.
type Interval struct {
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Undefined bool    `json:"undefined"` // no resample gave a defined figure; Low and High are 0
	Resamples int     `json:"resamples"`
	Skipped   int     `json:"skipped"` // resamples with no defined figure
}

// IntervalOf returns the interval of a bootstrap of alpha.
func IntervalOf(a agree.AlphaInterval) *Interval {
	return &Interval{Low: a.Low, High: a.High, Undefined: a.Undefined, Resamples: a.Resamples, Skipped: a.Skipped}
}

// Agreement computes, for each code and pooled over the codes (see
// agree.PoolKappa), percent agreement, Cohen's kappa (two coders), Fleiss'
// kappa, Brennan–Prediger kappa and nominal Krippendorff's alpha, with a
// bootstrap 95% interval for alpha from resamples resamples of the units
// (none when resamples is 0), seeded with seed.
func (r *Reliability) Agreement(resamples int, seed uint64) (AgreementReport, error) {
	if resamples < 0 {
		return AgreementReport{}, qcode.FieldError("bootstrap", strconv.Itoa(resamples), "the number of resamples must be 0 or more (1000 is usual)")
	}
	m := len(r.Coders)
	rep := AgreementReport{Unit: r.Unit, Coders: r.Coders, Units: r.Units, Dropped: r.Dropped, Sources: r.Sources,
		Resamples: resamples, Seed: seed, Codes: make([]CodeAgreement, len(r.Codes)), Disagreements: r.Disagreements}
	if rep.Sources == nil {
		rep.Sources = []SourceUse{}
	}
	var percents []agree.Percent
	var cohens, fleiss, bps []agree.Kappa
	var alphas []agree.Alpha
	pooled := CodeAgreement{Coders: m, ByCoder: map[string]int64{}}
	for c, code := range r.Codes {
		b := agree.Binary{Coders: m, Ones: r.Ones[c]}
		ca := CodeAgreement{Code: code, Units: r.Units, Coders: m, All: r.Ones[c][m], None: r.Ones[c][0], ByCoder: map[string]int64{}}
		ca.Some = ca.Units - ca.All - ca.None
		for i, name := range r.Coders {
			ca.ByCoder[name] = r.Applied[c][i]
			pooled.ByCoder[name] += r.Applied[c][i]
		}
		var err error
		if ca.Agreement, err = b.Percent(); err != nil {
			return rep, err
		}
		if ca.Fleiss, err = b.Fleiss(); err != nil {
			return rep, err
		}
		if ca.BrennanPrediger, err = b.BrennanPrediger(); err != nil {
			return rep, err
		}
		if ca.Alpha, err = b.Alpha(); err != nil {
			return rep, err
		}
		if m == 2 {
			p := r.Presence(c)
			s, err := p.Stats()
			if err != nil {
				return rep, err
			}
			ca.Cohen = &s.Cohen
			cohens = append(cohens, s.Cohen)
		}
		percents = append(percents, ca.Agreement)
		fleiss = append(fleiss, ca.Fleiss)
		bps = append(bps, ca.BrennanPrediger)
		alphas = append(alphas, ca.Alpha)
		pooled.Units += ca.Units
		pooled.All += ca.All
		pooled.Some += ca.Some
		pooled.None += ca.None
		rep.Codes[c] = ca
	}
	pooled.Agreement = agree.PoolPercent(percents)
	pooled.Fleiss = agree.PoolKappa(fleiss)
	pooled.BrennanPrediger = agree.PoolKappa(bps)
	pooled.Alpha = agree.PoolAlpha(alphas)
	if m == 2 {
		k := agree.PoolKappa(cohens)
		pooled.Cohen = &k
	}
	if resamples > 0 {
		per, all, err := agree.BootstrapBinary(m, len(r.Codes), r.Profiles, resamples, seed)
		if err != nil {
			return rep, err
		}
		for c := range rep.Codes {
			rep.Codes[c].AlphaInterval = IntervalOf(per[c])
		}
		pooled.AlphaInterval = IntervalOf(all)
	}
	rep.Pooled = pooled
	return rep, nil
}

// Presence returns the presence counts of code c for two coders: both,
// only the first, only the second, neither.
func (r *Reliability) Presence(c int) agree.Presence {
	both := r.Ones[c][2]
	return agree.Presence{
		Both:    int(both),
		OnlyA:   int(r.Applied[c][0] - both),
		OnlyB:   int(r.Applied[c][1] - both),
		Neither: int(r.Ones[c][0]),
	}
}

// ValidationReport measures a candidate coder (the rules, usually)
// against a gold coder (a person), code by code, as qcode validate --json
// prints it.
type ValidationReport struct {
	Unit      Unit              `json:"unit"`
	Gold      string            `json:"gold"`
	Candidate string            `json:"candidate"`
	Units     int64             `json:"units"`
	Dropped   int64             `json:"dropped"`
	Sources   []SourceUse       `json:"sources"`
	Codes     []CodeValidation  `json:"codes"`
	Micro     Scores            `json:"micro"` // from the counts summed over the codes
	Macro     Scores            `json:"macro"` // the mean over the codes of each defined figure
	Kappa     agree.Kappa       `json:"kappa"` // pooled over the codes (agree.PoolKappa)
	Errors    []ValidationError `json:"errors"`
}

// CodeValidation is how well the candidate applied one code, taking the
// gold coder as right.
type CodeValidation struct {
	Code           string      `json:"code"`
	Gold           int64       `json:"gold"`      // units the gold coder coded
	Candidate      int64       `json:"candidate"` // units the candidate coded
	TruePositives  int64       `json:"true_positives"`
	FalsePositives int64       `json:"false_positives"`
	FalseNegatives int64       `json:"false_negatives"`
	TrueNegatives  int64       `json:"true_negatives"`
	Precision      Score       `json:"precision"`
	Recall         Score       `json:"recall"`
	F1             Score       `json:"f1"`
	Kappa          agree.Kappa `json:"kappa"` // Cohen's
}

// Scores are precision, recall and F1 over several codes.
type Scores struct {
	Precision Score `json:"precision"`
	Recall    Score `json:"recall"`
	F1        Score `json:"f1"`
}

// Score is a figure from 0 to 1 that may be undefined (0 divided by 0).
type Score struct {
	Value     float64 `json:"value"`
	Undefined bool    `json:"undefined"`
	Codes     int     `json:"codes,omitempty"` // macro averages: the codes averaged
}

func ratio(num, den int64) Score {
	if den == 0 {
		return Score{Undefined: true}
	}
	return Score{Value: float64(num) / float64(den)}
}

// MeasureCode measures how a candidate applied one code against a gold
// coder from their presence counts over the units (A the gold coder, B the
// candidate): precision TP/(TP+FP), recall TP/(TP+FN), F1 2TP/(2TP+FP+FN)
// and Cohen's kappa. Gold and Candidate are the units each coded.
func MeasureCode(code string, p agree.Presence) (CodeValidation, error) {
	v := CodeValidation{Code: code, Gold: int64(p.Both + p.OnlyA), Candidate: int64(p.Both + p.OnlyB),
		TruePositives: int64(p.Both), FalsePositives: int64(p.OnlyB), FalseNegatives: int64(p.OnlyA), TrueNegatives: int64(p.Neither)}
	v.Precision = ratio(v.TruePositives, v.TruePositives+v.FalsePositives)
	v.Recall = ratio(v.TruePositives, v.TruePositives+v.FalseNegatives)
	v.F1 = ratio(2*v.TruePositives, 2*v.TruePositives+v.FalsePositives+v.FalseNegatives)
	s, err := p.Stats()
	if err != nil {
		return v, err
	}
	v.Kappa = s.Cohen
	return v, nil
}

// Averages returns the micro averages of codes (precision, recall and F1
// of their counts summed) and the macro ones (the mean over the codes of
// each figure where it is defined).
func Averages(codes []CodeValidation) (micro, macro Scores) {
	var tp, fp, fn int64
	var sums [3]float64
	var counts [3]int
	for _, v := range codes {
		for i, sc := range []Score{v.Precision, v.Recall, v.F1} {
			if !sc.Undefined {
				sums[i] += sc.Value
				counts[i]++
			}
		}
		tp += v.TruePositives
		fp += v.FalsePositives
		fn += v.FalseNegatives
	}
	micro = Scores{Precision: ratio(tp, tp+fp), Recall: ratio(tp, tp+fn), F1: ratio(2*tp, 2*tp+fp+fn)}
	m := make([]Score, 3)
	for i := range m {
		m[i] = Score{Undefined: counts[i] == 0, Codes: counts[i]}
		if counts[i] > 0 {
			m[i].Value = sums[i] / float64(counts[i])
		}
	}
	return micro, Scores{Precision: m[0], Recall: m[1], F1: m[2]}
}

// ValidationError is a false positive (the candidate coded a unit the
// gold coder did not) or a false negative (the reverse).
type ValidationError struct {
	Code    string `json:"code"`
	Kind    string `json:"kind"` // false_positive or false_negative
	Segment string `json:"segment"`
	Source  string `json:"source"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Text    string `json:"text"`
}

// Validation kinds.
const (
	FalsePositive = "false_positive"
	FalseNegative = "false_negative"
)

// Validate measures the second coder (the candidate) against the first
// (the gold standard), code by code: precision TP/(TP+FP), recall
// TP/(TP+FN), F1 2TP/(2TP+FP+FN) and Cohen's kappa, where a true positive
// is a unit both coded, a false positive one only the candidate coded and
// a false negative one only the gold coder coded. Micro averages apply the
// same formulas to the counts summed over the codes; macro averages are the
// mean over the codes of each figure where it is defined (a code the
// candidate never applied has no precision). The errors need r built with
// Disagreements; they are listed by code, then by position.
func (r *Reliability) Validate() (ValidationReport, error) {
	if len(r.Coders) != 2 {
		return ValidationReport{}, qcode.Errorf(qcode.EINVALID, "validation compares a candidate with a gold coder, not %d coders", len(r.Coders))
	}
	rep := ValidationReport{Unit: r.Unit, Gold: r.Coders[0], Candidate: r.Coders[1], Units: r.Units, Dropped: r.Dropped,
		Sources: r.Sources, Codes: make([]CodeValidation, len(r.Codes)), Errors: []ValidationError{}}
	if rep.Sources == nil {
		rep.Sources = []SourceUse{}
	}
	var kappas []agree.Kappa
	for c, code := range r.Codes {
		v, err := MeasureCode(code, r.Presence(c))
		if err != nil {
			return rep, err
		}
		v.Gold, v.Candidate = r.Applied[c][0], r.Applied[c][1]
		kappas = append(kappas, v.Kappa)
		rep.Codes[c] = v
	}
	rep.Micro, rep.Macro = Averages(rep.Codes)
	rep.Kappa = agree.PoolKappa(kappas)

	codeIx := map[string]int{}
	for i, c := range r.Codes {
		codeIx[c] = i
	}
	for _, d := range r.Disagreements {
		for _, s := range d.Codes {
			kind := FalseNegative
			if len(s.By) == 1 && s.By[0] == rep.Candidate {
				kind = FalsePositive
			}
			rep.Errors = append(rep.Errors, ValidationError{Code: s.Code, Kind: kind, Segment: d.Segment, Source: d.Source, Start: d.Start, End: d.End, Text: d.Text})
		}
	}
	// Disagreements come by position; keep that order within each code.
	slices.SortStableFunc(rep.Errors, func(a, b ValidationError) int { return cmp.Compare(codeIx[a.Code], codeIx[b.Code]) })
	return rep, nil
}
