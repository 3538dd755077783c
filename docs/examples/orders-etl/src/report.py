# Databricks notebook source
# MAGIC %md
# MAGIC The totals per country that `clean_orders.py` wrote.

# COMMAND ----------

output_dir = dbutils.widgets.get("output_dir")
totals = dbutils.fs.head(f"{output_dir}/totals.csv")
print(totals)

# COMMAND ----------

countries = totals.strip().splitlines()[1:]
dbutils.notebook.exit(f"{len(countries)} countries, largest: {max(countries, key=lambda line: float(line.split(',')[1]))}")
