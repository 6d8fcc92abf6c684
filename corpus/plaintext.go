package corpus

// PlainText reads .txt and .md transcripts.
type PlainText struct{}

// Read is being written.
func (PlainText) Read(in Input) ([]*Document, error) { return nil, inputErr(in.Path, 0, "not implemented") }

// detectTurns finds the header and turns of a plain-text transcript.
func detectTurns(in Input, text string) (Span, []Turn, error) { return Span{}, nil, nil }
