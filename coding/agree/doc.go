// Package agree computes inter-coder reliability: how far coders who code
// the same units independently agree, beyond what chance would give. Its
// functions are pure: data in, figures out, no storage and no command line.
//
// # Data in, results out
//
// Reliability data (Data) is a table of units by coders: Values[u][c] is
// coder c's value for unit u, or Missing. A value is a number, or the index
// of a category in Labels. FromStrings builds Data from text ("" is
// missing); ReadTable reads it from a table (CSV, TSV or XLSX): the unit
// id in the first column, one column per coder headed by the coder's name,
// an empty cell for a missing value. For one code applied or not by two coders, Presence
// counts the units both, only A, only B and neither coded, and its Stats
// gives every statistic from those four counts.
//
// Each statistic returns a result with the figure and the counts behind
// it: units used, units dropped, coders, values, and the observed and
// expected agreement (kappas) or disagreement (alpha). No result holds NaN
// or ±Inf, so all encode as JSON. Bad input (ragged rows, text where
// numbers are needed, two coders asked of three) gives a *qcode.Error with
// code EINVALID and a one-line message that says how to mend it.
//
// # What is computed
//
// A unit's values are those its coders gave; m_u is their number and
// n_uc the number equal to c.
//
// Percent agreement is the mean, over units with m_u ≥ 2, of the share of
// pairs of the unit's values that match, Σ_c n_uc(n_uc − 1) / (m_u(m_u − 1)).
// For two coders that is the share of units on which they agree.
//
// Cohen's kappa (Cohen 1960), for exactly two coders, is
// κ = (Po − Pe)/(1 − Pe): Po is the share of units on which they agree and
// Pe = Σ_c p_Ac·p_Bc, where p_Ac is the share of units coder A put in
// category c. Units either coder left out are dropped.
//
// Fleiss' kappa (Fleiss 1971), for m ≥ 2 ratings of every unit, is
// κ = (P̄ − P̄e)/(1 − P̄e): P̄ is the mean over units of
// P_u = Σ_c n_uc(n_uc − 1)/(m(m − 1)), and P̄e = Σ_c p_c², where p_c is
// the share of all ratings in category c. It needs the same number of
// ratings for every unit, so units with a missing value are dropped (and
// counted in Dropped).
//
// Brennan and Prediger's kappa (Brennan & Prediger 1981) is
// κ = (Po − 1/q)/(1 − 1/q): chance picks uniformly among q categories,
// whatever the coders' own frequencies. Po is percent agreement, so for
// more than two coders and missing values it is Randolph's (2005)
// free-marginal multirater kappa, with units as Gwet (2014) counts them.
// q is the caller's (the categories the codebook offers), by default the
// number of distinct values in the data, and at least 2.
//
// Krippendorff's alpha (Krippendorff 2011; 2019, ch. 12) is α = 1 − Do/De,
// from the coincidences of values within units. Each unit with m_u ≥ 2
// values adds, for every ordered pair of values (c, k) from two different
// coders, 1/(m_u − 1) to o_ck; units with fewer than two values are
// dropped. With n_c = Σ_k o_ck (the pairable values equal to c) and
// n = Σ_c n_c,
//
//	Do = (1/n) Σ_c Σ_k o_ck δ²(c, k)
//	De = 1/(n(n − 1)) Σ_c Σ_k n_c n_k δ²(c, k)
//
// where the difference δ² depends on the level of measurement:
//
//	nominal   δ² = 0 if c = k, else 1
//	ordinal   δ² = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², ranking values by
//	          their marginal frequencies n_g
//	interval  δ² = (c − k)²
//	ratio     δ² = ((c − k)/(c + k))², for values of 0 or more
//
// Interval and ratio alpha need numbers; ordinal alpha needs numbers or
// Labels in a known order. Ratio alpha costs time in the square of the
// number of distinct values; the others are linear in the data.
//
// Bootstrap gives a 95% percentile interval for alpha, resampling the
// units with replacement from a PCG generator seeded by the caller; see
// Bootstrap for exactly what it does. It draws on the idea of Hayes and
// Krippendorff (2007) but resamples units, not pairs of values. Each
// unit's coincidences are tallied once, so a resample costs one pass over
// the units.
//
// # When a figure cannot be computed
//
// A coefficient that cannot be computed has Undefined set and Value 0:
// kappa and alpha when no unit has two values (zero units, all values
// missing, one coder) or when every value is the same, so that no
// disagreement is expected (Pe = 1, De = 0). The value is 0, not 1, so that
// a threshold such as α ≥ 0.8 never passes on data that cannot show
// reliability: coders who never apply a code agree on every unit, yet show
// nothing about whether they can tell when it applies. Percent agreement is
// defined whenever a unit has two values, and is 1 when every value is the
// same. Brennan–Prediger kappa does not depend on the coders' frequencies,
// so one category throughout gives Po = 1 and κ = 1. A single unit is no
// special case: if its values differ, alpha is 0. Cohen's kappa for other
// than two coders is an error, not a figure.
//
// # References
//
// Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses,
// misuses, and alternatives. Educational and Psychological Measurement,
// 41(3), 687–699.
//
// Cohen, J. (1960). A coefficient of agreement for nominal scales.
// Educational and Psychological Measurement, 20(1), 37–46.
//
// Fleiss, J. L. (1971). Measuring nominal scale agreement among many
// raters. Psychological Bulletin, 76(5), 378–382.
//
// Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.).
// Advanced Analytics.
//
// Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a
// standard reliability measure for coding data. Communication Methods and
// Measures, 1(1), 77–89.
//
// Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
// Departmental Papers (ASC), 43, University of Pennsylvania.
//
// Krippendorff, K. (2019). Content Analysis: An Introduction to Its
// Methodology (4th ed.). SAGE.
//
// Randolph, J. J. (2005). Free-marginal multirater kappa (multirater
// κfree): An alternative to Fleiss' fixed-marginal multirater kappa. Paper
// presented at the Joensuu Learning and Instruction Symposium.
package agree
