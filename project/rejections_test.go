package project

import (
	"context"
	"strings"
	"testing"

	"qcode"
	"qcode/coding"
)

// TestRejectCoding rejects a rules coding, reruns the rules (it is not
// made again, and counted), undoes the rejection (the next run makes it
// again), and replaces the source's text (its rejections go).
func TestRejectCoding(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	run := RulesRun{Unit: coding.UnitSentence}
	a := mustApplier(t, testCodebook)
	if _, err := p.CodeRules(ctx, run, a); err != nil {
		t.Fatal(err)
	}
	rules := mustCodings(t, p, CodingFilter{Origin: coding.OriginRules})
	if len(rules) < 2 {
		t.Fatalf("the rules made %d codings; the test needs two", len(rules))
	}
	target := rules[0]
	ref := coding.Ref{Source: "P03", Unit: coding.UnitSpan, Start: target.Start, End: target.End}

	// Nothing the rules did not make is rejected.
	_, _, err := p.RejectCoding(ctx, ref, "unused", "amina", "coding reject")
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(err.Error(), target.Code+" by rules") {
		t.Errorf("rejecting a code the rules did not make: %v, want ENOTFOUND naming %s by rules", err, target.Code)
	}

	rj, rejected, err := p.RejectCoding(ctx, ref, target.Code, "amina", "coding reject")
	if err != nil || !rejected {
		t.Fatal(rejected, err)
	}
	if rj.Text != target.Text || rj.RejectedBy != "amina" || rj.Unit != target.Unit || rj.Ord != target.Ord {
		t.Errorf("rejection = %+v, want the coding %+v by amina", rj, target)
	}
	if _, rejected, err := p.RejectCoding(ctx, ref, target.Code, "ben", "coding reject"); err != nil || rejected {
		t.Errorf("rejecting again: %v, %v; want a no-op", rejected, err)
	}
	after := mustCodings(t, p, CodingFilter{})
	if len(after) != len(rules)-1 || segments(after) != segments(rules[1:]) {
		t.Errorf("codings after rejecting: %s, want %s", segments(after), segments(rules[1:]))
	}
	if d := reportData(t, p, nil); len(d.Codings) != len(rules)-1 {
		t.Errorf("the report has %d codings, want %d", len(d.Codings), len(rules)-1)
	}
	rs, err := p.Rejections(ctx, CodingFilter{Source: "P03"})
	if err != nil || len(rs) != 1 || rs[0].Code != target.Code || rs[0].Text != target.Text {
		t.Errorf("Rejections = %+v, %v", rs, err)
	}
	if rs, _ := p.Rejections(ctx, CodingFilter{Coder: "ben"}); len(rs) != 0 {
		t.Errorf("Rejections by ben = %+v, want none", rs)
	}

	// A rerun, even with another codebook, does not make it again.
	res, err := p.CodeRules(ctx, run, mustApplier(t, testCodebook+"# edited\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 1 || res.Added != 0 || res.Removed != 0 || res.Total != len(rules)-1 {
		t.Errorf("rerun: %+v, want 1 rejected, nothing added or removed, %d in all", res, len(rules)-1)
	}
	if got := mustCodings(t, p, CodingFilter{}); segments(got) != segments(rules[1:]) {
		t.Errorf("codings after the rerun: %s", segments(got))
	}

	// Accepting undoes it; the next run codes it again.
	if _, err := p.AcceptCoding(ctx, ref, "unused", "ben", "coding accept"); qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(err.Error(), target.Code+" (rejected by amina)") {
		t.Errorf("accepting what is not rejected: %v", err)
	}
	if _, err := p.AcceptCoding(ctx, ref, target.Code, "ben", "coding accept"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AcceptCoding(ctx, ref, target.Code, "ben", "coding accept"); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("accepting twice: %v, want ENOTFOUND", err)
	}
	if res, err = p.CodeRules(ctx, run, a); err != nil || res.Rejected != 0 || res.Added != 1 {
		t.Errorf("run after accepting: %+v, %v; want the coding added again", res, err)
	}
	if got := mustCodings(t, p, CodingFilter{}); segments(got) != segments(rules) {
		t.Errorf("codings after accepting and rerunning: %s, want %s", segments(got), segments(rules))
	}
	var n int
	p.db.QueryRow(`SELECT count(*) FROM audit WHERE what = 'coding' AND action IN ('reject', 'accept') AND origin = 'rules'`).Scan(&n)
	if n != 2 {
		t.Errorf("%d audit rows, want a rejection and an acceptance", n)
	}

	// Replacing the text drops the source's rejections with its rules codings.
	if _, _, err := p.RejectCoding(ctx, ref, target.Code, "amina", "coding reject"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, mustRead(t, "P03.txt", strings.Replace(p03, "handover", "ward round", 1)), true); err != nil {
		t.Fatal(err)
	}
	if rs, err := p.Rejections(ctx, CodingFilter{}); err != nil || len(rs) != 0 {
		t.Errorf("rejections after replacing the text: %+v, %v", rs, err)
	}
}
