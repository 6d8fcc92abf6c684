package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

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
	// Hash is the source's hash as the page has it: a re-import since the
	// page was loaded is refused, since its offsets may name other text.
	Hash string `json:"hash"`
}

// changeRequest names a person's coding and what it becomes: NewCode, or
// the span [Start, End) of its source, or both.
type changeRequest struct {
	Segment string `json:"segment"`
	Code    string `json:"code"`
	Coder   string `json:"coder"`
	NewCode string `json:"new_code"`
	Start   *int   `json:"start"`
	End     *int   `json:"end"`
	Exact   bool   `json:"exact"`
	Hash    string `json:"hash"`
}

// codeRequest is a new code, made from the picker.
type codeRequest struct {
	Name        string `json:"name"`
	Parent      string `json:"parent"`
	Color       string `json:"color"`
	Description string `json:"description"`
	Coder       string `json:"coder"`
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
	res, err := s.p.AddCoding(r.Context(), app.CodingOptions{Segment: fmt.Sprintf("%s:%d-%d", req.Source, req.Start, req.End),
		Code: req.Code, Coder: req.Coder, Snap: !req.Exact, Hash: req.Hash})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply(res))
}

func (s *Server) changeCodingPlace(w http.ResponseWriter, r *http.Request) {
	var req changeRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	o := app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: req.Segment, Code: req.Code, Coder: req.Coder, Snap: !req.Exact, Hash: req.Hash},
		NewCode: req.NewCode}
	if (req.Start == nil) != (req.End == nil) {
		s.failErr(w, r, qcode.FieldError("span", "", "give both its start and its end, or neither"))
		return
	}
	if req.Start != nil {
		source, _, _ := strings.Cut(req.Segment, ":")
		o.NewSegment = fmt.Sprintf("%s:%d-%d", source, *req.Start, *req.End)
	}
	res, err := s.p.ChangeCoding(r.Context(), o)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply(res))
}

// newCode adds a code to the codebook; the page then codes with it.
func (s *Server) newCode(w http.ResponseWriter, r *http.Request) {
	var req codeRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	c, err := s.p.AddCode(r.Context(), app.NewCodeOptions{Name: req.Name, Parent: req.Parent, Color: req.Color, Description: req.Description})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": c.ID, "path": c.Path(), "color": c.Color})
}

func (s *Server) removeCoding(w http.ResponseWriter, r *http.Request) {
	s.changeCoding(w, r, s.p.RemoveCoding)
}

func (s *Server) rejectCoding(w http.ResponseWriter, r *http.Request) {
	s.changeCoding(w, r, s.p.RejectCoding)
}

func (s *Server) acceptCoding(w http.ResponseWriter, r *http.Request) {
	s.changeCoding(w, r, s.p.AcceptCoding)
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

// suggestionRequest names a suggestion to accept or reject, by its id, and
// who does it.
type suggestionRequest struct {
	ID    int64  `json:"id"`
	Coder string `json:"coder"`
}

func (s *Server) acceptSuggestion(w http.ResponseWriter, r *http.Request) {
	s.decideSuggestion(w, r, s.p.AcceptSuggestions)
}

func (s *Server) rejectSuggestion(w http.ResponseWriter, r *http.Request) {
	s.decideSuggestion(w, r, s.p.RejectSuggestions)
}

// decideSuggestion does to the suggestion a suggestionRequest names what
// decide does.
func (s *Server) decideSuggestion(w http.ResponseWriter, r *http.Request, decide func(context.Context, app.SuggestionsOptions) (*app.SuggestionsResult, error)) {
	var req suggestionRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	if req.ID <= 0 {
		s.failErr(w, r, qcode.FieldError("id", fmt.Sprint(req.ID), "missing: name the suggestion by its id"))
		return
	}
	res, err := decide(r.Context(), app.SuggestionsOptions{IDs: []int64{req.ID}, Coder: req.Coder})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
