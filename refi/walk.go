package refi

import (
	"encoding/xml"
)

// walkProject reads the Project element start opens into p, as
// d.DecodeElement(p, &start) would, but walks the sources, selections,
// codings and notes by hand: a large project holds a hundred thousand of
// them, and encoding/xml's reflection cost as much as reading the XML
// itself. The rest (users, the codebook, variables, cases) is small and is
// decoded as before. Elements are matched by local name and attributes
// too, the last of two winning, as encoding/xml matches them; unknown
// elements are skipped.
func walkProject(d *xml.Decoder, start xml.StartElement, p *xProject) error {
	w := &walker{d: d, same: map[string]string{}}
	return w.project(start, p)
}

// walker walks a project.
type walker struct {
	d *xml.Decoder
	// same holds one copy of each value of the attributes that repeat
	// across a project's selections and codings (users, times, codes),
	// which would otherwise be held once per element.
	same map[string]string
}

// one returns the one copy of s. Where the values do not repeat (each
// coding made at its own time), it stops taking new ones.
func (w *walker) one(s string) string {
	if t, ok := w.same[s]; ok {
		return t
	}
	if len(w.same) < 4096 {
		w.same[s] = s
	}
	return s
}

func (w *walker) project(start xml.StartElement, p *xProject) error {
	d := w.d
	p.XMLName = start.Name
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "name":
			p.Name = a.Value
		case "origin":
			p.Origin = a.Value
		case "creatingUserGUID":
			p.Creator = a.Value
		}
	}
	return children(d, func(t xml.StartElement) error {
		switch t.Name.Local {
		case "Users", "CodeBook", "Variables", "Cases":
			return decodePart(d, &t, p)
		case "Sources":
			return children(d, func(t xml.StartElement) error {
				if t.Name.Local == "TextSource" {
					p.Sources.Text = append(p.Sources.Text, xText{})
					return w.text(t, &p.Sources.Text[len(p.Sources.Text)-1])
				}
				o := xOther{XMLName: t.Name}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "guid":
						o.GUID = a.Value
					case "name":
						o.Name = a.Value
					}
				}
				p.Sources.Other = append(p.Sources.Other, o)
				return d.Skip()
			}, nil)
		case "Notes":
			return children(d, func(t xml.StartElement) error {
				if t.Name.Local != "Note" {
					return d.Skip()
				}
				p.Notes = append(p.Notes, xText{})
				return w.text(t, &p.Notes[len(p.Notes)-1])
			}, nil)
		case "NoteRef":
			p.NoteRefs = append(p.NoteRefs, ref(t))
			return d.Skip()
		}
		return d.Skip()
	}, nil)
}

// decodePart decodes the Users, CodeBook, Variables or Cases element t
// opens into p by encoding/xml's reflection: they are small, and the fast
// reader (scan.go) hands them here too.
func decodePart(d *xml.Decoder, t *xml.StartElement, p *xProject) error {
	switch t.Name.Local {
	case "Users":
		var w struct {
			Users []xUser `xml:"User"`
		}
		err := d.DecodeElement(&w, t)
		p.Users = append(p.Users, w.Users...)
		return err
	case "CodeBook":
		if p.CodeBook == nil {
			p.CodeBook = new(xCodeBook)
		}
		return d.DecodeElement(p.CodeBook, t)
	case "Variables":
		var w struct {
			Variables []xVariable `xml:"Variable"`
		}
		err := d.DecodeElement(&w, t)
		p.Variables = append(p.Variables, w.Variables...)
		return err
	case "Cases":
		var w struct {
			Cases []xCase `xml:"Case"`
		}
		err := d.DecodeElement(&w, t)
		p.Cases = append(p.Cases, w.Cases...)
		return err
	}
	return d.Skip()
}

// decodeValue decodes the VariableValue element t opens into x's values.
func decodeValue(d *xml.Decoder, t *xml.StartElement, x *xText) error {
	var v xValue
	err := d.DecodeElement(&v, t)
	x.Values = append(x.Values, v)
	return err
}

// children calls elem for each element directly inside the one just
// opened, which must read it to its end (or Skip it), and comment for each
// comment directly inside (nil: comments are dropped); it returns once the
// element closes.
func children(d *xml.Decoder, elem func(xml.StartElement) error, comment func(xml.Comment)) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := elem(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.Comment:
			if comment != nil {
				comment(t)
			}
		}
	}
}

// chardata reads the text directly inside the element just opened, to its
// end, as encoding/xml reads an element into a string: the text of
// elements inside it is left out.
func chardata(d *xml.Decoder) (string, error) {
	var b []byte
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b = append(b, t...)
		case xml.StartElement:
			if err := d.Skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			return string(b), nil
		}
	}
}

// chardataTo reads chardata into *p, made when nil.
func chardataTo(d *xml.Decoder, p **string) error {
	s, err := chardata(d)
	if *p == nil {
		*p = new(string)
	}
	**p = s
	return err
}

func ref(t xml.StartElement) xRef {
	var r xRef
	setRef(&r, t)
	return r
}

// setRef sets r from t's attributes, keeping what t does not set, as a
// second element decoded into the same value does.
func setRef(r *xRef, t xml.StartElement) {
	for _, a := range t.Attr {
		if a.Name.Local == "targetGUID" {
			r.Target = a.Value
		}
	}
}

// text reads a TextSource or a Note.
func (w *walker) text(start xml.StartElement, x *xText) error {
	d := w.d
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "guid":
			x.GUID = a.Value
		case "name":
			x.Name = a.Value
		case "richTextPath":
			x.RichTextPath = a.Value
		case "plainTextPath":
			x.PlainPath = a.Value
		case "creatingUser":
			x.Creator = a.Value
		case "creationDateTime":
			x.Created = a.Value
		case "modifiedDateTime":
			x.Modified = a.Value
		}
	}
	return children(d, func(t xml.StartElement) error {
		switch t.Name.Local {
		case "PlainTextContent":
			return chardataTo(d, &x.Content)
		case "PlainTextSelection":
			x.Selections = append(x.Selections, xSelection{})
			return w.selection(t, &x.Selections[len(x.Selections)-1])
		case "Coding":
			x.Codings = append(x.Codings, xCoding{})
			return w.coding(t, &x.Codings[len(x.Codings)-1])
		case "NoteRef":
			x.NoteRefs = append(x.NoteRefs, ref(t))
			return d.Skip()
		case "VariableValue":
			return decodeValue(d, &t, x)
		}
		return d.Skip()
	}, func(c xml.Comment) { x.Comments += string(c) })
}

func (w *walker) selection(start xml.StartElement, s *xSelection) error {
	d := w.d
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "guid":
			s.GUID = a.Value
		case "name":
			s.Name = a.Value
		case "startPosition":
			s.Start = a.Value
		case "endPosition":
			s.End = a.Value
		case "creatingUser":
			s.Creator = w.one(a.Value)
		case "creationDateTime":
			s.Created = w.one(a.Value)
		}
	}
	return children(d, func(t xml.StartElement) error {
		switch t.Name.Local {
		case "Description":
			return chardataTo(d, &s.Description)
		case "Coding":
			s.Codings = append(s.Codings, xCoding{})
			return w.coding(t, &s.Codings[len(s.Codings)-1])
		case "NoteRef":
			s.NoteRefs = append(s.NoteRefs, ref(t))
			return d.Skip()
		}
		return d.Skip()
	}, func(c xml.Comment) { s.Comments = w.one(s.Comments + string(c)) })
}

func (w *walker) coding(start xml.StartElement, c *xCoding) error {
	d := w.d
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "guid":
			c.GUID = a.Value
		case "creatingUser":
			c.Creator = w.one(a.Value)
		case "creationDateTime":
			c.Created = w.one(a.Value)
		}
	}
	return children(d, func(t xml.StartElement) error {
		if t.Name.Local == "CodeRef" {
			if c.CodeRef == nil {
				c.CodeRef = new(xRef)
			}
			setRef(c.CodeRef, t)
			c.CodeRef.Target = w.one(c.CodeRef.Target)
		}
		return d.Skip()
	}, nil)
}
