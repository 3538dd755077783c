"""Totals the raw sales file per region and prints the summary as CSV."""
import csv
import sys
from collections import defaultdict

totals = defaultdict(float)
with open(sys.argv[1], newline="") as raw:
    for row in csv.DictReader(raw):
        totals[row["region"]] += float(row["amount"])

print("region,total")
for region in sorted(totals):
    print(f"{region},{totals[region]:.2f}")
