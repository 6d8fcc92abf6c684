// Package app is qcode's application layer: the use cases that every front
// end shares. The command line (cmd/qcode) and the browser workspace call
// the same functions here; neither holds a business rule of its own.
//
// A front end opens a Project (Open, or Init for a new one) with plain
// Options, calls use cases on it (Import, Code, AddCoding, RemoveCoding,
// ImportCodings, Analysis, Reliability, Export, ImportCodebook, …) with
// plain option structs, and gets plain results back to show as it likes.
// Long work reports how far it has got through a Progress. Errors are
// *qcode.Error values whose Field names an option in qcode's own words;
// Phrase turns them into the front end's words (a flag, a form field).
//
// Data enters as files and options and leaves as the domain's types
// (corpus, codebook, coding, coding/report) and this package's results;
// the store (project) and the exporters (export) stay behind it.
package app
