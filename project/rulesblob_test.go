package project

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"qcode"
	"qcode/coding"
)

// blobCodings are rules codings of one source as the rules make them: in
// segment order, several codes on a segment, non-ASCII tokens, negated and
// plain matches, and runs at different times.
func blobCodings() []coding.Coding {
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	c := func(code string, ord, start, end, bs, be int, at time.Time, neg bool, ms ...coding.RuleMatch) coding.Coding {
		return coding.Coding{Source: "P07", Unit: coding.UnitSentence, Ord: ord, Start: start, End: end, ByteStart: bs, ByteEnd: be,
			Code: code, Coder: coding.RulesCoder, Origin: coding.OriginRules, CreatedAt: at, CodebookHash: "h", Matches: ms, Negated: neg}
	}
	tok := func(s, e int, text string) coding.MatchedToken {
		return coding.MatchedToken{Start: s, End: e, Text: text}
	}
	return []coding.Coding{
		c("humility", 1, 0, 40, 0, 42, t0, false, coding.RuleMatch{Tokens: []coding.MatchedToken{tok(3, 9, "humble")}}),
		c("risk_aversion", 1, 0, 40, 0, 42, t0.Add(-time.Hour), true,
			coding.RuleMatch{Tokens: []coding.MatchedToken{tok(20, 26, "cautious")}, Negated: true}),
		c("debrief", 3, 90, 160, 95, 170, t0, false,
			coding.RuleMatch{Tokens: []coding.MatchedToken{tok(91, 98, "débrief"), tok(99, 103, "team")}},
			coding.RuleMatch{Tokens: []coding.MatchedToken{tok(140, 147, "debrief")}}),
		// out of order and with no matches: the format does not rely on either
		c("humility", 2, 41, 89, 43, 94, t0.Add(48*time.Hour), false),
	}
}

func TestRulesBlobRoundTrip(t *testing.T) {
	want := blobCodings()
	var b rulesBlob
	blob := b.encode(want)
	var got []coding.Coding
	err := decodeRulesBlob(blob, "P07", coding.UnitSentence, "h", keepMatches, func(d *decodedCoding) error {
		got = append(got, d.Coding)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if len(want[i].Matches) == 0 {
			want[i].Matches = []coding.RuleMatch{} // decoded as empty, not nil
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
	r := &blobReader{buf: blob}
	codes, counts := r.header()
	if !reflect.DeepEqual(codes, []string{"humility", "risk_aversion", "debrief"}) || !reflect.DeepEqual(counts, []int{2, 1, 1}) {
		t.Errorf("header: %v %v", codes, counts)
	}
	// Every cut of the blob is an error, never a panic or a short read.
	for n := range len(blob) {
		err := decodeRulesBlob(blob[:n], "P07", coding.UnitSentence, "h", keepMatches, func(*decodedCoding) error { return nil })
		if err == nil {
			t.Fatalf("a blob cut to %d of %d bytes read without error", n, len(blob))
		}
	}
}

// TestRulesBlobDamaged shows that a damaged blob in the store is an internal
// error naming the source, not a crash or silently missing codings.
func TestRulesBlobDamaged(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	if _, err := p.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, mustApplier(t, testCodebook)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.db.ExecContext(ctx, `UPDATE rules_codings SET blob = substr(blob, 1, length(blob) - 3)`); err != nil {
		t.Fatal(err)
	}
	_, err := p.Codings(ctx, CodingFilter{})
	if qcode.ErrorCode(err) != qcode.EINTERNAL || err == nil || !strings.Contains(err.Error(), "P03") {
		t.Errorf("Codings over a damaged blob: %v", err)
	}
}

// schema2Project makes a project of schema 2, with rules codings as rows
// and a person's coding, and returns its folder, its codings as the
// current schema reads them, and the rules run that made them.
func schema2Project(t *testing.T) (dir string, want []coding.Coding, run RulesRun) {
	t.Helper()
	ctx := context.Background()
	dir = t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, mustRead(t, "P03.txt", p03), false); err != nil {
		t.Fatal(err)
	}
	run = RulesRun{Unit: coding.UnitSentence, Interviewer: true}
	if _, err := p.CodeRules(ctx, run, mustApplier(t, testCodebook)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.AddCoding(ctx, CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "test"); err != nil {
		t.Fatal(err)
	}
	want = mustCodings(t, p, CodingFilter{})
	if len(want) < 3 {
		t.Fatalf("only %d codings to migrate", len(want))
	}
	p.Close()

	// Back to schema 2: the rules codings as rows, as that schema kept them.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, Dirname, DBName))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.QueryRow(`SELECT id FROM sources WHERE name = 'P03'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, c := range want {
		if c.Origin != coding.OriginRules {
			continue
		}
		matched, _ := json.Marshal(c.Matches)
		_, err := db.Exec(`INSERT INTO codings (source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, codebook_hash, matched, negated)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, c.Start, c.End, c.ByteStart, c.ByteEnd, c.Code, c.Coder, c.Origin, c.Unit, c.Ord,
			c.CreatedAt.Format(time.RFC3339), c.CodebookHash, string(matched), c.Negated)
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{`DROP TABLE rules_codings`, `DROP TABLE rejections`, `PRAGMA user_version = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	return dir, want, run
}

// TestMigrateRulesCodings opens a project of schema 2: the rules codings
// are moved into rules_codings unchanged and the person's coding stays a
// row.
func TestMigrateRulesCodings(t *testing.T) {
	ctx := context.Background()
	dir, want, run := schema2Project(t)
	// Reading needs the upgrade; writing makes it.
	if _, err := Open(ctx, dir, ReadOnly); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("reading a schema 2 project: %v", err)
	}
	p, err := Open(ctx, dir, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	got := mustCodings(t, p, CodingFilter{})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after the migration:\n%+v\nwant\n%+v", got, want)
	}
	var rows int
	if err := p.db.QueryRow(`SELECT count(*) FROM codings WHERE origin = 'rules'`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("%d rules codings left as rows (%v)", rows, err)
	}
	// Migration 0004 rebuilds the audit log: its rows stay, and a
	// rejection is logged.
	if err := p.db.QueryRow(`SELECT count(*) FROM audit WHERE action = 'add' AND coder = 'amina'`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("%d audit rows of amina's addition after the migration (%v), want 1", rows, err)
	}
	// A rerun of the same codebook finds nothing to change.
	res, err := p.CodeRules(ctx, run, mustApplier(t, testCodebook))
	if err != nil || res.Added != 0 || res.Removed != 0 {
		t.Errorf("rerun after the migration: %+v, %v", res, err)
	}
	var r *coding.Coding
	for i := range want {
		if want[i].Origin == coding.OriginRules {
			r = &want[i]
			break
		}
	}
	ref := coding.Ref{Source: r.Source, Unit: coding.UnitSpan, Start: r.Start, End: r.End}
	if _, ok, err := p.RejectCoding(ctx, ref, r.Code, "amina", "test"); err != nil || !ok {
		t.Errorf("rejecting after the migration: %v, %v", ok, err)
	}
}
