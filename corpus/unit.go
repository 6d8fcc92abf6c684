package corpus

// Words returns the tokens of text as a flat list with the sentence number of
// each, as qcode tokenises a turn: the form rules run over when a passage is
// not in a project (codebook examples, streamed records). The tokens and
// sentences are those Sentences finds in each paragraph, found in one pass
// (see AppendWords).
func Words(text string) (tokens []Token, sentence []int32) {
	tokens, sentence, _ = AppendWords(nil, nil, text, 0)
	return tokens, sentence
}
