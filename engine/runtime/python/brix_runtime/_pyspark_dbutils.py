"""`pyspark.dbutils` for the brix local engine (open-source pyspark has none): DBUtils(spark)
returns the task's dbutils object."""

from brix_runtime.dbutils import dbutils as _dbutils


class DBUtils:
    def __new__(cls, spark=None):
        return _dbutils


__all__ = ["DBUtils"]
