"""Cleans the day's orders: drops cancelled ones and totals the rest per country."""
import argparse
import csv
import io

from databricks.sdk.runtime import dbutils

RAW_ORDERS = """order_id,country,amount,status
1001,FR,120.50,shipped
1002,DE,80.00,cancelled
1003,DE,42.25,shipped
1004,FR,19.90,shipped
1005,IT,64.00,shipped
1006,IT,15.00,cancelled
"""

parser = argparse.ArgumentParser()
parser.add_argument("--output", required=True)
args = parser.parse_args()

totals = {}
kept = 0
for order in csv.DictReader(io.StringIO(RAW_ORDERS)):
    if order["status"] == "cancelled":
        continue
    kept += 1
    totals[order["country"]] = totals.get(order["country"], 0.0) + float(order["amount"])

lines = ["country,total"] + [f"{country},{total:.2f}" for country, total in sorted(totals.items())]
dbutils.fs.put(f"{args.output}/totals.csv", "\n".join(lines) + "\n", True)
print(f"kept {kept} orders from {len(totals)} countries")
