package app

import (
	"fmt"

	"qcode"
	"qcode/coding"
	"qcode/coding/agree"
)

// TableAgreementOptions say which file of reliability data to measure
// (one row per unit, one column per coder), and how.
type TableAgreementOptions struct {
	File      string
	Coders    []string // only these coders' columns; none for all
	Level     string   // nominal, ordinal, interval or ratio
	Bootstrap int      // resamples for alpha's interval; 0 for none
	Seed      uint64
}

// TableAgreement is the agreement in a file of reliability data.
type TableAgreement struct {
	File string `json:"file"`
	// Encoding is the encoding the file was read as when it is not UTF-8
	// ("Windows-1252" is a guess a front end should show), else "".
	Encoding        string           `json:"encoding,omitempty"`
	Coders          []string         `json:"coders"`
	Level           agree.Level      `json:"level"`
	Units           int              `json:"units"` // rows of the table
	Agreement       agree.Percent    `json:"agreement"`
	Cohen           *agree.Kappa     `json:"cohen"`            // nominal, two coders
	Fleiss          *agree.Kappa     `json:"fleiss"`           // nominal
	BrennanPrediger *agree.Kappa     `json:"brennan_prediger"` // nominal
	Alpha           agree.Alpha      `json:"alpha"`
	AlphaInterval   *coding.Interval `json:"alpha_interval"`
}

// AgreeTable measures the agreement in a file of reliability data, with no
// project.
func AgreeTable(o TableAgreementOptions) (*TableAgreement, error) {
	if o.Bootstrap < 0 {
		return nil, qcode.FieldError("bootstrap", fmt.Sprint(o.Bootstrap), "give how many resamples, 0 or more (1000 is usual)")
	}
	level, err := agree.ParseLevel(o.Level)
	if err != nil {
		return nil, err
	}
	data, err := readInput(o.File, DefaultMaxFileSize, "")
	if err != nil {
		return nil, err
	}
	d, err := agree.ReadTable(o.File, data)
	if err != nil {
		return nil, err
	}
	if len(o.Coders) > 0 {
		if err := CheckCoderList(o.Coders); err != nil {
			return nil, err
		}
		if d, err = d.Select(o.Coders...); err != nil {
			return nil, err
		}
	}
	if len(d.Coders) < 2 {
		noun := "coder columns"
		if len(d.Coders) == 1 {
			noun = "coder column"
		}
		return nil, qcode.Errorf(qcode.EINVALID, "%s: %d %s, but agreement needs two coders or more; add a column per coder", o.File, len(d.Coders), noun)
	}
	rep := &TableAgreement{File: o.File, Encoding: encodingOf(data), Coders: d.Coders, Level: level, Units: len(d.Values)}
	if rep.Agreement, err = agree.PercentAgreement(d); err != nil {
		return nil, err
	}
	if rep.Alpha, err = agree.KrippendorffAlpha(d, level); err != nil {
		return nil, err
	}
	if o.Bootstrap > 0 {
		iv, err := agree.Bootstrap(d, level, o.Bootstrap, o.Seed)
		if err != nil {
			return nil, err
		}
		rep.AlphaInterval = coding.IntervalOf(iv)
	}
	if level != agree.Nominal {
		return rep, nil
	}
	if len(d.Coders) == 2 {
		k, err := agree.CohenKappa(d)
		if err != nil {
			return nil, err
		}
		rep.Cohen = &k
	}
	k, err := agree.FleissKappa(d)
	if err != nil {
		return nil, err
	}
	rep.Fleiss = &k
	bp, err := agree.BrennanPrediger(d, 0)
	if err != nil {
		return nil, err
	}
	rep.BrennanPrediger = &bp
	return rep, nil
}
