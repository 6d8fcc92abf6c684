package corpus

// Docx is a placeholder until its reader lands.
type Docx struct{}

// Read is not implemented yet.
func (Docx) Read(in Input) ([]*Document, error) { return nil, inputErr(in.Path, 0, "not implemented") }
