package main

import (
	"fmt"
	"strconv"
	"strings"

	"qcode/app"
	"qcode/coding/agree"
	"qcode/coding/report"
)

// runAgreeTable measures the agreement in a CSV file of reliability data.
func runAgreeTable(e *env, o agreeOptions) error {
	rep, err := app.AgreeTable(app.TableAgreementOptions{File: o.table, Coders: o.coders, Level: o.level, Bootstrap: o.bootstrap, Seed: o.seed})
	if err != nil {
		return err
	}
	level := rep.Level
	if rep.Encoding != "" {
		// On standard error: standard output is the table, for a script.
		fmt.Fprintf(e.stderr, "%s: not UTF-8; read as %s\n", safe(rep.File), rep.Encoding)
	}
	if o.json {
		return writeJSON(e.stdout, rep)
	}
	tty := e.outTTY && !o.csv
	kappa := func(k *agree.Kappa) string {
		if k == nil {
			return report.Figure(0, true, tty)
		}
		return report.Figure(k.Value, k.Undefined, tty)
	}
	low, high := report.Figure(0, true, tty), report.Figure(0, true, tty)
	if iv := rep.AlphaInterval; iv != nil {
		low, high = report.Figure(iv.Low, iv.Undefined, tty), report.Figure(iv.High, iv.Undefined, tty)
	}
	rows := [][]string{
		{"level", "units", "dropped", "coders", "values", "agreement", "cohen_kappa", "fleiss_kappa", "alpha", "alpha_low", "alpha_high", "brennan_prediger"},
		{level.String(), report.Count(int64(rep.Alpha.Units), tty), report.Count(int64(rep.Alpha.Dropped), tty), strconv.Itoa(len(rep.Coders)), report.Count(int64(rep.Alpha.Values), tty),
			report.Figure(rep.Agreement.Value, rep.Agreement.Undefined, tty), kappa(rep.Cohen), kappa(rep.Fleiss),
			report.Figure(rep.Alpha.Value, rep.Alpha.Undefined, tty), low, high, kappa(rep.BrennanPrediger)},
	}
	if o.csv {
		return app.WriteRowsCSV(e.stdout, rows)
	}
	if tty {
		e.printf("%s: %s (%s), %s\n", o.table, plural(len(rep.Coders), "coder"), strings.Join(rep.Coders, ", "), plural(rep.Units, "unit"))
	}
	if err := printRows(e, tty, rows); err != nil {
		return err
	}
	if tty {
		e.printf("units, dropped and values are alpha's: units with two values or more, and the values in them; the kappas are for nominal data only\n")
	}
	return nil
}
