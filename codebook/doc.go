// Package codebook holds the researcher's instrument: a tree of codes, each
// with its definition (description, include and exclude criteria), its
// examples and counterexamples, and the rule that codes text automatically.
//
// A codebook lives in codebook.yaml in the project, a file a team reviews and
// versions. Load parses and checks it, reporting every problem at once as
// codebook.yaml:LINE:COL: message. Compile turns every code's rule into a
// matcher, once; the matcher runs over the tokens that corpus made at import,
// so coding and search never parse or tokenise again. Test checks every
// code's examples against its rule.
//
// The rule language (see rule.go for the grammar) is the one qcode uses for
// coding and for search.
package codebook
