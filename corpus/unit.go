package corpus

// Words returns the tokens of text as a flat list with the sentence number of
// each, as qcode tokenises a turn: the form rules run over when a passage is
// not in a project (codebook examples, streamed records).
func Words(text string) (tokens []Token, sentence []int32) {
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
