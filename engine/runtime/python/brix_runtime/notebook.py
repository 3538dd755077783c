"""Runs a notebook task: `python3 -m brix_runtime.notebook NOTEBOOK_JSON`.

NOTEBOOK_JSON (written by the engine, every %run already inlined):
  {"path": "/Shared/etl/report", "language": "PYTHON",
   "cells": [{"number": 1, "magic": "", "text": "x = 1", "first_line": 3, "source_path": "/Shared/etl/report"}, ...]}

An inlined notebook sits between two cells of magic "run" ({"run": "begin", "text": <the %run
line>} and {"run": "end"}): the $name="value" arguments of the line are its widget values while
its cells run.

All cells run in one namespace, in order. Exit status 0 = success (also after dbutils.notebook.exit);
on a failing cell the traceback goes to stderr, $BRIX_TASK_DIR/error.json gets
{"error": "<ExcType>: <message>", "error_trace": "Cell N (<source>, line L)\\n<traceback>"} and the
exit status is 1."""

import ast
import builtins
import json
import linecache
import os
import shlex
import subprocess
import sys
import traceback
import types

from brix_runtime import _redact, environments, session
from brix_runtime import dbutils as _dbutils_module
from brix_runtime.dbutils import dbutils

LANGUAGE_MAGIC = {"PYTHON": "python", "SQL": "sql", "SCALA": "scala", "R": "r"}
SUPPORTED = "Python, %sql (with pyspark), %sh, %fs, %pip and %md"


class UnsupportedMagicError(Exception):
    """A cell language or magic the local engine cannot run."""


class CellCommandError(Exception):
    """A %sh or %pip cell whose command failed."""


# ----------------------------------------------------------------------------------------------
# cells


def _python_cell(cell, namespace):
    text = cell["text"]
    first_line = max(int(cell.get("first_line") or 1), 1)
    filename = cell.get("source_path") or cell.get("path") or "<notebook>"
    source = "\n" * (first_line - 1) + text
    flags = _future_flags(namespace)
    tree = compile(source, filename, "exec", ast.PyCF_ONLY_AST | flags, dont_inherit=True)
    # Like a notebook, show the value of a final bare expression (unless the cell ends with ';').
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not text.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    code = compile(tree, filename, "exec", flags, dont_inherit=True)
    exec(code, namespace)
    _collect_future_flags(code, namespace)
    if last is not None:
        value = eval(compile(last, filename, "eval", flags, dont_inherit=True), namespace)
        if value is not None:
            print(repr(value))


_FUTURE_KEY = "__brix_future_flags__"


def _future_flags(namespace):
    return namespace.get(_FUTURE_KEY, 0)


def _collect_future_flags(code, namespace):
    import __future__

    flags = 0
    for name in __future__.all_feature_names:
        feature = getattr(__future__, name)
        if code.co_flags & feature.compiler_flag:
            flags |= feature.compiler_flag
    if flags:
        namespace[_FUTURE_KEY] = namespace.get(_FUTURE_KEY, 0) | flags


def _stream(argv, **kwargs):
    """Runs a command, copying its output (stderr merged) to sys.stdout; returns the exit status."""
    sys.stdout.flush()
    sys.stderr.flush()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
    tail = []
    try:
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace")
            sys.stdout.write(line)
            sys.stdout.flush()
            tail.append(line)
            del tail[:-20]
    finally:
        proc.stdout.close()
        status = proc.wait()
    return status, "".join(tail)


def _sh_cell(cell, namespace):
    text = cell["text"]
    lines = text.split("\n")
    flags = []
    if lines and lines[0].strip() and all(w.startswith("-") for w in lines[0].split()):
        flags = lines[0].split()
        lines = lines[1:]
    script = "\n".join(lines)
    if "-e" in flags:
        script = "set -e\n" + script
    status, _ = _stream(["bash", "-c", script])
    if status != 0:
        if status < 0:
            raise CellCommandError(f"%sh command was killed by signal {-status}")
        raise CellCommandError(f"%sh command exited with status {status}")


def _pip_cell(cell, namespace):
    """%pip install/uninstall: the notebook gets its own environment (its task's libraries plus every
    %pip so far, cached like any environment); new packages import at once, upgraded ones after
    dbutils.library.restartPython(), as on a cluster. Other pip commands look at that environment."""
    args = shlex.split(cell["text"], comments=True)
    if not args:
        return
    if args[0] not in ("install", "uninstall"):
        status, tail = _stream([sys.executable, "-m", "pip", *args])
        if status != 0:
            raise CellCommandError(f"%pip {' '.join(args)} failed with exit status {status}:\n{tail.rstrip()}")
        return
    history = json.loads(os.environ.get("BRIX_PIP_HISTORY") or "[]") + [args]
    spec = dict(json.loads(os.environ.get("BRIX_ENVIRONMENT") or "{}"), pip=history)
    python = environments.base_python()
    try:
        environment = environments.ensure(spec, python)
    except environments.LibraryError as exc:
        if exc.status is None:
            raise CellCommandError(f"%pip {' '.join(args)} failed: {exc}") from None
        raise CellCommandError(f"%pip {' '.join(args)} failed with exit status {exc.status}:\n{exc.tail}") from None
    environments.record(environment)
    environments.activate_variables(environment, python)
    os.environ["BRIX_PIP_HISTORY"] = json.dumps(history)
    _use_environment(environment)


def _use_environment(environment):
    """Puts the environment's packages first on sys.path of this interpreter."""
    import glob
    import importlib
    import site

    before = list(sys.path)
    for folder in sorted(glob.glob(os.path.join(environment.path, "lib", "python*", "site-packages"))):
        site.addsitedir(folder)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = added + before
    sys.executable = environment.python
    importlib.invalidate_caches()


# The notebook file and the cell running now, for dbutils.library.restartPython().
_running = {"file": None, "cell": -1}


def restart_python():
    """A fresh interpreter of the notebook's environment goes on with the cell after this one; the
    Python state is gone, widgets and the environment stay (what restartPython does on a cluster)."""
    dbutils.widgets._keep_for_restart()
    sys.stdout.flush()
    sys.stderr.flush()
    python = sys.executable
    os.execv(python, [python, "-m", "brix_runtime.notebook", _running["file"], "--resume-after", str(_running["cell"])])


def _print_file_infos(infos):
    rows = [("path", "name", "size", "modificationTime")]
    rows += [(i.path, i.name, str(i.size), str(i.modificationTime)) for i in infos]
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


def _fs_cell(cell, namespace):
    args = shlex.split(cell["text"])
    if not args:
        dbutils.fs.help()
        return
    command, rest = args[0], args[1:]
    flags = {a for a in rest if a.startswith("-")}
    positional = [a for a in rest if not a.startswith("-")]
    recurse = bool(flags & {"-r", "--recurse", "--recursive", "--recurse=true"})
    overwrite = bool(flags & {"-f", "--overwrite", "--overwrite=true"})
    fs = dbutils.fs
    if command == "ls":
        _print_file_infos(fs.ls(*positional[:1]))
    elif command == "head":
        print(fs.head(*positional[:1], *(int(x) for x in positional[1:2])))
    elif command in ("cp", "mv"):
        print(getattr(fs, command)(positional[0], positional[1], recurse))
    elif command == "rm":
        print(fs.rm(positional[0], recurse))
    elif command in ("mkdirs", "mkdir"):
        print(fs.mkdirs(positional[0]))
    elif command == "put":
        print(fs.put(positional[0], positional[1], overwrite))
    elif command == "mounts":
        print(fs.mounts())
    elif command == "help":
        fs.help()
    else:
        raise UnsupportedMagicError(f"%fs {command}: unknown command (ls, head, cp, mv, rm, mkdirs, put, help)")


def split_sql(text):
    """Splits SQL text at top-level ';' (not inside quotes or comments)."""
    statements, current = [], []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if text[j] == "\\" and c != "`":
                    j += 2
                    continue
                if text[j] == c:
                    break
                j += 1
            current.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            current.append(text[i:j])
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            current.append(text[i:j])
            i = j
        elif c == ";":
            statements.append("".join(current))
            current = []
            i += 1
        else:
            current.append(c)
            i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if _has_code(s)]


def _has_code(statement):
    for line in statement.split("\n"):
        line = line.strip()
        if line and not line.startswith("--"):
            return True
    return False


def _sql_cell(cell, namespace):
    statements = split_sql(cell["text"])
    if not statements:
        return
    spark = session.get_spark()
    result = None
    for statement in statements:
        result = spark.sql(statement)
    namespace["_sqldf"] = result
    if result is not None and getattr(result, "columns", None) != []:
        session.display(result)


def _skip(cell, namespace):
    pass


def _unsupported(magic):
    def run(cell, namespace):
        raise UnsupportedMagicError(
            f"%{magic} cells cannot run on the brix local engine (it runs {SUPPORTED})")

    return run


HANDLERS = {
    "python": _python_cell,
    "py": _python_cell,
    "md": _skip,
    "md-sandbox": _skip,
    "sh": _sh_cell,
    "fs": _fs_cell,
    "pip": _pip_cell,
    "sql": _sql_cell,
}


def parse_run_arguments(text):
    """The notebook path and the $name="value" arguments of a %run line, as Databricks reads them:
    `%run ./other $env="prod" $day=2026-01-01` -> ("./other", {"env": "prod", "day": "2026-01-01"}).
    Values may be double-quoted (with \" inside), single-quoted or bare."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"%run {text.strip()}: {exc}") from None
    if not words:
        raise ValueError("%run needs the path of a notebook")
    arguments = {}
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if not name.startswith("$") or not equals or len(name) < 2:
            raise ValueError(f'%run {text.strip()}: arguments are $name="value", not {word!r}')
        arguments[name[1:]] = value
    return words[0], arguments


def _run_cell(cell, namespace):
    """The engine inlines a %run notebook between a "begin" and an "end" cell: its arguments set
    the included notebook's widgets while its cells run."""
    if cell.get("run") == "begin":
        try:
            _, arguments = parse_run_arguments(cell.get("text", ""))
        except ValueError as exc:
            raise UnsupportedMagicError(str(exc)) from None
        dbutils.widgets._enter_run(arguments)
    elif cell.get("run") == "end":
        dbutils.widgets._leave_run()
    else:
        raise UnsupportedMagicError("%run cells must be inlined by the engine before the notebook runs")


def _handler(magic):
    if magic == "run":
        return _run_cell
    return HANDLERS.get(magic) or _unsupported(magic)


# ----------------------------------------------------------------------------------------------
# errors


def _error_line(tb, filename, default):
    line = default
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _strip_runner_frames(tb):
    """Drops the leading frames of this module so the traceback starts at the cell."""
    here = os.path.abspath(__file__)
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) == here:
        tb = tb.tb_next
    return tb


def _write_error(error, trace):
    task_dir = os.environ.get("BRIX_TASK_DIR")
    if not task_dir:
        return
    payload = json.dumps({"error": _redact.redact(error), "error_trace": _redact.redact(trace)})
    path = os.path.join(task_dir, "error.json")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(payload)
    os.replace(tmp, path)


def _describe(exc):
    name = type(exc).__name__
    message = str(exc)
    if isinstance(exc, SyntaxError) and exc.msg:
        message = exc.msg
    return f"{name}: {message}" if message else name


def _fail(cell, exc):
    filename = cell.get("source_path") or "<notebook>"
    first_line = int(cell.get("first_line") or 1)
    if isinstance(exc, SyntaxError) and exc.filename == filename and exc.lineno:
        line = exc.lineno
    else:
        line = _error_line(exc.__traceback__, filename, first_line)
    header = f"Cell {cell.get('number')} ({filename}, line {line})"
    if isinstance(exc, (UnsupportedMagicError, CellCommandError)):
        body = _describe(exc) + "\n"
    else:
        tb = _strip_runner_frames(exc.__traceback__)
        body = "".join(traceback.format_exception(type(exc), exc, tb))
    trace = header + "\n" + body
    sys.stdout.flush()
    sys.stderr.write(trace)
    sys.stderr.flush()
    _write_error(_describe(exc), trace)


# ----------------------------------------------------------------------------------------------
# runner


def _register_sources(cells):
    """Puts the cell texts into linecache at their notebook lines, so tracebacks show the code."""
    files = {}
    for cell in cells:
        if cell.get("magic") not in ("", "python", "py"):
            continue
        name = cell.get("source_path") or "<notebook>"
        lines = files.setdefault(name, [])
        first = max(int(cell.get("first_line") or 1), 1)
        text_lines = cell.get("text", "").split("\n")
        need = first - 1 + len(text_lines)
        if len(lines) < need:
            lines.extend(["\n"] * (need - len(lines)))
        for i, text in enumerate(text_lines):
            lines[first - 1 + i] = text + "\n"
    for name, lines in files.items():
        linecache.cache[name] = (sum(len(x) for x in lines), None, lines, name)


def make_namespace(path):
    module = types.ModuleType("__main__", f"Notebook {path}")
    namespace = module.__dict__
    namespace.update({
        "__builtins__": builtins,
        "dbutils": dbutils,
        "spark": session.spark,
        "sc": session.sc,
        "display": session.display,
        "displayHTML": session.displayHTML,
        "sql": session.sql,
        "table": session.table,
        "getArgument": dbutils.widgets.getArgument,
    })
    return module


def run_notebook(notebook, first_cell=0):
    path = notebook.get("path") or "<notebook>"
    language = (notebook.get("language") or "PYTHON").upper()
    cells = notebook.get("cells") or []
    own_magic = LANGUAGE_MAGIC.get(language, language.lower())
    for cell in cells:
        cell["magic"] = cell.get("magic") or own_magic
        cell.setdefault("text", "")
    os.environ["BRIX_NOTEBOOK_PATH"] = path
    _dbutils_module._in_notebook = True
    sys.argv = [path]
    if path.startswith("/") and os.environ.get("BRIX_ROOT"):
        # As on Databricks, modules next to the notebook (workspace files) are importable.
        folder = os.path.dirname(path)
        if not (folder == "/Workspace" or folder.startswith("/Workspace/")):
            folder = "/Workspace" + folder
        sys.path.insert(0, folder)
    _register_sources(cells)
    module = make_namespace(path)
    namespace = module.__dict__
    runner_main = sys.modules.get("__main__")
    sys.modules["__main__"] = module  # pickle, dataclasses and typing look classes up here
    try:
        for index, cell in enumerate(cells):
            if index < first_cell:
                continue
            _running["cell"] = index
            try:
                _handler(cell["magic"])(cell, namespace)
            except _dbutils_module._NotebookExit:
                return 0
            except SystemExit as exc:
                if exc.code in (None, 0):
                    return 0
                _fail(cell, exc)
                return 1
            except BaseException as exc:
                _fail(cell, exc)
                return 1
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                except Exception:
                    pass
        return 0
    finally:
        if runner_main is not None:
            sys.modules["__main__"] = runner_main


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    first_cell = 0
    if len(argv) == 3 and argv[1] == "--resume-after":  # after dbutils.library.restartPython()
        first_cell = int(argv[2]) + 1
    elif len(argv) != 1:
        print("usage: python3 -m brix_runtime.notebook NOTEBOOK_JSON [--resume-after CELL_INDEX]", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        notebook = json.load(f)
    _running["file"] = os.path.abspath(argv[0])
    _dbutils_module._restart_python = restart_python
    return run_notebook(notebook, first_cell)


if __name__ == "__main__":
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        sys.exit(status)
