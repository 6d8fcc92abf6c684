package codebook

// Codebook is a tree of codes and the settings that govern their rules.
type Codebook struct {
	Name        string
	Description string
	Match       MatchMode // how rule words meet text words
	Negation    Negation
	Codes       []*Code // top-level codes; children hang below
}

// MatchMode says how a rule's words are compared with the text's tokens.
type MatchMode string

// Match modes.
const (
	MatchExact MatchMode = "exact" // the surface form, case-insensitive, apostrophes normalised
	MatchStem  MatchMode = "stem"  // English Snowball stems of both
)

// Negation configures how negated matches are recognised: a match is negated
// when one of Cues stands within Window tokens before it in its sentence.
type Negation struct {
	Window int
	Cues   []string // single words ("not", "n't") or phrases ("lack of")
}

// DefaultNegationWindow is how many tokens before a match a cue may stand.
const DefaultNegationWindow = 3

// DefaultNegationCues are the cues used when a codebook names none.
var DefaultNegationCues = []string{
	"not", "no", "never", "n't", "without", "nobody", "nothing", "none",
	"neither", "nor", "hardly", "barely", "scarcely", "cannot", "nowhere",
	"lack of", "lacked", "lacking", "absence of", "rather than", "instead of",
}

// NegationMode says what a code does with negated matches.
type NegationMode string

// Negation modes.
const (
	NegationSkip NegationMode = "skip" // negated matches do not code (default)
	NegationKeep NegationMode = "keep" // negated matches code like others
	NegationOnly NegationMode = "only" // only negated matches code
)

// Code is one code of the tree.
type Code struct {
	ID              string // stable slug, unique in the codebook
	Name            string
	Description     string
	Include         string // when to apply it
	Exclude         string // when not to
	Examples        []string
	Counterexamples []string
	Color           string // #RRGGBB, "" for none
	// GUID is the code's REFI-QDA GUID when another tool gave it one, kept
	// so the code is the same code there after a round trip; "" means the
	// GUID made from the id (CodeGUID).
	GUID string
	Rule string // "" for a code applied only by hand
	// ByPeople marks a code that no passage-level rule can decide (auto:
	// false in the codebook file): it has no rule, the rules never code it,
	// and lists and reports say it is coded by people.
	ByPeople bool
	Negation NegationMode
	Codes    []*Code
	Parent   *Code

	Pos     Pos // where the code starts in its file
	RulePos Pos // where its rule's text starts, for positioned rule errors
}

// CodedByPeople is how lists, reports and workbooks mark a code with
// ByPeople set, in place of its rule.
const CodedByPeople = "coded by people"

// ByPeople returns the codes that are coded by people, in tree order.
func (cb *Codebook) ByPeople() []*Code {
	var out []*Code
	cb.Walk(func(c *Code) {
		if c.ByPeople {
			out = append(out, c)
		}
	})
	return out
}

// Pos is a 1-based line and column in a codebook file; the zero Pos is unknown.
type Pos struct {
	Line, Col int
}

// QDCGUID returns the GUID the code has in REFI-QDA files: its own GUID,
// or else the one made from its id.
func (c *Code) QDCGUID() string {
	if c.GUID != "" {
		return c.GUID
	}
	return CodeGUID(c.ID)
}

// Path returns the code's display path: "Barriers > Risk aversion".
func (c *Code) Path() string {
	if c.Parent == nil {
		return c.Name
	}
	return c.Parent.Path() + " > " + c.Name
}

// Depth returns 1 for a top-level code, 2 for its children, and so on.
func (c *Code) Depth() int {
	d := 1
	for p := c.Parent; p != nil; p = p.Parent {
		d++
	}
	return d
}

// Walk calls fn for every code in depth-first order, parents before children.
func (cb *Codebook) Walk(fn func(*Code)) {
	var walk func([]*Code)
	walk = func(cs []*Code) {
		for _, c := range cs {
			fn(c)
			walk(c.Codes)
		}
	}
	walk(cb.Codes)
}

// Code returns the code with the given id, or nil.
func (cb *Codebook) Code(id string) *Code {
	var found *Code
	cb.Walk(func(c *Code) {
		if c.ID == id && found == nil {
			found = c
		}
	})
	return found
}
