package app

// Progress hears how far long work has got: a terminal shows a line that
// rewrites itself, the browser workspace sends events. Nil is allowed and
// hears nothing.
type Progress interface {
	// Step says that the work is at item n of total (counting from 1) of
	// stage, naming the item (a file's name) and, for an import, the words
	// stored so far.
	Step(s Step)
	// Done says that the work has ended, well or not.
	Done()
}

// Step is one report of progress.
type Step struct {
	Stage string // "checking", "importing", "indexing"
	N     int    // the item being worked on, from 1; 0 for a stage without items; for StageIndex the sources indexed so far
	Total int    // how many items the stage has
	Item  string // the item's name
	Words int    // words stored so far
	// Sentences is, for StageIndex, the sentences indexed so far, told
	// every few thousand as a long source is indexed as well as after
	// each source.
	Sentences int
}

// The stages of an import.
const (
	StageCheck  = "checking"
	StageImport = "importing"
	StageIndex  = "indexing"
)

type noProgress struct{}

func (noProgress) Step(Step) {}
func (noProgress) Done()     {}

func orNone(p Progress) Progress {
	if p == nil {
		return noProgress{}
	}
	return p
}
