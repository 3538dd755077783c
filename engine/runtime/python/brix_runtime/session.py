"""A lazy `spark` session and the notebook display helpers.

`spark` starts a SparkSession on first use when pyspark is importable, with the cluster's spark_conf
(BRIX_SPARK_CONF, a JSON object) — its spark.master included, so a cluster spec can point tasks at
an existing Spark cluster — else master BRIX_SPARK_MASTER (local[N]), default local[*]. Without
pyspark any use raises a RuntimeError that says so."""

import os
import sys
import threading

__all__ = ["spark", "sc", "display", "displayHTML", "sql", "table", "get_spark", "spark_available"]

_lock = threading.Lock()
_session = None


def spark_available():
    import importlib.util

    try:
        return importlib.util.find_spec("pyspark") is not None
    except (ImportError, ValueError):
        return False


def get_spark():
    """The task's SparkSession, started on first call."""
    global _session
    if _session is not None:
        return _session
    with _lock:
        if _session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:
                raise RuntimeError(
                    "spark is not available: pyspark is not installed in this Python "
                    f"({sys.executable}; {exc}). Install pyspark (and a Java runtime) in the task's "
                    "environment to use spark, %sql, sql() and table().") from None
            conf = _cluster_conf()
            master = conf.pop("spark.master", None) or os.environ.get("BRIX_SPARK_MASTER") or "local[*]"
            name = "brix " + (os.environ.get("BRIX_TASK_KEY") or os.environ.get("BRIX_NOTEBOOK_PATH") or "task")
            builder = SparkSession.builder.master(master).appName(name)
            for key, value in conf.items():
                builder = builder.config(key, value)
            builder = _with_delta(builder)
            _session = builder.getOrCreate()
    return _session


def _cluster_conf():
    import json

    try:
        conf = json.loads(os.environ.get("BRIX_SPARK_CONF") or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in conf.items()} if isinstance(conf, dict) else {}


def _with_delta(builder):
    """Adds Delta Lake when delta-spark is installed (as on Databricks, tables are Delta)."""
    import importlib.util

    try:
        if importlib.util.find_spec("delta") is None or not hasattr(builder, "config"):
            return builder
        from delta import configure_spark_with_delta_pip
    except ImportError:
        return builder
    builder = builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension").config(
        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
    return configure_spark_with_delta_pip(builder)


class _LazySpark:
    """Stands for the SparkSession until first use, then delegates to it."""

    __slots__ = ()

    def __getattr__(self, name):
        return getattr(get_spark(), name)

    def __setattr__(self, name, value):
        setattr(get_spark(), name, value)

    def __dir__(self):
        return dir(get_spark())

    def __repr__(self):
        if _session is None:
            return "<SparkSession (brix: started on first use)>"
        return repr(_session)


class _LazySparkContext:
    __slots__ = ()

    def __getattr__(self, name):
        return getattr(get_spark().sparkContext, name)

    def __repr__(self):
        if _session is None:
            return "<SparkContext (brix: started on first use)>"
        return repr(_session.sparkContext)


spark = _LazySpark()
sc = _LazySparkContext()


def sql(query, *args, **kwargs):
    """spark.sql(query)"""
    return get_spark().sql(query, *args, **kwargs)


def table(name):
    """spark.table(name)"""
    return get_spark().table(name)


def _is_pandas(x):
    module = type(x).__module__ or ""
    return module.split(".", 1)[0] == "pandas" and hasattr(x, "to_string")


def display(x=None, *args, **kwargs):
    """Shows a DataFrame (Spark: .show(); pandas: the whole table) or any value."""
    if x is None:
        return
    module = type(x).__module__ or ""
    if callable(getattr(x, "show", None)) and not _is_pandas(x) and not module.startswith("matplotlib"):
        x.show()
    elif _is_pandas(x):
        print(x.to_string())
    else:
        print(x)
    sys.stdout.flush()


def displayHTML(html):
    """Prints the HTML source (there is no notebook UI locally)."""
    print(html)
