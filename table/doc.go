// Package table reads the tables people keep in spreadsheets, with one
// policy for every table qcode reads: case attributes, surveys, codebooks,
// codings and agreement data.
//
// Data enters as a file's path and bytes. Read tells the format from the
// extension and the bytes: an Excel workbook (.xlsx, or any zip) gives its
// first sheet with a value (or a sheet the caller names); anything else is
// delimited text (.csv, .tsv, .txt) in UTF-8, UTF-8 or UTF-16 with a byte
// order mark, or Windows-1252, decoded by textfile.Decode, whose separator
// (comma, semicolon or tab) is the one its header line holds most outside
// quotes. Data leaves as a Table: the header's column names, trimmed, and
// the rows that hold a value, each with exactly one cell per column and the
// line (or sheet row) it came from, so that a caller's errors can name it;
// Where names a single cell.
//
// The policy on shape is strict where a mistake would move values between
// columns and lenient where nothing is lost: a row of delimited text must
// have as many cells as the header; a cell of a workbook beyond the header
// must be empty; a column with no name is left out when it holds no value
// and refused when it does; two columns may not have the same name.
// Everything else (which columns a caller wants, what their values mean)
// is the caller's.
package table
