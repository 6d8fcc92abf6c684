package pseudonym

import "fmt"

// Kind is what an item identifies.
type Kind string

// Kinds of identifying items.
const (
	Speaker      Kind = "speaker" // a name a speaker label gives
	Person       Kind = "person"
	Place        Kind = "place"
	Organisation Kind = "organisation" // hospitals, trusts, universities, clinics
	Email        Kind = "email"
	Phone        Kind = "phone"
	NHSNumber    Kind = "nhs_number"
	DateOfBirth  Kind = "date_of_birth"
	Postcode     Kind = "postcode"
)

// Kinds lists every kind, in the order lists show them.
var Kinds = []Kind{Speaker, Person, Place, Organisation, Email, Phone, NHSNumber, DateOfBirth, Postcode}

// isName reports whether items of kind k are names, matched only where
// they are written with a capital (so "grace" the word is not "Grace")
// and compared ignoring case.
func (k Kind) isName() bool {
	switch k {
	case Speaker, Person, Place, Organisation:
		return true
	}
	return false
}

// label is the stem of the replacement an item of kind k gets; letters
// reports whether it is numbered A, B, … rather than 1, 2, ….
func (k Kind) label(org string) (stem string, letters bool) {
	switch k {
	case Speaker:
		return "Participant", false
	case Person:
		return "Person", false
	case Place:
		return "Town", false
	case Organisation:
		return org, true
	case Email:
		return "Email", false
	case Phone:
		return "Phone", false
	case NHSNumber:
		return "NHS number", false
	case DateOfBirth:
		return "Date of birth", false
	case Postcode:
		return "Postcode", false
	}
	return "Name", false
}

// numbering hands out the replacements of one stem in order of first
// occurrence.
type numbering map[string]int

func (n numbering) next(stem string, letters bool) string {
	n[stem]++
	i := n[stem]
	if !letters {
		return fmt.Sprintf("[%s %d]", stem, i)
	}
	s := ""
	for ; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return fmt.Sprintf("[%s %s]", stem, s)
}
