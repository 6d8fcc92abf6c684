package app_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"qcode"
	"qcode/app"
	"qcode/pseudonym"
)

func init() { pseudonym.ScryptWorkFactor = 10 }

// pseudonymProject is the whole sample with its case attributes and a
// person's codings on passages that name people and places.
func pseudonymProject(t *testing.T) *app.Project {
	t.Helper()
	ctx := context.Background()
	p, sample := emptyProject(t)
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files, Attributes: sample.Cases}, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ source, phrase string }{
		{"P01", "Thanks for making the time, Dr Marsh."},
		{"P01", "Gulu"},
		{"P02", "Grace Akello"},
		{"P09", "Kumasi Teaching Hospital"},
	} {
		src, err := p.Source(ctx, c.source)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(src.Text, c.phrase)
		if i < 0 {
			t.Fatalf("%s does not say %q", c.source, c.phrase)
		}
		start := utf8.RuneCountInString(src.Text[:i])
		end := start + utf8.RuneCountInString(c.phrase)
		seg := c.source + ":" + itoa(start) + "-" + itoa(end)
		if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: seg, Code: "humility", Coder: "amina", Memo: "a memo"}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func itoa(n int) string { return strconv.Itoa(n) }

// snapshot is what pseudonymising changes and restoring puts back.
type snapshot struct {
	texts    map[string]string
	codings  []string // source, span text, code, coder, memo
	speakers []string
	values   []string
}

func takeSnapshot(t *testing.T, p *app.Project) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{texts: map[string]string{}}
	names, err := p.SourceNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		src, err := p.Source(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		s.texts[n] = src.Text
	}
	cs, err := p.Codings(ctx, app.CodingFilter{Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		s.codings = append(s.codings, strings.Join([]string{c.Source, c.Text, c.Code, c.Coder, c.Memo}, "|"))
	}
	sp, err := p.Speakers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range sp {
		s.speakers = append(s.speakers, k.Name)
	}
	slices.Sort(s.speakers)
	_, cases, err := p.CaseAttributes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		for _, a := range c.Attributes {
			s.values = append(s.values, c.Name+"."+a.Name+"="+a.Value)
		}
	}
	return s
}

func TestPseudonymiseAndRestore(t *testing.T) {
	ctx := context.Background()
	p := pseudonymProject(t)
	before := takeSnapshot(t, p)
	items, err := p.FindIdentifiers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pseudonym.NewReplacer(items)
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "study.key")
	res, err := p.Pseudonymise(ctx, app.PseudonymiseOptions{Key: key, Passphrase: "kept apart", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Replacements == 0 || res.Turns == 0 || res.Attributes == 0 {
		t.Errorf("result %+v", res)
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key: %v, %v", st, err)
	}
	after := takeSnapshot(t, p)
	for name, text := range before.texts {
		if want := r.Replace(text); after.texts[name] != want {
			t.Errorf("%s is not its text with every item replaced", name)
		}
	}
	// Every coding stays on the same words, its names replaced.
	var want []string
	for _, c := range before.codings {
		want = append(want, r.Replace(c))
	}
	if strings.Join(after.codings, "\n") != strings.Join(want, "\n") {
		t.Errorf("codings after:\n%s\nwant:\n%s", strings.Join(after.codings, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{"Grace Akello", "Dr Marsh"} {
		if slices.Contains(after.speakers, s) {
			t.Errorf("speaker %q is still there: %v", s, after.speakers)
		}
	}
	if !slices.Contains(after.speakers, "Dr [Participant 1]") {
		t.Errorf("speakers after: %v", after.speakers)
	}
	if !slices.Contains(after.values, "P06.site=[Hospital A]") {
		t.Errorf("attributes after: %v", after.values)
	}
	// No file of the project holds an original: database, log, index.
	// (The codebook is the researcher's: the default one names towns.)
	for _, s := range []string{"Akello", "Kumasi", "Lusaka", "Marsh"} {
		if files := filesHolding(t, filepath.Join(p.Dir, ".qcode"), s); len(files) != 0 {
			t.Errorf("after pseudonymising, %v hold %q", files, s)
		}
	}
	hits, err := p.Search(ctx, app.SearchOptions{Query: `"Gulu"`})
	if err != nil || len(hits.Hits) != 0 {
		t.Errorf("the index still finds Gulu: %v", err)
	}

	// A wrong passphrase restores nothing.
	if _, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: key, Passphrase: "kept together"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("wrong passphrase: %v", err)
	}
	if got := takeSnapshot(t, p); !sameSnapshot(got, after) {
		t.Error("a wrong passphrase changed the project")
	}
	back, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: key, Passphrase: "kept apart", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	if back.Restored != res.Replacements || back.Turns != res.Turns || back.Attributes != res.Attributes {
		t.Errorf("restored %+v after %+v", back, res)
	}
	if got := takeSnapshot(t, p); !sameSnapshot(got, before) {
		t.Errorf("restoring did not give back the project: codings %v, speakers %v", got.codings, got.speakers)
	}
	// The key now fits no source: restoring twice is refused.
	if _, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: key, Passphrase: "kept apart"}); err == nil {
		t.Error("a key was used twice")
	}
}

func sameSnapshot(a, b snapshot) bool {
	if len(a.texts) != len(b.texts) {
		return false
	}
	for k, v := range a.texts {
		if b.texts[k] != v {
			return false
		}
	}
	return slices.Equal(a.codings, b.codings) && slices.Equal(a.speakers, b.speakers) && slices.Equal(a.values, b.values)
}

// TestPseudonymiseBadInput gives each mistake a user can make: each is one
// line and writes nothing.
func TestPseudonymiseBadInput(t *testing.T) {
	ctx := context.Background()
	p, _ := sampleProject(t, 2)
	before := takeSnapshot(t, p)
	tmp := t.TempDir()
	notKey := filepath.Join(tmp, "notes.txt")
	os.WriteFile(notKey, []byte("Gulu → [Town 1]\n"), 0o600)
	existing := filepath.Join(tmp, "old.key")
	os.WriteFile(existing, []byte("an earlier key"), 0o600)

	// A key of another project: pseudonymise a second one, then use its key here.
	other, _ := sampleProject(t, 1)
	otherKey := filepath.Join(tmp, "other.key")
	if _, err := other.Pseudonymise(ctx, app.PseudonymiseOptions{Key: otherKey}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		run  func() error
		code string
		want string
	}{
		"key inside the project": {func() error {
			_, err := p.Pseudonymise(ctx, app.PseudonymiseOptions{Key: filepath.Join(p.Dir, "names.key")})
			return err
		}, qcode.EINVALID, "is inside the project folder"},
		"key that exists": {func() error {
			_, err := p.Pseudonymise(ctx, app.PseudonymiseOptions{Key: existing})
			return err
		}, qcode.ECONFLICT, "already exists"},
		"list that contradicts itself": {func() error {
			_, err := p.Pseudonymise(ctx, app.PseudonymiseOptions{Key: filepath.Join(tmp, "new.key"), Items: []app.PseudonymItem{
				{Original: "Gulu", Replacement: "[Town 1]"}, {Original: "Entebbe", Replacement: "Gulu"}}})
			return err
		}, qcode.EINVALID, "is itself an original"},
		"not a key": {func() error {
			_, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: notKey})
			return err
		}, qcode.EINVALID, "is not a qcode pseudonym key"},
		"key of another project": {func() error {
			_, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: otherKey})
			return err
		}, qcode.EINVALID, "was made for another project"},
		"no key file": {func() error {
			_, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: filepath.Join(tmp, "lost.key")})
			return err
		}, qcode.ENOTFOUND, "no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			err := c.run()
			if qcode.ErrorCode(err) != c.code || err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v (%s), want %s with %q", err, qcode.ErrorCode(err), c.code, c.want)
			}
			if got := takeSnapshot(t, p); !sameSnapshot(got, before) {
				t.Error("the project changed")
			}
			if _, err := os.Stat(filepath.Join(tmp, "new.key")); err == nil {
				t.Error("a key was written")
			}
		})
	}
}
