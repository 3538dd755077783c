"""brix task runtime: what Databricks code expects to find in a task process.

`dbutils`, `spark`, `sc`, `display`, `displayHTML`, `sql`, `table` and `getArgument` are loaded on
first use, so importing this package costs next to nothing."""

__all__ = ["dbutils", "spark", "sc", "display", "displayHTML", "sql", "table", "getArgument"]


def __getattr__(name):
    if name == "dbutils":
        from brix_runtime.dbutils import dbutils

        return dbutils
    if name == "getArgument":
        from brix_runtime.dbutils import dbutils

        return dbutils.widgets.getArgument
    if name in ("spark", "sc", "display", "displayHTML", "sql", "table"):
        from brix_runtime import session as _session

        return getattr(_session, name)
    raise AttributeError(f"module 'brix_runtime' has no attribute {name!r}")
