package main

// The first layer of the command tests: a command line becomes the options
// its use case is called with. Nothing runs; the end-to-end tests in the
// other files run the use cases.

import (
	"context"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"qcode/app"
)

// optionsOf parses args as qcode would and returns the options handed to
// the command's use case, and the env it ran with.
func optionsOf(t *testing.T, args ...string) (any, *env) {
	t.Helper()
	e := newEnv(strings.NewReader(""), io.Discard, io.Discard)
	var got any
	called := false
	e.options = func(o any) { got, called = o, true }
	root := newRootCmd(e)
	root.SetArgs(args)
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("qcode %s: %v", strings.Join(args, " "), err)
	}
	if !called {
		t.Fatalf("qcode %s ran no use case", strings.Join(args, " "))
	}
	return got, e
}

func TestArgumentsToOptions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want any
	}{
		{[]string{"init", "study"}, "study"},
		{[]string{"import", "P01.txt", "interviews/", "--format", "txt", "--replace", "--attributes", "cases.csv", "--speaker-pattern", "^([A-Z]+):", "--json"},
			importOptions{ImportOptions: app.ImportOptions{Files: []string{"P01.txt", "interviews/"}, Format: "txt", Replace: true, Attributes: "cases.csv", SpeakerPattern: "^([A-Z]+):"}, json: true}},
		{[]string{"import", "survey.csv", "--id-column", "respondent", "--text-columns", "q1,q2"},
			importOptions{ImportOptions: app.ImportOptions{Files: []string{"survey.csv"}, IDColumn: "respondent", TextColumns: []string{"q1", "q2"}}}},
		{[]string{"import", "interviews/", "--all-or-nothing"},
			importOptions{ImportOptions: app.ImportOptions{Files: []string{"interviews/"}, AllOrNothing: true}}},
		{[]string{"import", "P03.txt", "--drop-lost", "--coder", "amina"},
			importOptions{ImportOptions: app.ImportOptions{Files: []string{"P03.txt"}, DropLost: true, Coder: "amina"}}},
		{[]string{"import", "survey.csv", "--max-size", "100"},
			importOptions{ImportOptions: app.ImportOptions{Files: []string{"survey.csv"}, MaxFileSize: 100 << 20}, maxSize: 100}},
		{[]string{"sources", "--json"}, true},
		{[]string{"sources", "rm", "P10", "P11", "--purge", "--coder", "amina"}, sourcesRmOptions{names: []string{"P10", "P11"}, coder: "amina", purge: true}},
		{[]string{"sources", "purge"}, sourcesPurgeOptions{}},
		{[]string{"show", "P03", "--sentences"}, showOptions{source: "P03", sentences: true}},
		{[]string{"attributes", "import", "cases.csv"}, "cases.csv"},
		{[]string{"attributes", "list"}, false},
		{[]string{"codebook", "show", "--json"}, true},
		{[]string{"codebook", "validate"}, nil},
		{[]string{"codebook", "test", "-v"}, true},
		{[]string{"codebook", "export", "--format", "qdc", "--out", "cb.qdc"}, codebookExportOptions{format: "qdc", out: "cb.qdc"}},
		{[]string{"codebook", "import", "nvivo.qdc", "--merge"}, codebookImportOptions{file: "nvivo.qdc", merge: true}},
		{[]string{"code"}, codeOptions{unit: "sentence", stream: codeStdinOptions{textField: "text"}}},
		{[]string{"code", "--dry-run", "--unit", "turn", "-s", "P03", "--source", "P07", "--include-interviewer", "--json"},
			codeOptions{CodeOptions: app.CodeOptions{DryRun: true, Sources: []string{"P03", "P07"}, Interviewer: true}, unit: "turn", json: true, stream: codeStdinOptions{textField: "text"}}},
		{[]string{"code", "--suggest", "--coder", "amina", "--top", "2", "--min-examples", "20", "--json"},
			codeSuggestOptions{SuggestCodesOptions: app.SuggestCodesOptions{Coder: "amina", Top: 2, MinExamples: 20}, json: true}},
		{[]string{"suggestions", "--code", "humility", "-s", "P03", "--min-score", "0.5", "--json"},
			suggestionsOptions{SuggestionsOptions: app.SuggestionsOptions{Code: "humility", Source: "P03", MinScore: 0.5}, json: true}},
		{[]string{"suggestions", "accept", "12", "15", "--coder", "amina"}, suggestionsOptions{SuggestionsOptions: app.SuggestionsOptions{IDs: []int64{12, 15}, Coder: "amina"}}},
		{[]string{"suggestions", "reject", "--code", "risk_aversion", "--source", "P03", "--min-score", "0.9"},
			suggestionsOptions{SuggestionsOptions: app.SuggestionsOptions{Code: "risk_aversion", Source: "P03", MinScore: 0.9}}},
		{[]string{"code", "--stdin", "--codebook", "cb.yaml", "--text-field", "answer", "--keep-going"},
			codeStdinOptions{textField: "answer", keepGoing: true}},
		{[]string{"code", "--stdin", "--codebook", "cb.yaml", "--unit", "sentence"}, codeStdinOptions{unit: "sentence", textField: "text"}},
		{[]string{"code", "--stdin", "--codebook", "cb.yaml", "--max-record", "64"}, codeStdinOptions{textField: "text", maxRecord: 64}},
		{[]string{"code", "--stdin", "--codebook", "cb.yaml", "--memory", "40"}, codeStdinOptions{textField: "text", memory: 40}},
		{[]string{"coding", "add", "P03:s41", "humility", "--coder", "amina", "-m", "modest"}, codingAddOptions{segment: "P03:s41", code: "humility", coder: "amina", memo: "modest"}},
		{[]string{"coding", "rm", "P03:s41", "humility", "--coder", "amina"}, codingRmOptions{segment: "P03:s41", code: "humility", coder: "amina"}},
		{[]string{"coding", "list", "--code", "humility", "--coder", "amina", "--source", "P03", "--origin", "manual", "--json"},
			codingListOptions{code: "humility", coder: "amina", source: "P03", origin: "manual", json: true}},
		{[]string{"coding", "reject", "P03:s37", "top_down_teaching", "--coder", "amina"}, codingRejectOptions{segment: "P03:s37", code: "top_down_teaching", coder: "amina"}},
		{[]string{"coding", "accept", "P03:s37", "top_down_teaching", "--coder", "amina"}, codingAcceptOptions{segment: "P03:s37", code: "top_down_teaching", coder: "amina"}},
		{[]string{"coding", "change", "P03:s41", "humility", "--recode", "risk_aversion", "--to", "P03:1200-1388", "--snap", "--coder", "amina"},
			codingChangeOptions{segment: "P03:s41", code: "humility", recode: "risk_aversion", to: "P03:1200-1388", snap: true, coder: "amina"}},
		{[]string{"codebook", "add", "Language barriers", "--parent", "risk_aversion", "--color", "#AA3377", "--description", "jargon", "--id", "lang"},
			codebookAddOptions{name: "Language barriers", parent: "risk_aversion", color: "#AA3377", description: "jargon", id: "lang"}},
		{[]string{"codebook", "validate-on", "pilot.csv"}, codebookValidateOnOptions{file: "pilot.csv", showErrors: 10}},
		{[]string{"codebook", "validate-on", "pilot.jsonl", "--rollup", "--json", "--show-errors", "0"}, codebookValidateOnOptions{file: "pilot.jsonl", rollup: true, json: true}},
		{[]string{"codebook", "suggest"}, codebookSuggestOptions{top: 10, minPrecision: 0.75}},
		{[]string{"codebook", "suggest", "--coder", "amina", "--code", "humility", "--top", "3", "--min-precision", "0.9", "--apply", "--json"},
			codebookSuggestOptions{coder: "amina", code: "humility", top: 3, minPrecision: 0.9, apply: true, json: true}},
		{[]string{"coding", "list", "--rejected", "--source", "P03"}, codingListOptions{source: "P03", rejected: true}},
		{[]string{"coding", "import", "coded.xlsx", "--coder", "team-b"}, codingImportOptions{file: "coded.xlsx", coder: "team-b"}},
		{[]string{"memo", "add", "P03", "follow up the debrief story", "--coder", "ben"}, memoAddOptions{target: "P03", text: "follow up the debrief story", coder: "ben"}},
		{[]string{"memo", "add", "--code", "humility", "modesty about one's own system too"}, memoAddOptions{code: "humility", text: "modesty about one's own system too"}},
		{[]string{"memo", "add", "P03:s35", "the clearest case", "--code", "humility", "--of", "amina"}, memoAddOptions{target: "P03:s35", text: "the clearest case", code: "humility", of: "amina"}},
		{[]string{"memo", "add", "--on-project", "code interviewers' turns only when they lead"}, memoAddOptions{text: "code interviewers' turns only when they lead", project: true}},
		{[]string{"memo", "edit", "7", "cut short by a ward round", "--coder", "ben"}, memoEditOptions{id: 7, text: "cut short by a ward round", coder: "ben"}},
		{[]string{"memo", "rm", "7"}, memoRmOptions{id: 7}},
		{[]string{"memo", "list", "-s", "P03"}, memoListOptions{MemoFilter: app.MemoFilter{Source: "P03"}}},
		{[]string{"memo", "list", "--code", "humility", "--kind", "coding", "--json"}, memoListOptions{MemoFilter: app.MemoFilter{Code: "humility", Kind: "coding"}, json: true}},
		{[]string{"speakers", "list", "--json"}, true},
		{[]string{"speakers", "mark", "Dr Marsh", "--role", "participant"}, speakersMarkOptions{name: "Dr Marsh", role: "participant"}},
		{[]string{"search", "debrief* NEAR/5 team", "--unit", "turn", "--source", "P03", "--speaker", "participant", "--attr", "role=NHS", "--facet", "code", "--sort", "relevance", "--limit", "20", "--code-as", "active_debriefs", "--coder", "amina", "-y"},
			searchOptions{SearchOptions: app.SearchOptions{Query: "debrief* NEAR/5 team", Syntax: "rules", Unit: "turn", Sources: []string{"P03"}, Speakers: []string{"participant"}, Attrs: []string{"role=NHS"}, Coder: "amina",
				Facets: []string{"code"}, Sort: "relevance", Limit: 20, Width: 40, CodeAs: "active_debriefs"}, yes: true}},
		{[]string{"search", "risk*", "--include-interviewer", "--speaker-not", "Dr Marsh"},
			searchOptions{SearchOptions: app.SearchOptions{Query: "risk*", Syntax: "rules", Unit: "sentence", NotSpeakers: []string{"Dr Marsh"}, IncludeInterviewer: true, Sort: "document", Width: 40}}},
		{[]string{"index", "--rebuild"}, indexOptions{rebuild: true}},
		{[]string{"report", "freq", "--rollup", "--split", "coder", "--coder", "amina"}, reportOptions{kind: "freq", coder: "amina", rollup: true, split: "coder", by: "source", count: "segments", themes: "top"}},
		{[]string{"report", "freq", "--own"}, reportOptions{kind: "freq", coder: "all", own: true, by: "source", count: "segments", themes: "top"}},
		{[]string{"report", "matrix", "--by", "attr:role", "--count", "cases", "--percent", "row", "--csv"},
			reportOptions{kind: "matrix", coder: "all", csv: true, by: "attr:role", count: "cases", percent: "row", themes: "top"}},
		{[]string{"report", "cooccur", "--overlap", "--jaccard", "--pairs"}, reportOptions{kind: "cooccur", coder: "all", overlap: true, jaccard: true, pairs: true, by: "source", count: "segments", themes: "top"}},
		{[]string{"report", "framework", "--themes", "humility,risk_aversion", "--attrs", "role,country", "--json"},
			reportOptions{kind: "framework", coder: "all", json: true, themes: "humility,risk_aversion", attrs: "role,country", by: "source", count: "segments"}},
		{[]string{"framework"}, frameworkOptions{coder: "all", themes: "top"}},
		{[]string{"framework", "--themes", "humility,risk_aversion", "--attrs", "role", "--coder", "amina", "--quotes", "--csv"},
			frameworkOptions{coder: "amina", themes: "humility,risk_aversion", attrs: "role", quotes: true, csv: true}},
		{[]string{"framework", "set", "P03", "humility", "Mortified, then curious (P03:s35)", "--coder", "ben"},
			frameworkSetOptions{app.SummaryOptions{Case: "P03", Theme: "humility", Text: "Mortified, then curious (P03:s35)", Coder: "ben"}}},
		{[]string{"framework", "set", "P03", "humility", "--clear"}, frameworkSetOptions{app.SummaryOptions{Case: "P03", Theme: "humility", Clear: true}}},
		{[]string{"agree", "--coders", "amina,ben", "--unit", "turn", "--codes", "humility", "--bootstrap", "0", "--seed", "7", "--disagreements"},
			agreeOptions{coders: []string{"amina", "ben"}, unit: "turn", codes: []string{"humility"}, level: "nominal", seed: 7, disagreements: true, projectFlags: []string{"unit", "codes", "disagreements"}}},
		{[]string{"agree", "--coders", "amina,rules", "--source", "P01", "-s", "P03", "--disagreements"},
			agreeOptions{coders: []string{"amina", "rules"}, unit: "sentence", sources: []string{"P01", "P03"}, level: "nominal", bootstrap: 1000, seed: 1, disagreements: true, projectFlags: []string{"source", "disagreements"}}},
		{[]string{"agree", "--table", "ratings.csv", "--level", "interval"}, agreeOptions{unit: "sentence", level: "interval", bootstrap: 1000, seed: 1, table: "ratings.csv"}},
		{[]string{"validate", "--gold", "amina", "--codes", "humility", "--errors", "--csv"},
			validateOptions{gold: "amina", candidate: "rules", unit: "sentence", codes: []string{"humility"}, errors: true, csv: true}},
		{[]string{"export", "xlsx", "results.xlsx", "--coder", "rules", "--attrs", "role", "--themes", "humility"},
			exportOptions{format: "xlsx", path: "results.xlsx", coder: "rules", attrs: "role", themes: "humility"}},
		{[]string{"export", "csv", "results/"}, exportOptions{format: "csv", path: "results/", coder: "all", themes: "top"}},
		{[]string{"demo", "--out", "demo.xlsx", "--dir", "demo-project"}, demoOptions{out: "demo.xlsx", dir: "demo-project"}},
		{[]string{"log", "--coder", "amina", "-s", "P03", "--what", "coding", "--since", "2026-03-14", "--limit", "20", "--json"},
			logOptions{LogOptions: app.LogOptions{Coder: "amina", Source: "P03", What: "coding", Since: "2026-03-14", Limit: 20}, json: true}},
		{[]string{"serve", "--port", "8800", "--open"}, serveOptions{port: 8800, open: true}},
		{[]string{"serve", "--listen", "0.0.0.0:8800"}, serveOptions{listen: "0.0.0.0:8800"}},
		{[]string{"merge", "../amina-study", "--rename", "--dry-run", "--json"},
			mergeOptions{other: "../amina-study", MergeOptions: app.MergeOptions{Rename: true, DryRun: true}, json: true}},
		{[]string{"merge", "team.qdpx"}, mergeOptions{other: "team.qdpx"}},
		{[]string{"import", "team.qdpx", "--json"}, importOptions{ImportOptions: app.ImportOptions{Files: []string{"team.qdpx"}}, json: true}},
		{[]string{"export", "qdpx", "team.qdpx"}, exportOptions{format: "qdpx", path: "team.qdpx", coder: "all", themes: "top"}},
		{[]string{"pseudonymise", "--list", "--csv", "names.csv", "--json"}, pseudonymiseOptions{list: true, csv: "names.csv", json: true}},
		{[]string{"pseudonymise", "--from", "names.csv", "--key", "../study.key", "--passphrase-file", "../pass.txt", "--coder", "amina"},
			pseudonymiseOptions{from: "names.csv", key: "../study.key", passphraseFile: "../pass.txt", coder: "amina"}},
		{[]string{"pseudonymize", "--reverse", "../study.key"}, pseudonymiseOptions{reverse: "../study.key"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			got, _ := optionsOf(t, c.args...)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("options\n got %#v\nwant %#v", got, c.want)
			}
		})
	}
}

// Every command that runs a use case is in the table above, so that a new
// flag cannot go untested.
func TestArgumentsCoverEveryCommand(t *testing.T) {
	covered := map[string]bool{}
	src, err := readOwnSource("cli_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.RunE != nil && !c.HasSubCommands() && c.Name() != "help" && c.Name() != "completion" {
			path := strings.TrimPrefix(c.CommandPath(), "qcode ")
			first := `[]string{"` + strings.ReplaceAll(path, " ", `", "`) + `"`
			covered[path] = strings.Contains(src, first)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(newEnv(strings.NewReader(""), io.Discard, io.Discard)))
	for path, ok := range covered {
		if !ok {
			t.Errorf("qcode %s has no case in TestArgumentsToOptions", path)
		}
	}
}

// No command has a flag of the name of a global one, which would hide it:
// 'qcode -C study memo add' must still find -C.
func TestNoFlagHidesAGlobalOne(t *testing.T) {
	root := newRootCmd(newEnv(strings.NewReader(""), io.Discard, io.Discard))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		local := c.LocalNonPersistentFlags()
		if local.Lookup("project") != nil || local.ShorthandLookup("C") != nil {
			t.Errorf("%s has a flag --project or -C, which hides the global --project (-C)", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, sub := range root.Commands() {
		walk(sub)
	}
}

// Global flags reach every command's env.
func TestGlobalFlags(t *testing.T) {
	_, e := optionsOf(t, "-C", "study", "codebook", "show", "--codebook", "draft.yaml")
	if e.projectDir != "study" || e.codebookPath != "draft.yaml" {
		t.Errorf("project %q, codebook %q", e.projectDir, e.codebookPath)
	}
	if o := e.appOptions(readOnly, "show"); o != (app.Options{Dir: "study", Codebook: "draft.yaml", ReadOnly: true, Command: "show"}) {
		t.Errorf("app options %+v", o)
	}
}

func readOwnSource(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}
