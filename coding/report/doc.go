// Package report makes qcode's analysis tables from codings: frequencies
// per code (alone and rolled up through the code tree), code × source,
// code × case and code × attribute matrices, co-occurrence of codes (on the
// same segment or on overlapping spans, with Jaccard indices), the
// Framework Method matrix, and the long and wide tables of the results
// workbook.
//
// Data enters as plain values in a Data: the codebook, the sources with
// their cases and attributes, every sentence with the character spans of
// its words, and the codings with their text. A store fills it (see
// project.ReportData); a test can build it by hand. New picks the codings
// of one coder or of all and indexes them once; each report is then a pass
// over what it needs.
//
// Reports leave as Tables: a header of columns and rows of typed cells
// (text, whole numbers, fractions, percentages), which every writer takes:
// the terminal and TSV printers of the command line, JSON, and the CSV and
// xlsx writers of package export. The package knows nothing of SQLite,
// files or the command line.
package report
