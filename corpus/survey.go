package corpus

// Survey is a placeholder until its reader lands.
type Survey struct{}

// Read is not implemented yet.
func (Survey) Read(in Input) ([]*Document, error) { return nil, inputErr(in.Path, 0, "not implemented") }
