"""`databricks.sdk.runtime` for the brix local engine.

Used only when the real databricks-sdk is not installed: `databricks` and `databricks.sdk` are
namespace packages here, so an installed SDK's own packages take precedence."""

from brix_runtime.dbutils import dbutils
from brix_runtime.session import display, displayHTML, sc, spark, sql, table

getArgument = dbutils.widgets.getArgument

__all__ = ["dbutils", "spark", "sc", "display", "displayHTML", "sql", "table", "getArgument"]
