package main

import (
	"context"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/app"
	"qcode/coding/report"
)

type pseudonymiseOptions struct {
	list           bool
	csv            string // write the list here
	from           string // read the reviewed list from here
	key            string
	reverse        string
	passphraseFile string
	coder          string
	json           bool
}

func newPseudonymiseCmd(e *env) *cobra.Command {
	var o pseudonymiseOptions
	cmd := &cobra.Command{
		Use:     "pseudonymise",
		Aliases: []string{"pseudonymize"},
		Short:   "Replace the names of people, places and organisations in every source, keeping a key apart",
		Long: `Find what identifies people in the project's sources, review it, and replace
it consistently across the corpus, keeping every coding on the same words.

--list prints what qcode finds: speakers' names (not roles such as
Interviewer, nor ids such as P03), people and places named in the text,
organisations and hospitals, emails, phone numbers, NHS numbers (their check
digit valid), dates of birth and UK postcodes, each with its kind, how often
it occurs, in which sources, and the replacement proposed ("[Participant 3]",
"[Town 2]", "[Hospital A]"). --csv FILE writes the same list as a CSV with
the columns original, replacement, kind, count, sources, to edit: blank a
replacement to leave that original alone, add rows for what qcode missed.

--key FILE replaces the originals (those of --from LIST.csv, else those qcode
finds) in every source's text, in the speakers' names and in case attribute
values, and writes the key that undoes it to FILE, which must be outside
the project folder and not exist yet. The key is written first, readable by
you alone; with a passphrase (the first line of --passphrase-file, else
$QCODE_PASSPHRASE) it is encrypted with age. Nothing exports it. Then the
project's files are rewritten so that no original is left in them (the
database compacted, the search index made anew): close 'qcode serve' first.

--reverse KEY puts the originals back, codings again on the same words. It
needs the key of this project, made of its sources as they are now.

--json prints the list (--list), or what was done: {key, encrypted, items,
replacements, sources, turns, attributes, corrections}.` + exitStatusHelp,
		Example: `  qcode pseudonymise --list
  qcode pseudonymise --csv ../names.csv
  qcode pseudonymise --from ../names.csv --key ../study.key
  qcode pseudonymise --reverse ../study.key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.reverse != "" {
				// The key's errors name the flag it came from.
				cmd.Annotations[fieldFlag+"key"] = "reverse"
			}
			return e.run(o, func() error { return runPseudonymise(cmd.Context(), e, o) })
		},
		Annotations: map[string]string{fieldFlag + "list": "from"},
	}
	f := cmd.Flags()
	f.BoolVar(&o.list, "list", false, "print what identifies people, with counts, sources and replacements")
	f.StringVar(&o.csv, "csv", "", "write that list to `FILE` as CSV, to edit")
	f.StringVar(&o.from, "from", "", "replace what the edited `LIST.csv` says (default: what qcode finds)")
	f.StringVar(&o.key, "key", "", "replace, and write the key to `FILE`, outside the project")
	f.StringVar(&o.reverse, "reverse", "", "put the originals back with the key `FILE`")
	f.StringVar(&o.passphraseFile, "passphrase-file", "", "read the key's passphrase from the first line of `FILE`")
	f.StringVar(&o.coder, "coder", "", "who pseudonymises (default: $QCODE_CODER, else your user name)")
	f.BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runPseudonymise(ctx context.Context, e *env, o pseudonymiseOptions) error {
	modes := 0
	for _, on := range []bool{o.list || o.csv != "", o.key != "", o.reverse != ""} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		return &usageError{qcode.Errorf(qcode.EINVALID, "say one of --list (or --csv FILE), --key FILE or --reverse KEY")}
	}
	if o.from != "" && o.key == "" {
		return &usageError{qcode.Errorf(qcode.EINVALID, "--from LIST.csv goes with --key FILE")}
	}
	passphrase, err := readPassphrase(o.passphraseFile)
	if err != nil {
		return err
	}
	var items []app.PseudonymItem
	if o.from != "" {
		// A bad list is refused before the project is opened.
		if items, err = app.ReadPseudonymList(o.from); err != nil {
			return err
		}
	}
	p, err := e.open(ctx, o.key == "" && o.reverse == "", "pseudonymise")
	if err != nil {
		return err
	}
	defer p.Close()
	switch {
	case o.reverse != "":
		res, err := p.RestorePseudonyms(ctx, app.RestoreOptions{Key: o.reverse, Passphrase: passphrase, Coder: o.coder})
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(e.stdout, res)
		}
		e.printf("restored %s originals in %s, the speakers of %s and %s\n", report.Thousands(res.Restored), plural(len(res.Sources), "source"), plural(res.Turns, "turn"), plural(res.Attributes, "attribute value"))
		return nil
	case o.key != "":
		res, err := p.Pseudonymise(ctx, app.PseudonymiseOptions{Items: items, Key: o.key, Passphrase: passphrase, Coder: o.coder})
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(e.stdout, res)
		}
		enc := "unencrypted: keep it safe"
		if res.Encrypted {
			enc = "encrypted"
		}
		e.printf("replaced %s originals (%s) in %s, the speakers of %s and %s\nkey: %s (%s)\n", report.Thousands(res.Replacements), plural(len(res.Items), "item"), plural(len(res.Sources), "source"), plural(res.Turns, "turn"), plural(res.Attributes, "attribute value"), res.Key, enc)
		return nil
	}
	found, err := p.FindIdentifiers(ctx)
	if err != nil {
		return err
	}
	if o.csv != "" {
		if err := app.WritePseudonymList(o.csv, found); err != nil {
			return err
		}
		if !o.list {
			e.printf("wrote %s to %s: edit it, then 'qcode pseudonymise --from %s --key FILE'\n", plural(len(found), "item"), o.csv, o.csv)
			return nil
		}
	}
	if o.json {
		return writeJSON(e.stdout, found)
	}
	t := newTable(e.stdout, e.outTTY, "original", "replacement", "kind", "count", "sources")
	for _, it := range found {
		t.add(it.Original, it.Replacement, string(it.Kind), report.Thousands(it.Count), strings.Join(it.Sources, " "))
	}
	return t.print()
}

// readPassphrase reads the first line of path, else $QCODE_PASSPHRASE: a
// passphrase is never a flag's value, which others can see in the process
// list and the shell's history.
func readPassphrase(path string) (string, error) {
	if path == "" {
		return os.Getenv("QCODE_PASSPHRASE"), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", qcode.FieldError("passphrase_file", path, "cannot be read")
	}
	line, _, _ := strings.Cut(string(data), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", qcode.FieldError("passphrase_file", path, "its first line is empty; write the passphrase there")
	}
	return line, nil
}
