package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/coding/agree"
	"qcode/table"
	"qcode/textfile"
)

// ValidateOnOptions say which labelled texts to measure a codebook on.
type ValidateOnOptions struct {
	// File holds the texts and the codes a person gave each: CSV, TSV or
	// XLSX with the columns text and codes (separated by ; or |) and an
	// optional id, or JSON lines {"id": …, "text": …, "codes": […]}
	// (.jsonl or .ndjson).
	File string
	// Rollup counts a code, the person's and the rules', for each of its
	// ancestors too, so that a parent is measured on its whole subtree.
	// Without it each code is measured on itself alone.
	Rollup bool
}

// Validity is how well a codebook's rules find the codes people gave a
// labelled set of texts, each text coded whole as one segment.
type Validity struct {
	File string `json:"file"`
	// Encoding is the encoding the file was read as when it is not UTF-8
	// ("Windows-1252" is a guess a front end should show), else "".
	Encoding string         `json:"encoding,omitempty"`
	Codebook string         `json:"codebook"`
	Texts    int            `json:"texts"`
	Rollup   bool           `json:"rollup"`
	Codes    []CodeValidity `json:"codes"`     // codes given or found, in codebook order
	ByPeople []string       `json:"by_people"` // codes given that are coded by people: not measured
	Micro    coding.Scores  `json:"micro"`
	Macro    coding.Scores  `json:"macro"`
	Errors   []TextError    `json:"errors"` // by code, then in file order
}

// CodeValidity is one code's figures; Gold is its support, the texts the
// person gave it.
type CodeValidity struct {
	coding.CodeValidation
	Path    string `json:"path"`
	HasRule bool   `json:"has_rule"` // false: the rules never give it, so its recall is 0
}

// TextError is a false positive (the rules gave the code, the person did
// not) or a false negative (the reverse) on one text.
type TextError struct {
	ID      string   `json:"id"`
	Code    string   `json:"code"`
	Kind    string   `json:"kind"` // false_positive or false_negative
	Text    string   `json:"text"`
	Matched []string `json:"matched,omitempty"` // false positives: the tokens the rule matched
}

// labelled is one text of the set and the codes the person gave it.
type labelled struct {
	id    string
	where string // file:line, for errors
	text  string
	codes []string
}

// ValidateOn runs the codebook of opts (its Codebook file, else the
// project's) over every text of o.File, as `qcode code` codes a segment,
// and measures it against the codes in the file, code by code: precision,
// recall, F1 and Cohen's kappa over the texts, micro and macro averages,
// and every false positive and negative. It needs no project. A code the
// codebook lacks, a row without text, or a file it cannot read is a
// qcode.EINVALID error naming the row.
func ValidateOn(ctx context.Context, opts Options, o ValidateOnOptions) (*Validity, error) {
	if o.File == "" {
		return nil, qcode.FieldError("file", "", "name the file of labelled texts (CSV or JSON lines with text and codes)")
	}
	if opts.Codebook == "" {
		if _, err := CodebookPath(opts); qcode.ErrorCode(err) == qcode.ENOTFOUND {
			return nil, qcode.FieldError("codebook", "", "measuring a codebook outside a project needs a codebook file")
		}
	}
	cb, err := OpenCodebook(opts)
	if err != nil {
		return nil, err
	}
	m, err := cb.Matcher()
	if err != nil {
		return nil, err
	}
	data, err := readInput(o.File, DefaultMaxFileSize, "")
	if err != nil {
		return nil, err
	}
	var rows []labelled
	switch strings.ToLower(filepath.Ext(o.File)) {
	case ".jsonl", ".ndjson":
		rows, err = readLabelledJSONL(o.File, data)
	default:
		rows, err = readLabelledTable(o.File, data)
	}
	if err != nil {
		return nil, err
	}
	resolve := codeResolver(cb.Codebook)
	gold := make([][]*codebook.Code, len(rows))
	for i, r := range rows {
		for _, c := range r.codes {
			code := resolve(c)
			if code == nil {
				return nil, &qcode.Error{Code: qcode.EINVALID, Value: c, Near: cb.IDs(),
					Message: fmt.Sprintf("%s: unknown code %q", r.where, c)}
			}
			gold[i] = append(gold[i], code)
		}
	}

	v := &Validity{File: o.File, Encoding: encodingOf(data), Codebook: cb.Shown, Texts: len(rows), Rollup: o.Rollup, Codes: []CodeValidity{}, Errors: []TextError{}}
	ids := cb.IDs()
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	presence := make([]agree.Presence, len(ids))
	used := make([]bool, len(ids))
	errs := make([][]TextError, len(ids))
	var hits []codebook.Hit
	for i, r := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		want := map[int]bool{}
		for _, c := range gold[i] {
			for ; c != nil; c = c.Parent {
				want[index[c.ID]] = true
				if !o.Rollup {
					break
				}
			}
		}
		u := coding.Passage(r.text)
		hits = m.Match(u, hits[:0])
		got := map[int][]string{}
		for _, h := range hits {
			matched := matchedTokens(u, h)
			for c := h.Code; c != nil; c = c.Parent {
				k := index[c.ID]
				got[k] = appendNew(got[k], matched...)
				if !o.Rollup {
					break
				}
			}
		}
		for k := range ids {
			w, g := want[k], got[k] != nil
			if w || g {
				used[k] = true
			}
			switch {
			case w && g:
				presence[k].Both++
			case w:
				presence[k].OnlyA++
				errs[k] = append(errs[k], TextError{ID: r.id, Code: ids[k], Kind: coding.FalseNegative, Text: r.text})
			case g:
				presence[k].OnlyB++
				errs[k] = append(errs[k], TextError{ID: r.id, Code: ids[k], Kind: coding.FalsePositive, Text: r.text, Matched: got[k]})
			default:
				presence[k].Neither++
			}
		}
	}
	var measured []coding.CodeValidation
	v.ByPeople = []string{}
	for k, id := range ids {
		if !used[k] {
			continue
		}
		code := cb.Code(id)
		// The rules never give a code coded by people (auto: false): its
		// recall would be 0 by design, not by a fault of the rules, so it
		// is listed apart rather than pulling the averages down.
		if code.ByPeople {
			v.ByPeople = append(v.ByPeople, id)
			continue
		}
		cv, err := coding.MeasureCode(id, presence[k])
		if err != nil {
			return nil, err
		}
		v.Codes = append(v.Codes, CodeValidity{CodeValidation: cv, Path: code.Path(), HasRule: hasRule(code, o.Rollup)})
		measured = append(measured, cv)
		v.Errors = append(v.Errors, errs[k]...)
	}
	v.Micro, v.Macro = coding.Averages(measured)
	return v, nil
}

// hasRule reports whether the rules can give code: it has a rule, or,
// rolled up, one of its descendants has.
func hasRule(c *codebook.Code, rollup bool) bool {
	if c.Rule != "" {
		return true
	}
	if rollup {
		return slices.ContainsFunc(c.Codes, func(k *codebook.Code) bool { return hasRule(k, true) })
	}
	return false
}

// matchedTokens lists the tokens of u that h's matches used, each once.
func matchedTokens(u codebook.Passage, h codebook.Hit) []string {
	var out []string
	for _, m := range h.Matches {
		for _, t := range m.Tokens {
			out = appendNew(out, u.Tokens[t])
		}
	}
	return out
}

func appendNew(list []string, ss ...string) []string {
	if list == nil {
		list = []string{}
	}
	for _, s := range ss {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

// codeResolver finds a code given by its id, or by its name or path
// written as in the codebook (case aside), as a team's spreadsheet may.
func codeResolver(cb *codebook.Codebook) func(string) *codebook.Code {
	byName := map[string]*codebook.Code{}
	twice := map[string]bool{}
	cb.Walk(func(c *codebook.Code) {
		for _, k := range []string{strings.ToLower(c.Name), strings.ToLower(c.Path())} {
			if byName[k] != nil && byName[k] != c {
				twice[k] = true
			}
			byName[k] = c
		}
	})
	return func(s string) *codebook.Code {
		if c := cb.Code(s); c != nil {
			return c
		}
		k := strings.ToLower(s)
		if twice[k] {
			return nil
		}
		return byName[k]
	}
}

// splitCodes splits a cell of codes at ; or |.
func splitCodes(cell string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '|' }) {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// readLabelledTable reads labelled texts from a CSV, TSV or XLSX table
// with the columns text and codes and maybe id.
func readLabelledTable(path string, data []byte) ([]labelled, error) {
	t, err := table.Read(path, data, table.Options{Sheets: []string{"quotes", "texts"},
		Layout: "a header row (id, text, codes) and one row per text"})
	if err != nil {
		return nil, err
	}
	col := func(name string) int {
		return slices.IndexFunc(t.Header, func(h string) bool { return strings.EqualFold(h, name) })
	}
	ti, ci, ii := col("text"), col("codes"), col("id")
	if ti < 0 || ci < 0 {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: needs the columns text and codes (its header is %s)", ShownPath(path), strings.Join(t.Header, ", "))
	}
	rows := make([]labelled, 0, len(t.Rows))
	for i := range t.Rows {
		r := &t.Rows[i]
		l := labelled{id: strconv.Itoa(r.Line), where: t.Where(r, ci), text: strings.TrimSpace(r.Cells[ti]), codes: splitCodes(r.Cells[ci])}
		if ii >= 0 && strings.TrimSpace(r.Cells[ii]) != "" {
			l.id = strings.TrimSpace(r.Cells[ii])
		}
		if l.text == "" {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: no text; give each row the text its codes are for", t.Where(r, ti))
		}
		rows = append(rows, l)
	}
	return rows, nil
}

// readLabelledJSONL reads labelled texts from JSON lines.
func readLabelledJSONL(path string, data []byte) ([]labelled, error) {
	text, err := textfile.Decode(path, data)
	if err != nil {
		return nil, err
	}
	shown := ShownPath(path)
	var rows []labelled
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, coding.DefaultMaxLine)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		where := shown + ":" + strconv.Itoa(n)
		var rec struct {
			ID    json.RawMessage `json:"id"`
			Text  *string         `json:"text"`
			Codes any             `json:"codes"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, `%s: not a JSON object such as {"id": 1, "text": "…", "codes": ["humility"]} (%v)`, where, err)
		}
		if rec.Text == nil || strings.TrimSpace(*rec.Text) == "" {
			return nil, qcode.Errorf(qcode.EINVALID, `%s: no "text"; give each line the text its codes are for`, where)
		}
		l := labelled{id: strconv.Itoa(n), where: where, text: strings.TrimSpace(*rec.Text)}
		if len(rec.ID) > 0 && string(rec.ID) != "null" {
			var s string
			if json.Unmarshal(rec.ID, &s) != nil {
				s = string(rec.ID)
			}
			l.id = s
		}
		switch c := rec.Codes.(type) {
		case nil:
		case string:
			l.codes = splitCodes(c)
		case []any:
			for _, x := range c {
				s, ok := x.(string)
				if !ok {
					return nil, qcode.Errorf(qcode.EINVALID, `%s: "codes" must list code ids as strings, such as ["humility", "risk_aversion"]`, where)
				}
				l.codes = append(l.codes, splitCodes(s)...)
			}
		default:
			return nil, qcode.Errorf(qcode.EINVALID, `%s: "codes" must list code ids as strings, such as ["humility", "risk_aversion"]`, where)
		}
		rows = append(rows, l)
	}
	if err := sc.Err(); err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: %v", shown, err)
	}
	if len(rows) == 0 {
		return nil, qcode.Errorf(qcode.EINVALID, `%s: no texts; write one JSON object a line, such as {"id": 1, "text": "…", "codes": ["humility"]}`, shown)
	}
	return rows, nil
}
