"""Prints the rows the benchmarks wrote (benchlib.row) as one markdown table, by section.

    python3 report_table.py ROWS_FILE

ratio = brix's figure / the reference's, both measured in the same run; "×" figures below 1.00
mean brix took less (time, memory) or served less (req/s) than the reference.
"""

import sys

from benchlib import SECTIONS


def with_unit(value, unit):
    return f"{value} {unit}" if value else "—"


def ratio(value, reference):
    try:
        return f"{float(value) / float(reference):.2f}×"
    except (ValueError, ZeroDivisionError):
        return "—"


def main(path):
    lines = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]
    rows = [fields for fields in lines if fields[0] != "note"]
    notes = [fields[1] for fields in lines if fields[0] == "note"]
    rows.sort(key=lambda fields: SECTIONS.index(fields[0]))  # stable: each section keeps its order
    print("| figure | brix | reference | reference figure | ratio | target | met |")
    print("|---|---|---|---|---|---|---|")
    for _, figure, value, unit, reference, reference_value, target, met in rows:
        print(f"| {figure} | {with_unit(value, unit)} | {reference or '—'} | {with_unit(reference_value, unit)} | "
              f"{ratio(value, reference_value)} | {target or '—'} | {'**not met**' if met == 'not met' else met or '—'} |")
    missed = sum(1 for fields in rows if fields[-1] == "not met")
    print(f"\n{len(rows)} figures; targets met: {sum(1 for fields in rows if fields[-1] == 'met')}, not met: {missed}")
    for text in notes:
        print(f"\n{text}")


if __name__ == "__main__":
    main(sys.argv[1])
