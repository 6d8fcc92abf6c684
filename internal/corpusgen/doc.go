// Package corpusgen writes reproducible synthetic interview transcripts, for
// benchmarks and tests that need a corpus of a given size.
//
// The transcripts are hour-long (about 10,000 words, 100 to 150 turns)
// interviews between a researcher and a clinician about an NHS global health
// partnership. They are built from phrase banks in this package: questions,
// answers, short replies ("Yes." "Mm."), curly quotes and apostrophes,
// em-dashes, abbreviations such as "Dr." and "e.g.", accented names, and the
// theme words a codebook looks for (debrief, humility, learn, risk,
// guideline, triage, agenda) next to near misses (briefing, humid, brisk).
//
// Data leaves as files: Write fills a folder with files in turn in each of
// the formats qcode reads transcripts from (see Formats), streaming one file
// at a time, so a corpus of any size costs the memory of one turn.
// Interview writes a single transcript to a writer. The same seed gives
// byte-identical files; words are counted as qcode's segmenter counts them,
// so the corpus's word count is close to the one asked for.
package corpusgen
