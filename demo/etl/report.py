# Databricks notebook source
# MAGIC %md
# MAGIC # Daily sales report
# MAGIC Totals per region, written by the `summarise` step.

# COMMAND ----------

# DBTITLE 1,Load the summary
rows = dbutils.fs.head("dbfs:/curated/sales_by_region.csv").splitlines()

# COMMAND ----------

for line in rows:
    print(line)
