// Package codebook holds the researcher's instrument: a tree of codes, each
// with its definition (description, include and exclude criteria), its
// examples and counterexamples, and the rule that codes text automatically.
//
// A codebook lives in codebook.yaml in the project, a file a team reviews and
// versions. Load parses and checks it, reporting every problem at once as
// codebook.yaml:LINE:COL: message. NewMatcher compiles every code's rule,
// once, into tables keyed by word; the Matcher runs over the tokens made at
// import, so coding and search never parse or tokenise again. Test checks
// every code's examples against its rule.
//
// The rule language (see the grammar below, from rule.go) is the one qcode
// uses for coding and for search. LoadAny, Save, WriteQDC, ReadQDC,
// WriteTable, ReadTable, ReadDic and ReadQuantedaYAML move codebooks to and
// from other tools (docs/interchange.md).
package codebook
