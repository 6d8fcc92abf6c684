#!/usr/bin/env bash
# CI: a real spreadsheet application (LibreOffice Calc, headless) opens the
# demo's results workbook, and every sheet, saved as CSV, holds what
# 'qcode export csv' writes from the same project: the same rows, the same
# numbers, text as text (a formula-like memo is added to make sure); and
# openpyxl in read-only mode reads every sheet cell for cell as LibreOffice
# does. Runs from the repo root of a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."

# apt_install PACKAGE: installs a Debian package, no recommends, saying how long.
apt_install() {
	echo "== installing $1 (no recommends)"
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
	start=$(date +%s)
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null
	echo "installed in $(($(date +%s) - start)) s"
}

command -v soffice >/dev/null || apt_install libreoffice-calc
# openpyxl, a second reader that trusts each sheet's declared dimension,
# from Debian (the Python package index is not reached), run by Debian's
# own python3.
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || apt_install python3-openpyxl
/usr/bin/python3 -c 'import openpyxl' || { echo "openpyxl is missing: the workbook check needs two readers"; exit 1; }
command -v soffice >/dev/null || { echo "soffice is missing: the workbook check needs LibreOffice"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/qcode" ./cmd/qcode
# The About sheet says when it was written: the same time for every file.
export SOURCE_DATE_EPOCH=1767225600

# sheets NAME.xlsx: every sheet of the workbook as $tmp/sheets/NAME-<sheet>.csv,
# values as stored (not as displayed), UTF-8, comma-separated.
sheets() {
	soffice -env:UserInstallation="file://$tmp/lo-profile" --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
		--outdir "$tmp/sheets" "$1" >/dev/null 2>&1
}

echo "== the demo workbook, read by LibreOffice, against qcode export csv"
"$tmp/qcode" demo --dir "$tmp/demo" --out "$tmp/demo.xlsx" >/dev/null
"$tmp/qcode" -C "$tmp/demo" export csv "$tmp/demo-csv" >/dev/null
sheets "$tmp/demo.xlsx"
go run ./.ci/csvsame "$tmp/sheets" demo "$tmp/demo-csv"
echo "== the demo workbook, read by openpyxl (read-only mode) and by LibreOffice, cell by cell"
/usr/bin/python3 .ci/openpyxl-same.py "$tmp/demo.xlsx" "$tmp/sheets" demo

echo "== with text that starts like a formula"
"$tmp/qcode" -C "$tmp/demo" coding add P01:s52 humility --coder amina --memo '=HYPERLINK("http://example.com","click")' >/dev/null
"$tmp/qcode" -C "$tmp/demo" coding add P01:s55 humility --coder amina --memo '+44 20 7946 0000' >/dev/null
"$tmp/qcode" -C "$tmp/demo" coding add P03:s80 humility --coder amina --memo '@SUM(A1:A2)' >/dev/null
"$tmp/qcode" -C "$tmp/demo" memo add --on-project '=SUM(1,2) interviews in March' --coder ben >/dev/null
"$tmp/qcode" -C "$tmp/demo" memo add --coder amina P03 -- '-cut short, see notes' >/dev/null
"$tmp/qcode" -C "$tmp/demo" export xlsx "$tmp/formulas.xlsx" >/dev/null
"$tmp/qcode" -C "$tmp/demo" export csv "$tmp/formulas-csv" >/dev/null
sheets "$tmp/formulas.xlsx"
go run ./.ci/csvsame "$tmp/sheets" formulas "$tmp/formulas-csv"
/usr/bin/python3 .ci/openpyxl-same.py "$tmp/formulas.xlsx" "$tmp/sheets" formulas
grep -qF '"=HYPERLINK(""http://example.com"",""click"")"' "$tmp/sheets/formulas-Codings.csv" ||
	{ echo "the formula-like memo did not stay text"; exit 1; }
grep -qF ',project,the project,,,ben,' "$tmp/sheets/formulas-Memos.csv" && grep -qF '=SUM(1,2) interviews in March' "$tmp/sheets/formulas-Memos.csv" ||
	{ echo "the Memos sheet lacks the memo on the project, as text"; exit 1; }

echo "check-workbook: ok"
