// Package search is qcode's search engine: a bleve index (scorch, on disk)
// of a project's sentences, derived from the store and rebuildable from it,
// and the searches over it, with keyword in context, filters and facets.
// The index finds candidate sentences fast; the rule matcher decides them
// over the tokens stored at import, so that a search and a rules run with
// the same rule agree exactly.
//
// Data enters through Store, a small interface of reads that the project's
// store (project.Project) implements: the sources to index, and the names,
// cases, attributes, speakers and codings a search filters and counts by.
// An Engine (NewEngine) keeps the index following the store (Update, or
// the first search that finds it stale) and holds it open from one search
// to the next. Results leave as plain values: hits with their segments
// (coding.Ref, which a caller can code directly), matches as character
// spans, context, and facet counts. Only one process updates the index at
// a time: an update takes a flock on the file beside the index folder
// (index.lock, never followed if it is a link), waiting a few seconds for
// another to finish; searches never take it. The index folder holds
// generations (gen-N), each a whole index, and the file current naming the
// live one: an update makes the next generation beside the live one, from
// hard links of its files, and replaces current by rename, so a search
// opens a whole generation, old or new, and never waits for a writer (see
// gen.go). An index that cannot be read is made anew from the store by the
// next search or update, which says so (IndexResult.Reason "damaged").
//
// Each sentence is one document, with id "SOURCE_ID:ORD" and two fields:
//
//   - w: its word tokens as stored at import, folded as the matcher folds
//     them (codebook.NormWord: lower case, straight apostrophes), one term
//     each, unstemmed. Rule words become queries on w: a word a term query,
//     a prefix a prefix query, other wildcards a wildcard query (bleve does
//     not analyse those, hence the folding at indexing time), and stems (in
//     codebook `match: stem`) the terms of the field whose stem is the
//     word's. Raw bleve queries (Request.Bleve) run over it too, a plain
//     word asked for by its stem (raw.go).
//   - src: the source id, a keyword, to find a source's documents.
//
// Nothing else is in bleve: cases, attributes, codings and speakers' names
// and roles change without the text changing and are read from the store,
// and numeric fields would double the index's size. Beside the bleve index,
// the sentence file (sentences.go) holds what deciding a candidate needs,
// and each turn's span and speaker (by id).
package search
