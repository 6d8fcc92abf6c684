// Package report makes qcode's analysis tables from codings: frequencies
// per code (alone and rolled up through the code tree), code × source,
// code × case and code × attribute matrices, co-occurrence of codes (on the
// same segment or on overlapping spans, with Jaccard indices), the
// Framework Method matrix, and the long and wide tables of the results
// workbook.
//
// Data enters as plain values, source by source, through Sources: first a
// Data's head (the codebook, the sources with their cases and
// attributes), then each source's sentences, with the character spans of
// their words where a coding starts or ends inside one, and its codings,
// with their text when asked. A store implements it (see
// project.EachReportSource); a test can hold a Data. Analyse counts the
// codings of one coder or of all in one pass, holding a source at a time;
// the tables are made from its counts, and those of a row per coding,
// segment or quote read the sources again as they are written, so that
// no report holds the corpus.
//
// Reports leave as Tables: a header of columns and rows of typed cells
// (text, whole numbers, fractions, percentages), which every writer takes:
// the terminal and TSV printers of the command line, JSON, and the CSV and
// xlsx writers of package export. The package knows nothing of SQLite,
// files or the command line.
package report
