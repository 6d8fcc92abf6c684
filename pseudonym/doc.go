// Package pseudonym finds what identifies people in a project's sources and
// replaces it consistently: the names of speakers and of people mentioned,
// places, organisations and hospitals, emails, phone numbers, NHS numbers,
// dates of birth and postcodes.
//
// Data enters as segmented sources (corpus.Source: text, turns with their
// speakers, sentences). Find returns the items it found, each an original
// with its kind, a proposed replacement ("[Participant 3]", "[Hospital A]",
// "[Town 2]") and where it occurs; a researcher reviews them, edits them as
// a list (ReadList, WriteList) and a Replacer turns them into matches in a
// text, never inside a word. A Key records what was replaced where, so that
// the originals can be put back; it is written as JSON, encrypted with age
// when the user gives a passphrase (WriteKey, ReadKey).
//
// The package knows no store and no file but the ones it is handed: the
// application layer reads the sources and applies the edits.
package pseudonym
