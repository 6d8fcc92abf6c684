package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"qcode"
	"qcode/codebook"
)

// NewCodeOptions describe a code a person adds to the codebook while
// coding: a code applied by hand, with no rule until someone writes one.
type NewCodeOptions struct {
	Name        string
	Parent      string // the parent's id, name or path; "" for the top level
	Color       string // #RRGGBB; "" for the palette's
	Description string
	ID          string // "" to make one from the name
}

// Check checks the options without the project.
func (o NewCodeOptions) Check() error {
	name := strings.TrimSpace(o.Name)
	switch {
	case name == "":
		return qcode.FieldError("name", "", "missing; name the new code")
	case name != o.Name:
		return qcode.FieldError("name", o.Name, "starts or ends with spaces; give it without them")
	case strings.ContainsAny(name, "\n\r\t"):
		return qcode.FieldError("name", o.Name, "holds a line break or tab; give it on one line")
	case strings.Contains(name, " > "):
		return qcode.FieldError("name", o.Name, `holds " > ", which separates a code's path; choose its parent instead`)
	case len([]rune(name)) > 120:
		return qcode.FieldError("name", o.Name, "is longer than 120 characters; give a shorter name and say more in the description")
	}
	if o.Color != "" && !codebook.ValidColor(o.Color) {
		return qcode.FieldError("color", o.Color, `is not a colour like "#4E79A7" (# and six hex digits)`)
	}
	if o.ID != "" && !codebook.ValidID(o.ID) {
		return qcode.FieldError("id", o.ID, "must be a slug: lower-case letters, digits and underscores, starting with a letter (e.g. "+codebook.IDFromName(o.ID)+")")
	}
	return nil
}

// codebookWrites keeps this process's codebook edits one at a time, so
// that two browser tabs adding codes at once both land.
var codebookWrites sync.Mutex

// AddCode adds a code to the project's codebook.yaml as text, after the
// codes already at its place, so that the file's comments, order and
// quoting stay as they were. A name its parent's codes already have, or an
// id the codebook has, is a qcode.ECONFLICT error; an id made from the
// name is made unique instead (_2, _3…).
func (p *Project) AddCode(ctx context.Context, o NewCodeOptions) (*codebook.Code, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	codebookWrites.Lock()
	defer codebookWrites.Unlock()
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	if ext := strings.ToLower(filepath.Ext(cb.Path)); ext != ".yaml" && ext != ".yml" {
		return nil, qcode.FieldError("codebook", cb.Shown, "new codes are written into a codebook.yaml; this codebook is another format (import it: qcode codebook import)")
	}
	var parent *codebook.Code
	siblings := cb.Codes
	if o.Parent != "" {
		id, err := cb.Find(o.Parent, "parent")
		if err != nil {
			return nil, err
		}
		parent = cb.Code(id)
		siblings = parent.Codes
	}
	for _, c := range siblings {
		if strings.EqualFold(c.Name, o.Name) {
			where := "the top level"
			if parent != nil {
				where = parent.Path()
			}
			return nil, &qcode.Error{Code: qcode.ECONFLICT, Field: "name", Value: o.Name,
				Message: fmt.Sprintf("%s already has a code so named (%s); choose it, or give another name", where, c.ID)}
		}
	}
	id := o.ID
	if id == "" {
		base := codebook.IDFromName(o.Name)
		id = base
		for n := 2; cb.Code(id) != nil; n++ {
			id = base + "_" + strconv.Itoa(n)
		}
	} else if c := cb.Code(id); c != nil {
		return nil, &qcode.Error{Code: qcode.ECONFLICT, Field: "id", Value: id,
			Message: fmt.Sprintf("the codebook has it already (%s); give another id, or none to make one from the name", c.Path())}
	}
	n := &codebook.Code{ID: id, Name: o.Name, Description: o.Description, Color: o.Color}
	if parent != nil {
		n.Parent = &codebook.Code{ID: parent.ID}
	}
	added, _ := codebook.Merge(cb.Codebook, &codebook.Codebook{Codes: []*codebook.Code{n}})
	out, err := codebook.SaveMerged(cb.Data, cb.Codebook, added)
	if err != nil {
		return nil, err
	}
	back, err := codebook.Load(cb.Shown, out)
	if err != nil {
		return nil, fmt.Errorf("internal error: the codebook with the new code does not load back (%v); nothing was written", err)
	}
	if _, err := codebook.NewMatcher(back); err != nil {
		return nil, fmt.Errorf("internal error: the codebook with the new code does not compile (%v); nothing was written", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := WriteFile(cb.Path, out); err != nil {
		return nil, err
	}
	return back.Code(id), nil
}
