// Package corpus reads transcripts and surveys into sources made of speaker
// turns, paragraphs, sentences and tokens whose spans are exact.
//
// Data enters as the bytes of one file. textfile.Decode turns them into
// normalised text (UTF-8, NFC, LF line endings, no BOM; Windows-1252 and
// Latin-1 are converted, anything undecodable is refused with its line). A
// Reader, chosen by FormatOf from the file's extension or a named format
// (Read and Parse choose it), finds the turns:
// who spoke, when, and which stretch of the text they said. A text with no
// speaker labels (field notes, a report, captions that name no one) is a
// document: each paragraph a turn with no speaker (Source.IsDocument).
// Segment then
// splits every turn into paragraphs and sentences and every sentence into
// tokens. Data leaves as a Source whose every span slices its Text.
//
// Spans inside this package are byte offsets into Source.Text. Users and
// exports see character (Unicode code point) offsets, as REFI-QDA counts
// them; Runes converts between the two.
//
// prose is used in one file (prose.go) and none of its types leave it.
package corpus
