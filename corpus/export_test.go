package corpus

// WordsProse is Words as it was before the one-pass tokenizer: each
// paragraph through Sentences (Punkt, prose and the fixes). The
// differential tests hold Words to it.
func WordsProse(text string) (tokens []Token, sentence []int32) {
	n := int32(0)
	for _, p := range paragraphs(text, Span{0, len(text)}) {
		for _, s := range Sentences(text, p) {
			for _, t := range s.Tokens {
				tokens = append(tokens, t)
				sentence = append(sentence, n)
			}
			n++
		}
	}
	return tokens, sentence
}
