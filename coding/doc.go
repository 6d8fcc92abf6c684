// Package coding applies codes to text: it runs a codebook's compiled rules
// over segments and records the codings they make, and it holds what people
// code by hand.
//
// A Coding is a code applied to a span of a source by a Coder: a person, or
// the rules engine ("rules") with the content hash of the codebook it ran
// (CodebookHash), so that every coding says which version of the codebook
// made it. Its Origin says how it was made: rules, manual, import or search.
// A Ref names what is coded as users write it: P03:s41 (a sentence),
// P03:t12 (a turn), P03:p5 (a paragraph), P03:1200-1388 (characters) or P03.
//
// Data enters as Segments: the tokens that import made, read back from the
// store, with the segment's spans. An Applier runs a compiled codebook over
// them and makes one Coding per segment and code that matched, spanning the
// segment and recording every match's tokens; RuleUnit is how a segment's
// tokens become the unit the rules run over. ReadSheet reads the codings a
// team entered in a spreadsheet. Codings leave as values for the store
// (package project) to keep; this package knows nothing of SQLite or cobra.
//
// Stream codes NDJSON records read from a reader and writes them back with
// their codes, with no project, for data pipelines; a RecordCoder codes one such
// record at a time, the same way, for engines that hand records over one
// by one (examples/beam runs it inside Apache Beam).
package coding
