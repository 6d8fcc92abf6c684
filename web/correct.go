package web

import (
	"net/http"

	"qcode/app"
)

// turnEditRequest is what the page POSTs to /api/sources/{name}/edit: a
// turn's new text, against the source's hash as the page has it.
type turnEditRequest struct {
	Turn     int    `json:"turn"`
	Text     string `json:"text"`
	Hash     string `json:"hash"`
	Coder    string `json:"coder"`
	DropLost bool   `json:"drop_lost"`
}

// editTurn corrects the text of one turn through app.EditTurn. The reply
// is the correction (the codings moved, and those changed or removed, for
// the page to list for review) with the turn's span before and after and
// the source's new hash, so that the page can swap in the turn and what
// follows it.
func (s *Server) editTurn(w http.ResponseWriter, r *http.Request) {
	var req turnEditRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	res, err := s.p.EditTurn(r.Context(), app.EditTurnOptions{Source: r.PathValue("name"), Turn: req.Turn, Text: req.Text,
		Hash: req.Hash, Coder: req.Coder, DropLost: req.DropLost})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
