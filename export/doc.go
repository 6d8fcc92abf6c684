// Package export writes qcode's tables to files people open elsewhere: the
// results workbook (xlsx: excelize's StreamWriter for each sheet's frame,
// the rows' XML our own) and CSV files, one per table, with the same
// columns as the sheets.
//
// Tables enter as report.Tables (package qcode/coding/report): a header and
// rows of typed cells. WriteXLSX lays sheets out (bold frozen headers,
// autofilters, widths, wrapped text, colour-scale heat maps, a bar chart,
// colour swatches); Workbook says how each sheet of the results workbook is
// laid out. Text is always written as text, never as a formula: literal
// strings in xlsx, and in CSV with a leading apostrophe when it starts like
// a formula. Every file is written to a temporary name and renamed into
// place, so a failure leaves nothing half-written. The package knows
// nothing of the store or the command line.
package export
