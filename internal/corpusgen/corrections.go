package corpusgen

import (
	"math/rand/v2"
	"strings"
)

// Correct makes n corrections at places of text drawn from rng, as a
// transcriber checking a recording would: a word replaced by
// "[inaudible]", a word inserted after one, a word deleted. The first
// skip words are left alone (a transcript's header, say).
func Correct(text string, n, skip int, rng *rand.Rand) string {
	words := strings.SplitAfter(text, " ")
	if len(words) <= skip {
		return text
	}
	for range n {
		i := skip + rng.IntN(len(words)-skip)
		switch rng.IntN(3) {
		case 0:
			words[i] = "[inaudible] "
		case 1:
			words[i] += "really "
		default:
			words[i] = ""
		}
	}
	return strings.Join(words, "")
}
