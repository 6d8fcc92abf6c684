package corpus

// Captions is a placeholder until its reader lands.
type Captions struct{}

// Read is not implemented yet.
func (Captions) Read(in Input) ([]*Document, error) { return nil, inputErr(in.Path, 0, "not implemented") }
