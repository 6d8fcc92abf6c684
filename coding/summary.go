package coding

import "time"

// Summary is an analyst's summary of one cell of the Framework matrix:
// what a case says on a theme, in the analyst's words, as the Framework
// Method asks (Gale et al. 2013). It names the case by name and the theme
// by its code's id, so that imports and rules runs keep it; a case holds
// one summary per theme.
type Summary struct {
	Case      string    `json:"case"`
	Theme     string    `json:"theme"` // the theme's code id
	Coder     string    `json:"coder"` // who wrote it first
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Text      string    `json:"text"`
}

// MaxSummary is the most characters a summary holds: a Framework cell is
// read at a glance, beside its quotes' references, and a spreadsheet's
// cell shows about a thousand characters before it cuts them off.
const MaxSummary = 800
