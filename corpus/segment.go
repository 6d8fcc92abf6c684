package corpus

// Segment fills the paragraphs, sentences and tokens of every turn.
func Segment(d *Document) {}
