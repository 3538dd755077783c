"""Tests of the brix Python task runtime (engine/runtime/python).

Run from the repository root:  python3 -m unittest discover -s tests/python -v

Every test starts real Python processes with the runtime first on PYTHONPATH and a temporary
engine root (dbfs/, workspace/, tmp/, brix.db with the engine's tables), the way the engine
starts tasks (docs/task-runtime-contract.md)."""

import base64
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNTIME = os.path.join(REPO, "engine", "runtime", "python")

# The runtime's tables, as created by engine/store/migrations.cpp.
SCHEMA = """
CREATE TABLE task_values (
    job_run_id INTEGER NOT NULL,
    task_key   TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (job_run_id, task_key, key)
);
CREATE TABLE secret_scopes (
    name         TEXT PRIMARY KEY,
    backend_type TEXT NOT NULL DEFAULT 'DATABRICKS',
    created_time INTEGER NOT NULL
);
CREATE TABLE secrets (
    scope        TEXT NOT NULL REFERENCES secret_scopes (name) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    value        BLOB NOT NULL,
    last_updated INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE uc_securables (
    kind      TEXT NOT NULL,
    full_name TEXT NOT NULL,
    parent    TEXT NOT NULL,
    info      TEXT NOT NULL,
    PRIMARY KEY (kind, full_name)
);
INSERT INTO uc_securables VALUES ('CATALOG', 'main', '', '{}'), ('SCHEMA', 'main.default', 'main', '{}');
"""

FAKE_PYSPARK = {
    "pyspark/__init__.py": "",
    "pyspark/sql/__init__.py": textwrap.dedent('''
        class DataFrame:
            def __init__(self, query):
                self.query = query

            def show(self):
                print("SHOW " + self.query)

            def __repr__(self):
                return "DataFrame[" + self.query + "]"


        class _Context:
            def __init__(self, master):
                self.master = master


        class _Session:
            def __init__(self, master, name):
                self.master, self.name = master, name
                self.sparkContext = _Context(master)

            def sql(self, query):
                return DataFrame(query)

            def table(self, name):
                return DataFrame("table " + name)


        class _Builder:
            def master(self, master):
                self._master = master
                return self

            def appName(self, name):
                self._name = name
                return self

            def config(self, key, value):
                print("CONF " + key + "=" + value)
                return self

            def getOrCreate(self):
                print("SESSION master=" + self._master)
                return _Session(self._master, self._name)


        class SparkSession:
            builder = _Builder()
        '''),
}

# Stands in for the brix binary in dbutils.notebook.run tests: records its calls in $FAKE_BRIX_LOG
# and answers according to $FAKE_BRIX_MODE (success, failure, hang).
FAKE_BRIX = textwrap.dedent('''
    import json, os, sys
    args = sys.argv[1:]
    log = os.environ["FAKE_BRIX_LOG"]
    with open(log, "a") as f:
        f.write(json.dumps({"args": args, "host": os.environ.get("DATABRICKS_HOST"),
                            "config": os.environ.get("DATABRICKS_CONFIG_FILE")}) + "\\n")
    mode = os.environ.get("FAKE_BRIX_MODE", "success")
    polls = sum(1 for line in open(log) if '"get"' in line)
    if args[:2] == ["runs", "submit"]:
        print(json.dumps({"run_id": 41}))
    elif args[:2] == ["runs", "get"]:
        if mode == "hang" or polls < 3:
            state = {"life_cycle_state": "RUNNING"}
        elif mode == "failure":
            state = {"life_cycle_state": "INTERNAL_ERROR", "result_state": "FAILED",
                     "state_message": "Task notebook failed with message: Workload failed"}
        else:
            state = {"life_cycle_state": "TERMINATED", "result_state": "SUCCESS", "state_message": ""}
        print(json.dumps({"run_id": 41, "state": state, "tasks": [{"run_id": 42, "task_key": "notebook"}]}))
    elif args[:2] == ["runs", "get-output"]:
        if mode == "failure":
            print(json.dumps({"error": "ValueError: bad input"}))
        else:
            print(json.dumps({"notebook_output": {"result": "child says hi"}}))
    elif args[:2] == ["runs", "cancel"]:
        print("{}")
    else:
        print("unknown command", args, file=sys.stderr)
        sys.exit(2)
    ''')


# Prepended to test scripts: should path translation ever be broken, stop before anything is
# written to the real /dbfs, /Volumes or /Workspace of this machine.
TRANSLATION_GUARD = (
    "import os as _os\n"
    "if not hasattr(_os.mkdir, '__wrapped__'): raise SystemExit('brix path translation is not installed')\n"
    "del _os\n"
)


class RuntimeTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="brix-rt-")
        self.root = os.path.join(self.tmp, "root")
        for sub in ("dbfs", "workspace", "tmp"):
            os.makedirs(os.path.join(self.root, sub))
        self.task_dir = os.path.join(self.tmp, "task")
        os.makedirs(self.task_dir)
        self.db_path = os.path.join(self.root, "brix.db")
        db = sqlite3.connect(self.db_path)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        db.commit()
        db.close()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("BRIX_", "PYTHON", "DATABRICKS_"))}
        env.update({
            "PYTHONPATH": RUNTIME,
            "PYTHONDONTWRITEBYTECODE": "1",  # keep __pycache__ out of the runtime folder
            "PYTHONIOENCODING": "utf-8",
            "BRIX_ROOT": self.root,
            "BRIX_TASK_DIR": self.task_dir,
            "BRIX_JOB_ID": "3",
            "BRIX_JOB_RUN_ID": "7",
            "BRIX_TASK_RUN_ID": "8",
            "BRIX_TASK_KEY": "main",
            "BRIX_WIDGETS": "{}",
        })
        self.env = env

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers

    def dbfs(self, *parts):
        return os.path.join(self.root, "dbfs", *parts)

    def run_py(self, code, env=None, args=(), cwd=None):
        full_env = dict(self.env)
        full_env.update(env or {})
        full_env = {k: v for k, v in full_env.items() if v is not None}
        script = os.path.join(self.tmp, "script_%d.py" % time.monotonic_ns())
        with open(script, "w") as f:
            if "BRIX_ROOT" in full_env:
                f.write(TRANSLATION_GUARD)
            f.write(textwrap.dedent(code))
        return subprocess.run([sys.executable, script, *args], env=full_env, cwd=cwd or self.task_dir,
                              capture_output=True, text=True, timeout=120)

    def assertOk(self, proc):
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")

    def run_notebook(self, cells, path="/Shared/nb", language="PYTHON", env=None):
        numbered = []
        for i, cell in enumerate(cells, 1):
            cell = dict(cell)
            cell.setdefault("number", i)
            cell.setdefault("magic", "")
            cell.setdefault("source_path", path)
            numbered.append(cell)
        nb_file = os.path.join(self.task_dir, "notebook.json")
        with open(nb_file, "w") as f:
            json.dump({"path": path, "language": language, "cells": numbered}, f)
        full_env = dict(self.env)
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "brix_runtime.notebook", nb_file], env=full_env,
                              cwd=self.task_dir, capture_output=True, text=True, timeout=120)

    def read_json(self, name):
        with open(os.path.join(self.task_dir, name)) as f:
            return json.load(f)

    def make_fake_pyspark(self):
        folder = os.path.join(self.tmp, "fake_site")
        for rel, text in FAKE_PYSPARK.items():
            path = os.path.join(folder, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        self.env["PYTHONPATH"] = RUNTIME + os.pathsep + folder
        return folder

    def add_secret(self, scope, key, value):
        db = sqlite3.connect(self.db_path)
        db.execute("INSERT OR IGNORE INTO secret_scopes (name, created_time) VALUES (?, 1)", (scope,))
        db.execute("INSERT INTO secrets (scope, key, value, last_updated) VALUES (?, ?, ?, 1)",
                   (scope, key, value))
        db.commit()
        db.close()


class PathTranslationTest(RuntimeTestCase):
    def test_dbfs_files_reach_the_engine_root(self):
        proc = self.run_py('''
            import os, pickle
            os.makedirs("/dbfs/data/in", exist_ok=True)
            with open("/dbfs/data/in/a.txt", "w") as f:
                f.write("hello")
            print(os.path.exists("/dbfs/data/in/a.txt"), os.path.isdir("/dbfs/data"), os.path.isfile("/dbfs/nope"))
            print(sorted(os.listdir("/dbfs/data")), sorted(os.listdir("/dbfs/data/in")))
            with open("/dbfs/data/obj.pkl", "wb") as f:
                pickle.dump({"k": [1, 2, 3]}, f)
            with open("/dbfs/data/obj.pkl", "rb") as f:
                print(pickle.load(f))
            os.rename("/dbfs/data/in/a.txt", "/dbfs/data/in/b.txt")
            print(open("/dbfs/data/in/b.txt").read(), os.stat("/dbfs/data/in/b.txt").st_size)
            os.remove("/dbfs/data/obj.pkl")
            print(sorted(os.listdir("/dbfs/data")))
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "True True False",
            "['in'] ['a.txt']",
            "{'k': [1, 2, 3]}",
            "hello 5",
            "['in']",
        ])
        with open(self.dbfs("data", "in", "b.txt")) as f:
            self.assertEqual(f.read(), "hello")
        self.assertFalse(os.path.exists(self.dbfs("data", "obj.pkl")))

    def test_volumes_workspace_pathlib_and_escapes(self):
        proc = self.run_py('''
            import os, pathlib, shutil, glob
            p = pathlib.Path("/Volumes/main/default/vol/dir")
            p.mkdir(parents=True)
            (p / "f.csv").write_text("a,b\\n1,2\\n")
            print((p / "f.csv").read_text().splitlines(), [x.name for x in p.iterdir()])
            os.makedirs("/Workspace/Shared/proj")
            open("/Workspace/Shared/proj/conf.json", "w").write("{}")
            print(glob.glob("/Workspace/Shared/*"))
            shutil.copytree("/Workspace/Shared/proj", "/dbfs/copy")
            print(os.listdir("/dbfs/copy"))
            shutil.rmtree("/dbfs/copy")
            print(os.path.exists("/dbfs/copy"))
            print(os.path.exists("/dbfsx"), os.path.exists("/dbfs/../dbfs"))
            print(os.path.exists("/dbfs/.." + os.environ["BRIX_ROOT"]))
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "['a,b', '1,2'] ['f.csv']",
            "['/Workspace/Shared/proj']",
            "['conf.json']",
            "False",
            "False True",
            "True",
        ])
        self.assertTrue(os.path.isfile(self.dbfs("Volumes", "main", "default", "vol", "dir", "f.csv")))
        self.assertTrue(os.path.isfile(os.path.join(self.root, "workspace", "Shared", "proj", "conf.json")))

    def test_import_from_dbfs(self):
        os.makedirs(self.dbfs("lib", "pkg"))
        with open(self.dbfs("lib", "mymodule.py"), "w") as f:
            f.write("VALUE = 42\n")
        with open(self.dbfs("lib", "pkg", "__init__.py"), "w") as f:
            f.write("from .inner import NAME\n")
        with open(self.dbfs("lib", "pkg", "inner.py"), "w") as f:
            f.write("NAME = 'inner'\n")
        proc = self.run_py('''
            import sys
            sys.path.append("/dbfs/lib")
            import mymodule, pkg
            print(mymodule.VALUE, mymodule.__file__, pkg.NAME)
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "42 /dbfs/lib/mymodule.py inner\n")

    def test_no_translation_without_brix_root(self):
        proc = self.run_py('''
            import os
            print(os.path.exists("/dbfs"), open is __builtins__.open)
            try:
                open("/dbfs/x.txt")
            except FileNotFoundError as e:
                print(e.filename)
        ''', env={"BRIX_ROOT": None})
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "False True\n/dbfs/x.txt\n")

    def test_next_sitecustomize_still_runs(self):
        other = os.path.join(self.tmp, "other")
        os.makedirs(other)
        with open(os.path.join(other, "sitecustomize.py"), "w") as f:
            f.write("import builtins\nbuiltins.CHAINED = 'yes'\n")
        proc = self.run_py("print(CHAINED)", env={"PYTHONPATH": RUNTIME + os.pathsep + other})
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "yes\n")

    def test_databricks_sdk_runtime_import(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.fs.put("/x.txt", "abc")
            print([f.name for f in dbutils.fs.ls("/")])
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "Wrote 3 bytes.\n['x.txt']\n")

    def test_pyspark_dbutils_with_pyspark(self):
        self.make_fake_pyspark()
        proc = self.run_py('''
            from pyspark.dbutils import DBUtils
            from brix_runtime.dbutils import dbutils
            d = DBUtils(None)
            print(d is dbutils, d.widgets.getArgument("w", "dflt"))
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "True dflt\n")

    def test_pyspark_dbutils_without_pyspark(self):
        proc = self.run_py('''
            try:
                from pyspark.dbutils import DBUtils
            except ImportError as e:
                print(type(e).__name__, e.name)
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "ModuleNotFoundError pyspark\n")


class FsTest(RuntimeTestCase):
    def test_put_head_ls(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            print(dbutils.fs.put("dbfs:/a/b.txt", "hello"))
            try:
                dbutils.fs.put("/a/b.txt", "again")
            except FileExistsError as e:
                print("ERR", e)
            dbutils.fs.put("a/b.txt", "héllo!", overwrite=True)
            print(repr(dbutils.fs.head("/dbfs/a/b.txt")))
            print(repr(dbutils.fs.head("/a/b.txt", 3)))
            dbutils.fs.mkdirs("/a/sub/deeper")
            for f in dbutils.fs.ls("/a"):
                print(f.path, f.name, f.size, f.isDir(), f.modificationTime > 1600000000000)
            print(dbutils.fs.ls("dbfs:/a/b.txt")[0][:3])
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "Wrote 5 bytes.",
            "True",
            "ERR File already exists: dbfs:/a/b.txt (pass overwrite=True to replace it)",
            "Wrote 7 bytes.",
            "'héllo!'",
            "[Truncated to first 3 bytes]",
            "'hé'",
            "dbfs:/a/b.txt b.txt 7 False True",
            "dbfs:/a/sub/ sub/ 0 True True",
            "('dbfs:/a/b.txt', 'b.txt', 7)",
        ])
        with open(self.dbfs("a", "b.txt"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "héllo!")
        self.assertEqual(os.listdir(os.path.join(self.root, "tmp")), [])

    def test_cp_mv_rm(self):
        local = os.path.join(self.tmp, "local.txt")
        with open(local, "w") as f:
            f.write("local data")
        proc = self.run_py(f'''
            from databricks.sdk.runtime import dbutils
            fs = dbutils.fs
            fs.put("/src/one.txt", "1")
            fs.put("/src/nested/two.txt", "22")
            print(fs.cp("file:{local}", "dbfs:/in/local.txt"))
            try:
                fs.cp("/src", "/dst")
            except IsADirectoryError as e:
                print("ERR", e)
            print(fs.cp("/src", "/dst", recurse=True))
            fs.mkdirs("/dir")
            fs.cp("/src/one.txt", "/dir")
            print(fs.mv("/dst/one.txt", "/moved.txt"))
            try:
                fs.rm("/dst")
            except OSError as e:
                print("ERR", e)
            print(fs.rm("/dst", recurse=True), fs.rm("/dst"), fs.rm("/moved.txt"))
            print(fs.cp("/src/nested/two.txt", "file:{self.tmp}/out/two.txt"))
            try:
                fs.ls("/missing")
            except FileNotFoundError as e:
                print("ERR", e)
            try:
                fs.ls("s3://bucket/x")
            except ValueError as e:
                print("ERR", e)
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "Wrote 1 bytes.",
            "Wrote 2 bytes.",
            "True",
            "ERR dbfs:/src is a directory: pass recurse=True to copy it",
            "True",
            "True",
            "ERR [Errno 39] dbfs:/dst is a non-empty directory: pass recurse=True to delete it",
            "True False True",
            "True",
            "ERR File dbfs:/missing does not exist.",
            "ERR unsupported file system scheme 's3:' in 's3://bucket/x': the brix local engine supports "
            "dbfs:/, /Volumes/... and file:/ paths",
        ])
        with open(self.dbfs("in", "local.txt")) as f:
            self.assertEqual(f.read(), "local data")
        with open(self.dbfs("dir", "one.txt")) as f:
            self.assertEqual(f.read(), "1")
        with open(os.path.join(self.tmp, "out", "two.txt")) as f:
            self.assertEqual(f.read(), "22")
        self.assertFalse(os.path.exists(self.dbfs("dst")))
        self.assertFalse(os.path.exists(self.dbfs("moved.txt")))
        self.assertEqual(sorted(os.listdir(self.dbfs())), ["dir", "in", "src"])

    def test_paths_cannot_escape_and_volumes(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.fs.put("dbfs:/../../escape.txt", "x")
            dbutils.fs.put("/../x/../../y.txt", "y")
            dbutils.fs.put("/Volumes/main/default/v/f.txt", "v")
            print([f.path for f in dbutils.fs.ls("/Volumes/main/default/v")])
            print([f.path for f in dbutils.fs.ls("dbfs:/Volumes/main/default/v/")])
            print(sorted(f.name for f in dbutils.fs.ls("dbfs:/")))
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines()[3:], [
            "['dbfs:/Volumes/main/default/v/f.txt']",
            "['dbfs:/Volumes/main/default/v/f.txt']",
            "['Volumes/', 'escape.txt', 'y.txt']",
        ])
        self.assertTrue(os.path.isfile(self.dbfs("escape.txt")))
        self.assertTrue(os.path.isfile(self.dbfs("y.txt")))
        self.assertTrue(os.path.isfile(self.dbfs("Volumes", "main", "default", "v", "f.txt")))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "escape.txt")))

    def test_volume_writes_need_a_volume(self):
        db = sqlite3.connect(self.db_path)
        db.execute("INSERT INTO uc_securables VALUES ('CATALOG', 'sales', '', '{}'), "
                   "('SCHEMA', 'sales.raw', 'sales', '{}'), ('VOLUME', 'sales.raw.landing', 'sales.raw', '{}')")
        db.commit()
        db.close()
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.fs.put("/Volumes/sales/raw/landing/ok.txt", "in a volume")
            dbutils.fs.mkdirs("/Volumes/main/default/made_on_first_use/sub")
            for call in (lambda: dbutils.fs.put("/Volumes/sales/raw/nope/x.txt", "x"),
                         lambda: dbutils.fs.mkdirs("/Volumes/sales/newschema"),
                         lambda: dbutils.fs.cp("dbfs:/Volumes/sales/raw/landing/ok.txt", "/Volumes/other/s/v/x.txt")):
                try:
                    call()
                    print("written")
                except (FileNotFoundError, PermissionError) as error:
                    print(type(error).__name__, error)
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines()[1:], [
            "FileNotFoundError Volume 'sales.raw.nope' does not exist (writing dbfs:/Volumes/sales/raw/nope/x.txt)",
            "PermissionError cannot write dbfs:/Volumes/sales/newschema: files live in volumes, "
            "/Volumes/<catalog>/<schema>/<volume>/...",
            "FileNotFoundError Volume 'other.s.v' does not exist (writing dbfs:/Volumes/other/s/v/x.txt)",
        ])
        self.assertTrue(os.path.isfile(self.dbfs("Volumes", "sales", "raw", "landing", "ok.txt")))
        self.assertTrue(os.path.isdir(self.dbfs("Volumes", "main", "default", "made_on_first_use", "sub")))
        self.assertFalse(os.path.exists(self.dbfs("Volumes", "sales", "raw", "nope")))
        self.assertFalse(os.path.exists(self.dbfs("Volumes", "other")))

    def test_help(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.fs.help()
        ''')
        self.assertOk(proc)
        self.assertIn("put(file: str, contents: str, overwrite: bool = False): bool", proc.stdout)


class WidgetsTest(RuntimeTestCase):
    def test_precedence_and_errors(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            w = dbutils.widgets
            w.text("date", "2024-01-01", "Date")
            w.text("env", "dev")
            w.dropdown("color", "red", ["red", "blue"])
            w.multiselect("tags", "a", ["a", "b", "c"])
            w.combobox("free", "zzz", ["x"])
            print(w.get("date"), w.get("env"), w.get("color"), w.get("tags"), w.get("free"), w.get("only_passed"))
            print(sorted(w.getAll().items()))
            print(w.getArgument("nope", "fallback"), w.getArgument("env"))
            for call in (lambda: w.get("missing"),
                         lambda: w.dropdown("d", "green", ["red"]),
                         lambda: w.text("n", 5),
                         lambda: w.remove("never")):
                try:
                    call()
                except Exception as e:
                    print(type(e).__name__ + ": " + str(e))
            w.remove("env")
            try:
                w.get("env")
            except Exception as e:
                print(type(e).__name__ + ": " + str(e))
            w.removeAll()
            print(w.get("date"), sorted(w.getAll()))
        ''', env={"BRIX_WIDGETS": json.dumps({"date": "2025-06-30", "only_passed": "p"})})
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "2025-06-30 dev red a zzz p",
            "[('color', 'red'), ('date', '2025-06-30'), ('env', 'dev'), ('free', 'zzz'), "
            "('only_passed', 'p'), ('tags', 'a')]",
            "fallback dev",
            "InputWidgetNotDefined: No input widget named missing is defined",
            "ValueError: default value 'green' of dropdown widget 'd' is not one of its choices ['red']",
            "TypeError: defaultValue of widget 'n' must be a str, not int",
            "InputWidgetNotDefined: No input widget named never is defined",
            "InputWidgetNotDefined: No input widget named env is defined",
            "2025-06-30 ['date', 'only_passed']",
        ])

    def test_uncaught_missing_widget_in_script(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.widgets.get("X")
        ''')
        self.assertEqual(proc.returncode, 1)
        self.assertIn("InputWidgetNotDefined: No input widget named X is defined", proc.stderr)


class NotebookExitTest(RuntimeTestCase):
    def test_exit_in_script(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            print("before")
            try:
                dbutils.notebook.exit({"rows": 3})
            except Exception:
                print("caught: wrong")
            print("after: wrong")
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "before\n")
        self.assertEqual(self.read_json("notebook_result.json"), {"result": "{'rows': 3}"})


class TaskValuesTest(RuntimeTestCase):
    def test_set_and_get_between_processes(self):
        up = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.jobs.taskValues.set("count", 42)
            dbutils.jobs.taskValues.set("info", {"a": [1, "b"], "ok": True})
            dbutils.jobs.taskValues.set("count", 43)
        ''', env={"BRIX_TASK_KEY": "up"})
        self.assertOk(up)
        down = self.run_py('''
            from databricks.sdk.runtime import dbutils
            tv = dbutils.jobs.taskValues
            print(tv.get("up", "count"), tv.get(taskKey="up", key="info"), tv.get("up", "nope", default=0))
            print(tv.get("up", "nope", default="d", debugValue="dbg"))
            try:
                tv.get("up", "nope")
            except ValueError as e:
                print("ValueError", e)
        ''', env={"BRIX_TASK_KEY": "down"})
        self.assertOk(down)
        self.assertEqual(down.stdout.splitlines(), [
            "43 {'a': [1, 'b'], 'ok': True} 0",
            "d",
            "ValueError No task value with key 'nope' was set by task 'up' in this run, and no default was given",
        ])
        db = sqlite3.connect(self.db_path)
        rows = db.execute("SELECT job_run_id, task_key, key, value FROM task_values ORDER BY key").fetchall()
        db.close()
        self.assertEqual(rows, [(7, "up", "count", "43"), (7, "up", "info", '{"a": [1, "b"], "ok": true}')])
        other_run = self.run_py('''
            from databricks.sdk.runtime import dbutils
            print(dbutils.jobs.taskValues.get("up", "count", default="none here"))
        ''', env={"BRIX_JOB_RUN_ID": "8"})
        self.assertOk(other_run)
        self.assertEqual(other_run.stdout, "none here\n")

    def test_size_limit(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            tv = dbutils.jobs.taskValues
            tv.set("max", "x" * (48 * 1024 - 2))  # 49152 bytes with the quotes
            print("ok")
            try:
                tv.set("big", "x" * (48 * 1024 - 1))
            except ValueError as e:
                print("ValueError", e)
            try:
                tv.set("obj", object())
            except TypeError as e:
                print("TypeError", str(e).split(":")[0])
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "ok",
            "ValueError task value 'big' is too large: 49153 bytes serialised, the limit is 49152 (48 KiB)",
            "TypeError task value 'obj' is not JSON-serialisable",
        ])

    def test_outside_a_job(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            tv = dbutils.jobs.taskValues
            tv.set("k", 1)
            print(tv.get("up", "k", default=5, debugValue="debug"))
            try:
                tv.get("up", "k", default=5)
            except TypeError as e:
                print("TypeError", e)
        ''', env={"BRIX_JOB_RUN_ID": None})
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "debug",
            "TypeError Must pass debugValue when calling get outside of a job context. debugValue cannot be None.",
        ])


class SecretsTest(RuntimeTestCase):
    def test_get_redacts_output_and_records_values(self):
        self.add_secret("prod", "password", b"s3cr3t-value")
        self.add_secret("prod", "token", b"tok\xc3\xa9n")
        proc = self.run_py('''
            import sys, logging
            logging.basicConfig(level=logging.INFO, format="%(message)s")
            from databricks.sdk.runtime import dbutils
            pw = dbutils.secrets.get("prod", "password")
            print("pw is", pw, len(pw))
            print("token:", dbutils.secrets.get(scope="prod", key="token"), file=sys.stderr)
            logging.info("logged %s", pw)
            print(dbutils.secrets.getBytes("prod", "token"))
            print(dbutils.secrets.list("prod"), dbutils.secrets.listScopes())
            print(pw.upper())
            for call in (lambda: dbutils.secrets.get("prod", "nope"), lambda: dbutils.secrets.get("dev", "x"),
                         lambda: dbutils.secrets.list("dev")):
                try:
                    call()
                except Exception as e:
                    print(type(e).__name__ + ": " + str(e))
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "pw is [REDACTED] 12",
            "b'tok\\xc3\\xa9n'",
            "[SecretMetadata(key='password'), SecretMetadata(key='token')] [SecretScope(name='prod')]",
            "S3CR3T-VALUE",
            "SecretNotFound: Secret does not exist with scope: prod and key: nope",
            "SecretNotFound: Secret scope 'dev' does not exist",
            "SecretNotFound: Secret scope 'dev' does not exist",
        ])
        self.assertEqual(proc.stderr.splitlines(), ["token: [REDACTED]", "logged [REDACTED]"])
        redact = os.path.join(self.task_dir, "secrets.redact")
        self.assertEqual(stat.S_IMODE(os.stat(redact).st_mode), 0o600)
        with open(redact) as f:
            values = [base64.b64decode(line) for line in f.read().splitlines()]
        self.assertEqual(values, [b"s3cr3t-value", b"tok\xc3\xa9n"])


class NotebookRunnerTest(RuntimeTestCase):
    def test_secrets_are_redacted_in_sh_output_and_errors(self):
        self.add_secret("s", "k", b"hunter2-pass")
        proc = self.run_notebook([
            {"text": "import os\nos.environ['PW'] = dbutils.secrets.get('s', 'k')", "first_line": 2},
            {"magic": "sh", "text": "echo \"pw=$PW\"", "first_line": 5},
            {"text": "raise ValueError('bad ' + os.environ['PW'])", "first_line": 8},
        ])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "pw=[REDACTED]\n")
        error = self.read_json("error.json")
        self.assertEqual(error["error"], "ValueError: bad [REDACTED]")
        self.assertNotIn("hunter2", error["error_trace"] + proc.stderr)

    def test_secrets_are_redacted_in_the_exit_value(self):
        self.add_secret("s", "k", b"hunter3-pass")
        proc = self.run_notebook([
            {"text": "dbutils.notebook.exit('value: ' + dbutils.secrets.get('s', 'k'))", "first_line": 2},
        ])
        self.assertOk(proc)
        self.assertEqual(self.read_json("notebook_result.json"), {"result": "value: [REDACTED]"})

    def test_cells_share_one_namespace(self):
        proc = self.run_notebook([
            {"text": "x = 40\nimport os", "first_line": 2},
            {"magic": "md", "text": "# Title\nprint('not run')", "first_line": 5},
            {"text": "def inc(v):\n    return v + 1\nprint(inc(x) + 1, __name__, os.environ['BRIX_NOTEBOOK_PATH'])",
             "first_line": 9},
            {"magic": "python", "text": "import pickle, dataclasses\n@dataclasses.dataclass\nclass P:\n    a: int\n"
             "print(pickle.loads(pickle.dumps(P(1))))\nx * 2", "first_line": 14},
            {"text": "y = x;", "first_line": 21},
            {"text": "from __future__ import annotations\ndef f(a: Undefined): pass", "first_line": 23},
            {"text": "def g(a: AlsoUndefined): pass\nprint(g.__annotations__, y)", "first_line": 26},
        ])
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "42 __main__ /Shared/nb",
            "P(a=1)",
            "80",
            "{'a': 'AlsoUndefined'} 40",
        ])
        self.assertFalse(os.path.exists(os.path.join(self.task_dir, "error.json")))

    def test_error_names_cell_and_notebook_line(self):
        proc = self.run_notebook([
            {"text": "a = 1", "first_line": 2},
            {"magic": "md", "text": "text", "first_line": 5},
            {"text": "def f(d):\n    return d['missing']\n\nprint('start')\nf({})\nprint('never')",
             "first_line": 10},
            {"text": "print('not reached')", "first_line": 20},
        ])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "start\n")
        error = self.read_json("error.json")
        self.assertEqual(error["error"], "KeyError: 'missing'")
        self.assertEqual(error["error_trace"], textwrap.dedent('''\
            Cell 3 (/Shared/nb, line 11)
            Traceback (most recent call last):
              File "/Shared/nb", line 14, in <module>
                f({})
              File "/Shared/nb", line 11, in f
                return d['missing']
                       ~^^^^^^^^^^^
            KeyError: 'missing'
            '''))
        self.assertEqual(proc.stderr, error["error_trace"])

    def test_syntax_error_line(self):
        proc = self.run_notebook([{"text": "x = 1\ny = (", "first_line": 7}])
        self.assertEqual(proc.returncode, 1)
        error = self.read_json("error.json")
        self.assertEqual(error["error"], "SyntaxError: '(' was never closed")
        self.assertTrue(error["error_trace"].startswith("Cell 1 (/Shared/nb, line 8)\n"), error["error_trace"])

    def test_included_notebook_keeps_its_own_source_path(self):
        proc = self.run_notebook([
            {"text": "def helper():\n    raise RuntimeError('in lib')", "first_line": 3, "source_path": "/Shared/lib"},
            {"text": "helper()", "first_line": 4},
        ])
        self.assertEqual(proc.returncode, 1)
        error = self.read_json("error.json")
        self.assertEqual(error["error"], "RuntimeError: in lib")
        self.assertTrue(error["error_trace"].startswith("Cell 2 (/Shared/nb, line 4)\n"), error["error_trace"])
        self.assertIn('File "/Shared/lib", line 4, in helper\n    raise RuntimeError(\'in lib\')',
                      error["error_trace"])

    def test_sh_cells(self):
        proc = self.run_notebook([
            {"magic": "sh", "text": "echo one; false; echo two", "first_line": 2},
            {"magic": "sh", "text": "-e\necho three\nfalse\necho four", "first_line": 5},
            {"text": "print('not reached')", "first_line": 10},
        ])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "one\ntwo\nthree\n")
        self.assertEqual(self.read_json("error.json"), {
            "error": "CellCommandError: %sh command exited with status 1",
            "error_trace": "Cell 2 (/Shared/nb, line 5)\nCellCommandError: %sh command exited with status 1\n",
        })

    def test_sh_last_command_fails(self):
        proc = self.run_notebook([{"magic": "sh", "text": "echo out; echo err >&2; exit 3", "first_line": 2}])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "out\nerr\n")
        self.assertEqual(self.read_json("error.json")["error"], "CellCommandError: %sh command exited with status 3")

    def test_fs_magic(self):
        proc = self.run_notebook([
            {"text": "dbutils.fs.put('/tmp/a.txt', 'abc');\nimport os\nos.utime('/dbfs/tmp/a.txt', (0, 0))",
             "first_line": 2},
            {"magic": "fs", "text": "ls /tmp", "first_line": 6},
            {"magic": "fs", "text": "head dbfs:/tmp/a.txt", "first_line": 8},
        ])
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "Wrote 3 bytes.\n"
                                      "path             name   size  modificationTime\n"
                                      "dbfs:/tmp/a.txt  a.txt  3     0\n"
                                      "abc\n")

    def test_scala_and_r_cells_fail_clearly(self):
        proc = self.run_notebook([
            {"text": "print('first')", "first_line": 2},
            {"magic": "scala", "text": "val x = 1", "first_line": 5},
        ])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "first\n")
        error = self.read_json("error.json")
        self.assertEqual(error["error"], "UnsupportedMagicError: %scala cells cannot run on the brix local engine "
                                         "(it runs Python, %sql (with pyspark), %sh, %fs, %pip and %md)")
        self.assertTrue(error["error_trace"].startswith("Cell 2 (/Shared/nb, line 5)\n"))
        proc = self.run_notebook([{"text": "x <- 1", "first_line": 2}], language="R")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("%r cells cannot run on the brix local engine", self.read_json("error.json")["error"])

    def test_exit_stops_successfully(self):
        proc = self.run_notebook([
            {"text": "print('one')", "first_line": 2},
            {"text": "try:\n    dbutils.notebook.exit('done: ' + dbutils.widgets.get('p'))\nexcept Exception:\n"
             "    print('swallowed')", "first_line": 4},
            {"text": "print('never')", "first_line": 10},
        ], env={"BRIX_WIDGETS": '{"p": "v"}'})
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "one\n")
        self.assertEqual(self.read_json("notebook_result.json"), {"result": "done: v"})
        self.assertFalse(os.path.exists(os.path.join(self.task_dir, "error.json")))

    def test_missing_widget_fails_the_notebook(self):
        proc = self.run_notebook([{"text": "dbutils.widgets.text('a', '1')\nv = dbutils.widgets.get('b')",
                                   "first_line": 3}])
        self.assertEqual(proc.returncode, 1)
        error = self.read_json("error.json")
        self.assertEqual(error["error"], "InputWidgetNotDefined: No input widget named b is defined")
        self.assertTrue(error["error_trace"].startswith("Cell 1 (/Shared/nb, line 4)\n"))

    def test_spark_without_pyspark(self):
        proc = self.run_notebook([
            {"text": "print(repr(spark))", "first_line": 2},
            {"magic": "sql", "text": "SELECT 1", "first_line": 4},
        ])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "<SparkSession (brix: started on first use)>\n")
        error = self.read_json("error.json")
        self.assertTrue(error["error"].startswith(
            "RuntimeError: spark is not available: pyspark is not installed in this Python ("), error["error"])
        self.assertTrue(error["error_trace"].startswith("Cell 2 (/Shared/nb, line 4)\n"))
        proc = self.run_notebook([{"text": "df = spark.range(3)", "first_line": 2}])
        self.assertEqual(proc.returncode, 1)
        self.assertIn("spark is not available: pyspark is not installed", self.read_json("error.json")["error"])

    def test_pip_failure(self):
        proc = self.run_notebook([{"magic": "pip", "text": "install --no-index brix-no-such-package-xyz",
                                   "first_line": 2}])
        self.assertEqual(proc.returncode, 1)
        error = self.read_json("error.json")
        self.assertTrue(error["error"].startswith(
            "CellCommandError: %pip install --no-index brix-no-such-package-xyz failed with exit status 1:"),
            error["error"])

    def test_workspace_files_next_to_the_notebook_are_importable(self):
        folder = os.path.join(self.root, "workspace", "Shared", "proj")
        os.makedirs(folder)
        with open(os.path.join(folder, "helpers.py"), "w") as f:
            f.write("def hi():\n    return 'hi from workspace'\n")
        proc = self.run_notebook([{"text": "import helpers\nprint(helpers.hi())", "first_line": 2}],
                                 path="/Shared/proj/nb")
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "hi from workspace\n")


class SparkTest(RuntimeTestCase):
    def test_spark_sql_in_a_script(self):
        self.make_fake_pyspark()
        proc = self.run_py('''
            from databricks.sdk.runtime import spark, display, sql, sc
            print(repr(spark))
            df = spark.sql("SELECT 1 AS one")
            display(df)
            print(repr(sql("SELECT 2")), sc.master)
            display([1, 2])
            class FakePandasFrame:
                def to_string(self):
                    return "   a\\n0  1"
            FakePandasFrame.__module__ = "pandas.core.frame"
            display(FakePandasFrame())
        ''', env={"BRIX_SPARK_MASTER": "local[2]"})
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "<SparkSession (brix: started on first use)>",
            "SESSION master=local[2]",
            "SHOW SELECT 1 AS one",
            "DataFrame[SELECT 2] local[2]",
            "[1, 2]",
            "   a",
            "0  1",
        ])

    def test_sql_magic_sets_sqldf(self):
        self.make_fake_pyspark()
        proc = self.run_notebook([
            {"magic": "sql", "text": "CREATE TABLE t (a INT);\n-- comment; with semicolon\nSELECT ';' AS s FROM t",
             "first_line": 2},
            {"text": "print(repr(_sqldf))\ndisplay(table('t'))\nprint(sc.master)", "first_line": 6},
        ])
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), [
            "SESSION master=local[*]",
            "SHOW -- comment; with semicolon",
            "SELECT ';' AS s FROM t",
            "DataFrame[-- comment; with semicolon",
            "SELECT ';' AS s FROM t]",
            "SHOW table t",
            "local[*]",
        ])

    def test_sql_language_notebook(self):
        self.make_fake_pyspark()
        proc = self.run_notebook([{"text": "SELECT 1", "first_line": 2}], language="SQL")
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "SESSION master=local[*]\nSHOW SELECT 1\n")


    def test_cluster_spark_conf_reaches_the_builder(self):
        self.make_fake_pyspark()
        conf = {"spark.master": "spark://127.0.0.1:7077", "spark.sql.shuffle.partitions": "7"}
        proc = self.run_py("""
            from databricks.sdk.runtime import spark
            spark.sql("SELECT 1")
        """, env={"BRIX_SPARK_MASTER": "local[2]", "BRIX_SPARK_CONF": json.dumps(conf)})
        self.assertOk(proc)
        self.assertEqual(proc.stdout.splitlines(), ["CONF spark.sql.shuffle.partitions=7", "SESSION master=spark://127.0.0.1:7077"])


class FileSystemModeTest(RuntimeTestCase):
    def test_no_python_mapping_in_a_mount_namespace(self):
        probe = "import os; print(hasattr(os.mkdir, '__wrapped__'), hasattr(open, '__wrapped__'))"
        for mode, expected in (("mount_namespace", "False False"), ("python_mapping", "True True"), (None, "True True")):
            env = dict(self.env)
            env.pop("BRIX_FILE_SYSTEM", None)
            if mode:
                env["BRIX_FILE_SYSTEM"] = mode
            proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
            self.assertOk(proc)
            self.assertEqual(proc.stdout.strip(), expected, mode)


class RestartPythonTest(RuntimeTestCase):
    def test_restart_goes_on_with_the_next_cell(self):
        proc = self.run_notebook([
            {"text": "dbutils.widgets.text('w', 'the default')\nx = 1\nprint('before', x)", "first_line": 2},
            {"text": "dbutils.library.restartPython()\nprint('never')", "first_line": 6},
            {"text": "print('after', 'x' in globals(), dbutils.widgets.get('w'))", "first_line": 10},
        ])
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "before 1\nafter False the default\n")

    def test_restart_in_a_script_says_there_is_nothing_to_restart(self):
        proc = self.run_py("""
            from databricks.sdk.runtime import dbutils
            dbutils.library.restartPython()
            print("still here")
        """)
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "still here\n")
        self.assertIn("only a notebook has a Python process to restart", proc.stderr)


class EnvironmentSpecTest(RuntimeTestCase):
    """The cache key and library paths of brix_runtime.environments (building is tested end to end)."""

    def run_environments(self, code):
        proc = self.run_py("from brix_runtime import environments as e\n" + textwrap.dedent(code))
        self.assertOk(proc)
        return proc.stdout.splitlines()

    def test_library_paths(self):
        os.makedirs(os.path.join(self.root, "workspace", "Shared", "lib"))
        out = self.run_environments("""
            print(e.local_file("/Workspace/Shared/lib/a.whl"))
            print(e.local_file("/Shared/lib"))
            print(e.local_file("dbfs:/wheels/b.whl"))
            print(e.local_file("/dbfs/wheels/b.whl"))
            print(e.local_file("/Volumes/m/s/v/c.whl"))
            print(e.local_file("d.whl", cwd="/Workspace/Shared/lib"))
            print(e.local_file("/usr"))
        """)
        self.assertEqual(out, [
            self.root + "/workspace/Shared/lib/a.whl",
            self.root + "/workspace/Shared/lib",
            self.root + "/dbfs/wheels/b.whl",
            self.root + "/dbfs/wheels/b.whl",
            self.root + "/dbfs/Volumes/m/s/v/c.whl",
            self.root + "/workspace/Shared/lib/d.whl",
            "/usr",
        ])

    def test_the_key_follows_the_spec_and_the_files_it_names(self):
        wheel = self.dbfs("w", "p-1-py3-none-any.whl")
        os.makedirs(os.path.dirname(wheel))
        with open(wheel, "wb") as f:
            f.write(b"one")
        out = self.run_environments("""
            import sys
            a = {"libraries": [{"whl": "dbfs:/w/p-1-py3-none-any.whl"}, {"pypi": {"package": "x"}}]}
            b = {"libraries": [{"pypi": {"package": "x"}}, {"whl": "dbfs:/w/p-1-py3-none-any.whl"}]}
            print(e.key_of(a, sys.executable) == e.key_of(dict(a), sys.executable))
            print(e.key_of(a, sys.executable) == e.key_of(b, sys.executable))
            print(e.key_of(a, sys.executable) == e.key_of(dict(a, pip=[["install", "y"]]), sys.executable))
            before = e.key_of(a, sys.executable)
            open("/dbfs/w/p-1-py3-none-any.whl", "wb").write(b"two")
            print(before == e.key_of(a, sys.executable))
        """)
        self.assertEqual(out, ["True", "False", "False", "False"])


class NotebookRunTest(RuntimeTestCase):
    def setUp(self):
        super().setUp()
        fake = os.path.join(self.tmp, "fake_brix")
        with open(fake, "w") as f:
            f.write(f"#!{sys.executable}\n" + FAKE_BRIX)
        os.chmod(fake, 0o755)
        self.log = os.path.join(self.tmp, "brix_calls.log")
        self.env.update({"BRIX_BIN": fake, "FAKE_BRIX_LOG": self.log, "BRIX_NOTEBOOK_PATH": "/Shared/etl/main"})

    def calls(self):
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def test_success_returns_the_exit_value(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            print(repr(dbutils.notebook.run("./child", 60, {"a": "1", "n": 2})))
        ''')
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "'child says hi'\n")
        calls = self.calls()
        self.assertEqual([c["args"][:2] for c in calls],
                         [["runs", "submit"]] + [["runs", "get"]] * 3 + [["runs", "get-output"]])
        submit = calls[0]["args"]
        self.assertEqual(submit[2:4], ["--no-wait", "--json"])
        self.assertEqual(json.loads(submit[4]), {
            "run_name": "notebook.run /Shared/etl/child",
            "tasks": [{"task_key": "notebook", "notebook_task": {
                "notebook_path": "/Shared/etl/child", "base_parameters": {"a": "1", "n": "2"}}}],
        })
        self.assertEqual(calls[1]["args"], ["runs", "get", "--run-id", "41", "-o", "json"])
        self.assertEqual(calls[4]["args"], ["runs", "get-output", "--run-id", "42", "-o", "json"])
        self.assertEqual({(c["host"], c["config"]) for c in calls}, {("local:" + self.root, "/dev/null")})

    def test_failure_raises_workflow_exception(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            dbutils.notebook.run("/Shared/other", 0)
        ''', env={"FAKE_BRIX_MODE": "failure"})
        self.assertEqual(proc.returncode, 1)
        self.assertIn("WorkflowException: Notebook /Shared/other (run 41) FAILED: Task notebook failed with "
                      "message: Workload failed\nValueError: bad input\n", proc.stderr)

    def test_timeout_cancels_the_run(self):
        proc = self.run_py('''
            from databricks.sdk.runtime import dbutils
            try:
                dbutils.notebook.run("../up/child", 1)
            except Exception as e:
                print(type(e).__name__ + ": " + str(e))
        ''', env={"FAKE_BRIX_MODE": "hang"})
        self.assertOk(proc)
        self.assertEqual(proc.stdout, "WorkflowException: timed out after 1 seconds (notebook /Shared/up/child, "
                                      "run 41); the run was cancelled\n")
        self.assertEqual(self.calls()[-1]["args"], ["runs", "cancel", "--run-id", "41"])


if __name__ == "__main__":
    unittest.main()
