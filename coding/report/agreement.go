package report

import (
	"strings"

	"qcode/coding"
)

// PooledLabel names the pooled row of the Agreement sheet; no code id has
// parentheses.
const PooledLabel = "(pooled)"

// AgreementTables returns the Agreement sheet (one row per code, then the
// codes pooled) and the Disagreements sheet (one row per unit and code the
// coders split on) of an agreement report. A figure that cannot be
// computed is an empty cell, never 0 or NaN.
//
// With exact, figures keep their full precision, for programs that read
// the table; otherwise they are rounded to three decimals, as a sheet
// shows them.
func AgreementTables(rep *coding.AgreementReport, exact bool) (agreement, disagreements *Table) {
	two := len(rep.Coders) == 2
	cols := []Column{{Name: "code", Kind: Text, Width: 26}, {Name: "units", Kind: Int}, {Name: "all", Kind: Int}, {Name: "some", Kind: Int}, {Name: "none", Kind: Int},
		{Name: "agreement", Kind: Float}}
	if two {
		cols = append(cols, Column{Name: "cohen_kappa", Kind: Float})
	}
	cols = append(cols, Column{Name: "fleiss_kappa", Kind: Float}, Column{Name: "alpha", Kind: Float},
		Column{Name: "alpha_low", Kind: Float}, Column{Name: "alpha_high", Kind: Float}, Column{Name: "brennan_prediger", Kind: Float})
	agreement = NewTable("Agreement", cols...)
	fig := func(v float64, undefined bool) Cell {
		if undefined {
			return T("")
		}
		if exact {
			return Cell{Kind: Float, Num: v}
		}
		return F(v)
	}
	row := func(name string, ca coding.CodeAgreement) {
		r := []Cell{T(name), I(int(ca.Units)), I(int(ca.All)), I(int(ca.Some)), I(int(ca.None)), fig(ca.Agreement.Value, ca.Agreement.Undefined)}
		if two {
			if ca.Cohen != nil {
				r = append(r, fig(ca.Cohen.Value, ca.Cohen.Undefined))
			} else {
				r = append(r, T(""))
			}
		}
		r = append(r, fig(ca.Fleiss.Value, ca.Fleiss.Undefined), fig(ca.Alpha.Value, ca.Alpha.Undefined))
		if iv := ca.AlphaInterval; iv != nil {
			r = append(r, fig(iv.Low, iv.Undefined), fig(iv.High, iv.Undefined))
		} else {
			r = append(r, T(""), T(""))
		}
		agreement.Add(append(r, fig(ca.BrennanPrediger.Value, ca.BrennanPrediger.Undefined))...)
	}
	for _, ca := range rep.Codes {
		row(ca.Code, ca)
	}
	row(PooledLabel, rep.Pooled)

	disagreements = NewTable("Disagreements", Column{Name: "segment", Kind: Text, Width: 14}, Column{Name: "code", Kind: Text, Width: 24},
		Column{Name: "by", Kind: Text, Width: 16}, Column{Name: "not_by", Kind: Text, Width: 16}, Column{Name: "text", Kind: Text, Width: 90, Wrap: true})
	for _, d := range rep.Disagreements {
		for _, s := range d.Codes {
			disagreements.Add(T(d.Segment), T(s.Code), T(strings.Join(s.By, ", ")), T(strings.Join(s.NotBy, ", ")), T(strings.Join(strings.Fields(d.Text), " ")))
		}
	}
	return agreement, disagreements
}
