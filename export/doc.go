// Package export writes qcode's tables to files people open elsewhere:
// Excel workbooks (with excelize), and, as qcode grows, CSV, JSON and
// REFI-QDA. It takes plain tables and knows nothing of the store or the
// command line.
package export
