"""Totals one day of raw sales per region and writes the summary to the curated zone.

Runs unmodified on Databricks and on the brix local engine: /dbfs paths and dbutils work in both.
"""
import csv
import sys
from collections import defaultdict

from databricks.sdk.runtime import dbutils

day = sys.argv[1]
totals = defaultdict(float)
with open(f"/dbfs/landing/sales/{day}.csv", newline="") as raw:
    for row in csv.DictReader(raw):
        totals[row["region"]] += float(row["amount"])

summary = "region,total\n" + "".join(f"{region},{totals[region]:.2f}\n" for region in sorted(totals))
dbutils.fs.put("dbfs:/curated/sales_by_region.csv", summary, overwrite=True)
dbutils.jobs.taskValues.set("regions", len(totals))
print(f"summarised {day}: {len(totals)} regions")
