package app

import "unicode"

// snap grows [start, end) of text to whole words, and trims the spaces a
// selection often takes in at its ends. A span outside text, or one that
// holds only spaces, is left as it is for the store to judge.
func snap(text []rune, start, end int) (int, int) {
	if start < 0 || end > len(text) || start >= end {
		return start, end
	}
	a, b := start, end
	for a < b && unicode.IsSpace(text[a]) {
		a++
	}
	for b > a && unicode.IsSpace(text[b-1]) {
		b--
	}
	if a == b {
		return start, end
	}
	for a > 0 && inWord(text, a-1) && inWord(text, a) {
		a--
	}
	for b < len(text) && inWord(text, b-1) && inWord(text, b) {
		b++
	}
	return a, b
}

// inWord says whether text[i] belongs to a word: a letter, digit or mark,
// or an apostrophe or hyphen between two of them ("don't", "well-being").
func inWord(text []rune, i int) bool {
	if wordRune(text[i]) {
		return true
	}
	switch text[i] {
	case '\'', '’', '-':
		return i > 0 && i+1 < len(text) && wordRune(text[i-1]) && wordRune(text[i+1])
	}
	return false
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}
