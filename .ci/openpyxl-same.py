"""Reads a qcode workbook with openpyxl in read-only mode, which trusts each
sheet's declared dimension, and compares every sheet's cells with the CSV
file LibreOffice wrote of the same sheet: two spreadsheet readers agreeing
cell by cell. CI runs it (see .ci/check-workbook.sh).

    python3 .ci/openpyxl-same.py WORKBOOK.xlsx SHEETS-DIR PREFIX

SHEETS-DIR holds PREFIX-<sheet name>.csv for each sheet, as LibreOffice
names them. Exit status 0 when every sheet is the same, 1 otherwise.
"""
import csv
import math
import os
import sys

import openpyxl


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def same(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12)


def trim(rows):
    rows = [list(r) for r in rows]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def main():
    if len(sys.argv) != 4:
        print("usage: openpyxl-same.py WORKBOOK.xlsx SHEETS-DIR PREFIX", file=sys.stderr)
        return 2
    book, sheets, prefix = sys.argv[1:]
    wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    bad = False
    for ws in wb.worksheets:
        path = os.path.join(sheets, f"{prefix}-{ws.title}.csv")
        if not os.path.exists(path):
            print(f"{ws.title}: LibreOffice wrote no {path}")
            bad = True
            continue
        with open(path, newline="", encoding="utf-8") as f:
            lo = trim(csv.reader(f))
        ours = trim([text(v) for v in row] for row in ws.iter_rows(values_only=True))
        msg = ""
        if len(ours) != len(lo):
            msg = f"openpyxl reads {len(ours)} rows (dimension {ws.calculate_dimension()}), LibreOffice {len(lo)}"
        else:
            for i, (a, b) in enumerate(zip(ours, lo)):
                if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
                    msg = f"row {i + 1}: openpyxl reads {a[:8]}, LibreOffice {b[:8]}"
                    break
        if msg:
            print(f"{ws.title}: {msg}")
            bad = True
        else:
            print(f"{ws.title}: openpyxl and LibreOffice read the same {len(ours)} rows")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
