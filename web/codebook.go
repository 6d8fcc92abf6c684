package web

import (
	"context"
	"net/http"

	"qcode/app"
	"qcode/codebook"
	"qcode/coding"
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

// codeTree returns the codebook's codes in its order, each with how many
// codings of the project it has, rolled up for parents as
// 'report freq --rollup' counts them. A codebook that does not load
// gives no tree, which leaves the page readable.
func (s *Server) codeTree(ctx context.Context, list *app.Listing) ([]codeNode, error) {
	cb, err := s.p.Codebook()
	if err != nil {
		return nil, nil
	}
	if list == nil {
		if list, err = s.p.ListCodings(ctx, app.ListOptions{}); err != nil {
			return nil, err
		}
	}
	own := countByCode(list.Codings)
	colors := codeInfos(cb.Codebook)
	var out []codeNode
	var walk func(c *codebook.Code, depth int) int
	walk = func(c *codebook.Code, depth int) int {
		i := len(out)
		n := codeNode{codeInfo: colors[i], Depth: depth, Description: c.Description, Include: c.Include,
			Exclude: c.Exclude, Examples: c.Examples[:min(len(c.Examples), examplesShown)], Own: own[c.ID]}
		out = append(out, n)
		total := n.Own
		for _, sub := range c.Codes {
			total += walk(sub, depth+1)
		}
		out[i].Total = total
		return total
	}
	for _, c := range cb.Codes {
		walk(c, 0)
	}
	return out, nil
}

func countByCode(cs []coding.Coding) map[string]int {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Code]++
	}
	return n
}

func (s *Server) codesPage(w http.ResponseWriter, r *http.Request) {
	tree, err := s.codeTree(r.Context(), nil)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, "codes.html", map[string]any{"Tree": tree})
}
