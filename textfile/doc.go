// Package textfile turns the bytes of a text file into qcode's text model:
// UTF-8 in NFC with LF line endings and no byte order mark. Every reader of
// outside text (transcripts, captions, tables, dictionaries) decodes with
// Decode, and text taken from a structured format (a .docx run, a caption,
// a spreadsheet cell) is normalised with Clean, so that the same words are
// the same bytes wherever they came from.
package textfile
