package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"qcode"
	"qcode/app"
)

// codingRequest is what the page POSTs to /api/codings: a span of a
// source in characters (code points), the code and the coder. Exact keeps
// the span as selected; else it grows to whole words.
type codingRequest struct {
	Source string `json:"source"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Code   string `json:"code"`
	Coder  string `json:"coder"`
	Exact  bool   `json:"exact"`
}

// removeRequest names a coding to remove or reject, by its segment as
// listed; Coder is who removes (their own coding) or rejects (the rules').
type removeRequest struct {
	Segment string `json:"segment"`
	Code    string `json:"code"`
	Coder   string `json:"coder"`
}

// codingReply is a coding added or removed, as the page gets it back.
type codingReply struct {
	Segment string `json:"segment"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Code    string `json:"code"`
	Coder   string `json:"coder"`
	Changed bool   `json:"changed"`
}

// maxRequest bounds a request's body: a coding is a few short fields.
const maxRequest = 1 << 16

// decode reads the request's JSON into v, and checks that the coder it
// names is given: the page asks for one before it sends.
func decode(w http.ResponseWriter, r *http.Request, v any, coder *string) error {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return qcode.Errorf(qcode.EINVALID, "send the request as application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return qcode.Errorf(qcode.EINVALID, "the request is not the JSON expected: %v", err)
	}
	if strings.TrimSpace(*coder) == "" {
		return qcode.FieldError("coder", "", "missing; say who is coding")
	}
	return nil
}

func (s *Server) addCoding(w http.ResponseWriter, r *http.Request) {
	var req codingRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	code, err := s.codeID(req.Code)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	start, end := req.Start, req.End
	if !req.Exact {
		src, err := s.p.Source(r.Context(), req.Source)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		start, end = snap([]rune(src.Text), start, end)
	}
	res, err := s.p.AddCoding(r.Context(), app.CodingOptions{Segment: fmt.Sprintf("%s:%d-%d", req.Source, start, end), Code: code, Coder: req.Coder})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply(res))
}

func (s *Server) removeCoding(w http.ResponseWriter, r *http.Request) {
	s.changeCoding(w, r, s.p.RemoveCoding)
}

func (s *Server) rejectCoding(w http.ResponseWriter, r *http.Request) {
	s.changeCoding(w, r, s.p.RejectCoding)
}

// changeCoding does to the coding a removeRequest names what change does.
func (s *Server) changeCoding(w http.ResponseWriter, r *http.Request, change func(context.Context, app.CodingOptions) (*app.CodingResult, error)) {
	var req removeRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	res, err := change(r.Context(), app.CodingOptions{Segment: req.Segment, Code: req.Code, Coder: req.Coder})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply(res))
}

func reply(res *app.CodingResult) codingReply {
	c := res.Coding
	return codingReply{Segment: c.Segment(), Start: c.Start, End: c.End, Code: c.Code, Coder: c.Coder, Changed: res.Changed}
}

// codeID reads the picker's value: a code's id, or its name or path when
// they name one code. Anything else is left for AddCoding to refuse with
// the codebook's words and the nearest ids.
func (s *Server) codeID(given string) (string, error) {
	given = strings.TrimSpace(given)
	if given == "" {
		return "", qcode.FieldError("code", "", "missing; choose a code")
	}
	var found []string
	for _, c := range s.codes() {
		if c.ID == given {
			return given, nil
		}
		if strings.EqualFold(c.Name, given) || strings.EqualFold(c.Path, given) {
			found = append(found, c.ID)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	if len(found) > 1 {
		return "", &qcode.Error{Code: qcode.EINVALID, Field: "code", Value: given, Near: found, Message: "names more than one code; choose one by its id"}
	}
	return given, nil
}

// snap grows [start, end) of text to whole words, and trims the spaces a
// selection often takes in at its ends. A span outside text, or one that
// holds only spaces, is left as it is for the store to judge.
func snap(text []rune, start, end int) (int, int) {
	if start < 0 || end > len(text) || start >= end {
		return start, end
	}
	a, b := start, end
	for a < b && unicode.IsSpace(text[a]) {
		a++
	}
	for b > a && unicode.IsSpace(text[b-1]) {
		b--
	}
	if a == b {
		return start, end
	}
	for a > 0 && inWord(text, a-1) && inWord(text, a) {
		a--
	}
	for b < len(text) && inWord(text, b-1) && inWord(text, b) {
		b++
	}
	return a, b
}

// inWord says whether text[i] belongs to a word: a letter, digit or mark,
// or an apostrophe or hyphen between two of them ("don't", "well-being").
func inWord(text []rune, i int) bool {
	if wordRune(text[i]) {
		return true
	}
	switch text[i] {
	case '\'', '’', '-':
		return i > 0 && i+1 < len(text) && wordRune(text[i-1]) && wordRune(text[i+1])
	}
	return false
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}
