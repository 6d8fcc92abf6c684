package web

import (
	"context"
	"net/http"

	"qcode/app"
)

// codeNode is a code as the codebook panel shows it: indented by its
// depth, with its codings counted alone and with its sub-codes'.
type codeNode struct {
	codeInfo
	Depth                         int
	Description, Include, Exclude string
	Examples                      []string
	Own, Total                    int
}

// examplesShown bounds the examples a code shows in the panel: the first
// few make its meaning plain, and the codebook has the rest.
const examplesShown = 3

// codeTree returns the codebook's codes in its order (codes, as s.codes
// gives them), each with how many codings of the project it has, rolled
// up for parents as 'report freq --rollup' counts them. No codes (a
// codebook that does not load) give no tree, which leaves the page
// readable.
func (s *Server) codeTree(ctx context.Context, codes []codeInfo) ([]codeNode, error) {
	if codes == nil {
		return nil, nil
	}
	counts, err := s.p.CodeTree(ctx, app.TreeOptions{})
	if err != nil {
		return nil, err
	}
	colors := colorMap(codes)
	out := make([]codeNode, len(counts))
	for i, c := range counts {
		info := codeInfo{ID: c.ID, Name: c.Name, Path: c.Path(), Color: colorIn(colors, c.ID)}
		out[i] = codeNode{codeInfo: info, Depth: c.Depth, Description: c.Description, Include: c.Include,
			Exclude: c.Exclude, Examples: c.Examples[:min(len(c.Examples), examplesShown)], Own: c.Own, Total: c.Total}
	}
	return out, nil
}

func (s *Server) codesPage(w http.ResponseWriter, r *http.Request) {
	tree, err := s.codeTree(r.Context(), s.codes())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, "codes.html", map[string]any{"Tree": tree})
}
