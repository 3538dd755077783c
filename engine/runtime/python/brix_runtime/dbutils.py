"""`dbutils` for tasks run by the brix local engine.

Same calls and results as Databricks' dbutils (fs, widgets, notebook, secrets, jobs.taskValues,
library), backed by the engine root ($BRIX_ROOT): files under dbfs/, secrets and task values in
brix.db, child notebook runs through the brix CLI ($BRIX_BIN)."""

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import stat as _stat
import subprocess
import sys
import tempfile
import time
from collections import namedtuple

from brix_runtime import _paths, _redact

__all__ = [
    "dbutils", "DBUtils", "FileInfo", "SecretMetadata", "SecretScope", "InputWidgetNotDefined",
    "WorkflowException", "SecretNotFound",
]

TASK_VALUE_MAX_BYTES = 48 * 1024

# Set by brix_runtime.notebook: notebook.exit then stops the notebook rather than the process.
_in_notebook = False


class InputWidgetNotDefined(Exception):
    """dbutils.widgets.get for a name that is neither a widget nor a passed parameter."""


class WorkflowException(Exception):
    """dbutils.notebook.run: the child run failed, was cancelled or timed out."""


class SecretNotFound(Exception):
    """dbutils.secrets: no such scope or key."""


class _NotebookExit(BaseException):
    """Raised by dbutils.notebook.exit inside a notebook; the notebook runner stops successfully.

    A BaseException so that `except Exception:` in user code does not swallow it."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


def _db_path():
    return os.path.join(_paths.engine_root(), "brix.db")


def _connect(read_only):
    path = _db_path()
    if not os.path.isfile(path):
        raise RuntimeError(f"the brix engine database {path} does not exist")
    if read_only:
        from urllib.parse import quote

        return sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(path, timeout=30)


def _print_help(title, entries):
    lines = [title, ""]
    width = max(len(sig) for sig, _ in entries)
    for sig, text in entries:
        lines.append(f"{sig.ljust(width)} -> {text}")
    print("\n".join(lines))


# ----------------------------------------------------------------------------------------------
# fs


class FileInfo(namedtuple("FileInfo", ["path", "name", "size", "modificationTime"])):
    __slots__ = ()

    def isDir(self):
        return self.name.endswith("/")

    def isFile(self):
        return not self.isDir()


_umask = None


def _file_mode():
    global _umask
    if _umask is None:
        _umask = os.umask(0)
        os.umask(_umask)
    return 0o666 & ~_umask


def _under_root(local):
    root = os.environ.get("BRIX_ROOT")
    if not root:
        return False
    root = os.path.abspath(root)
    return local == root or local.startswith(root + os.sep)


def _atomic_write(dest, write, overwrite=True, what=None):
    """Writes through a temp file (in $BRIX_ROOT/tmp for engine paths) and renames it into place."""
    parent = os.path.dirname(dest)
    os.makedirs(parent, exist_ok=True)
    tmp_dir = _paths.tmp_dir() if _under_root(dest) else parent
    fd, tmp = tempfile.mkstemp(prefix=".brix-", dir=tmp_dir or parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.chmod(tmp, _file_mode())
        try:
            _place(tmp, dest, overwrite, what)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # The temp folder is on another file system: stage again next to the target.
            fd2, tmp2 = tempfile.mkstemp(prefix=".brix-", dir=parent)
            os.close(fd2)
            try:
                shutil.copyfile(tmp, tmp2)
                os.chmod(tmp2, _file_mode())
                _place(tmp2, dest, overwrite, what)
            finally:
                if os.path.lexists(tmp2):
                    os.unlink(tmp2)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _place(tmp, dest, overwrite, what):
    if overwrite:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)  # atomic "create unless it exists"
    except FileExistsError:
        raise FileExistsError(
            f"File already exists: {what or dest} (pass overwrite=True to replace it)") from None
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
            if os.path.lexists(dest):
                raise FileExistsError(
                    f"File already exists: {what or dest} (pass overwrite=True to replace it)") from None
            os.replace(tmp, dest)
        else:
            raise


def _copy_file(src, dest):
    if os.path.exists(dest) and os.path.samefile(src, dest):
        return

    def write(f):
        with open(src, "rb") as r:
            shutil.copyfileobj(r, f, 1 << 20)

    _atomic_write(dest, write)


def _copy_tree(src, dest):
    os.makedirs(dest, exist_ok=True)
    with os.scandir(src) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        target = os.path.join(dest, entry.name)
        if entry.is_dir():
            _copy_tree(entry.path, target)
        else:
            _copy_file(entry.path, target)


def _missing(loc):
    return FileNotFoundError(f"File {loc.uri} does not exist.")


def _securable_exists(kind, full_name):
    with contextlib.closing(_connect(read_only=True)) as db:
        row = db.execute("SELECT 1 FROM uc_securables WHERE kind = ? AND full_name = ?", (kind, full_name)).fetchone()
    return row is not None


def _check_volume_write(loc):
    """A write under /Volumes goes into a volume that exists, as on Databricks; in main.default a
    volume is made on first use (the engine registers the folder when it next looks)."""
    if loc.scheme != "dbfs" or not (loc.path == "/Volumes" or loc.path.startswith("/Volumes/")):
        return
    parts = [p for p in loc.path.split("/")[2:] if p]
    if len(parts) < 3:
        raise PermissionError(
            f"cannot write {loc.uri}: files live in volumes, /Volumes/<catalog>/<schema>/<volume>/...")
    catalog, schema, volume = parts[:3]
    if _securable_exists("VOLUME", f"{catalog}.{schema}.{volume}"):
        return
    if (catalog, schema) == ("main", "default") and _securable_exists("SCHEMA", "main.default"):
        return
    raise FileNotFoundError(f"Volume '{catalog}.{schema}.{volume}' does not exist (writing {loc.uri})")


class _FS:
    def _info(self, loc, st, name):
        mtime = int(st.st_mtime * 1000)
        if _stat.S_ISDIR(st.st_mode):
            path = loc.uri if loc.uri.endswith("/") else loc.uri + "/"
            return FileInfo(path, name + "/" if name else "", 0, mtime)
        return FileInfo(loc.uri, name, st.st_size, mtime)

    def ls(self, dir="dbfs:/"):
        """Lists a folder (or a file): FileInfo(path, name, size, modificationTime); folders end in '/'."""
        loc = _paths.resolve(dir)
        try:
            st = os.stat(loc.local)
        except FileNotFoundError:
            raise _missing(loc) from None
        if not _stat.S_ISDIR(st.st_mode):
            return [self._info(loc, st, os.path.basename(loc.path))]
        result = []
        for name in sorted(os.listdir(loc.local)):
            child = loc.child(name)
            try:
                cst = os.stat(child.local)
            except FileNotFoundError:  # dangling link or removed meanwhile
                continue
            result.append(self._info(child, cst, name))
        return result

    def cp(self, from_, to, recurse=False):
        """Copies a file, or a folder's contents with recurse=True, possibly across file systems."""
        src, dst = _paths.resolve(from_), _paths.resolve(to)
        if not os.path.exists(src.local):
            raise _missing(src)
        _check_volume_write(dst)
        if os.path.isdir(src.local):
            if not recurse:
                raise IsADirectoryError(f"{src.uri} is a directory: pass recurse=True to copy it")
            real_src = os.path.realpath(src.local)
            real_dst = os.path.realpath(dst.local)
            if real_dst == real_src or real_dst.startswith(real_src + os.sep):
                raise ValueError(f"cannot copy {src.uri} into itself ({dst.uri})")
            if os.path.exists(dst.local) and not os.path.isdir(dst.local):
                raise FileExistsError(f"{dst.uri} exists and is not a directory")
            _copy_tree(src.local, dst.local)
            return True
        target = dst.local
        if os.path.isdir(target):
            target = os.path.join(target, os.path.basename(src.local))
        _copy_file(src.local, target)
        return True

    def mv(self, from_, to, recurse=False):
        """Moves a file or folder, possibly across file systems."""
        src, dst = _paths.resolve(from_), _paths.resolve(to)
        if not os.path.lexists(src.local):
            raise _missing(src)
        _check_volume_write(dst)
        if src.local == _paths.resolve("dbfs:/").local:
            raise ValueError("cannot move the DBFS root")
        target = dst.local
        if os.path.isdir(target):
            target = os.path.join(target, os.path.basename(src.local))
        if os.path.abspath(target) == os.path.abspath(src.local):
            return True
        is_dir = os.path.isdir(src.local) and not os.path.islink(src.local)
        if is_dir:
            real_src = os.path.realpath(src.local)
            if os.path.realpath(target).startswith(real_src + os.sep):
                raise ValueError(f"cannot move {src.uri} into itself ({dst.uri})")
            if os.path.exists(target) and not os.path.isdir(target):
                raise FileExistsError(f"{dst.uri} exists and is not a directory")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.replace(src.local, target)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOTEMPTY, errno.EEXIST):
                raise
            if is_dir:
                _copy_tree(src.local, target)
                shutil.rmtree(src.local)
            else:
                _copy_file(src.local, target)
                os.unlink(src.local)
        return True

    def rm(self, dir, recurse=False):
        """Deletes a file, or a folder (a non-empty one needs recurse=True). False if it did not exist."""
        loc = _paths.resolve(dir)
        if not os.path.lexists(loc.local):
            return False
        if os.path.isdir(loc.local) and not os.path.islink(loc.local):
            is_root = loc.path == "/"
            if is_root and loc.scheme == "file":
                raise ValueError("refusing to delete file:/")
            if recurse:
                if is_root:  # keep the DBFS root folder itself
                    for name in os.listdir(loc.local):
                        self.rm(loc.child(name).uri, True)
                else:
                    shutil.rmtree(loc.local)
            else:
                try:
                    os.rmdir(loc.local)
                except OSError as exc:
                    if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                        raise OSError(
                            exc.errno,
                            f"{loc.uri} is a non-empty directory: pass recurse=True to delete it") from None
                    raise
        else:
            os.unlink(loc.local)
        return True

    def mkdirs(self, dir):
        """Creates a folder and its parents (like mkdir -p)."""
        loc = _paths.resolve(dir)
        if os.path.exists(loc.local) and not os.path.isdir(loc.local):
            raise FileExistsError(f"{loc.uri} exists and is not a directory")
        _check_volume_write(loc)
        os.makedirs(loc.local, exist_ok=True)
        return True

    def put(self, file, contents, overwrite=False):
        """Writes a string (UTF-8) to a file; fails if the file exists unless overwrite=True."""
        if not isinstance(contents, str):
            raise TypeError(f"contents must be a str, not {type(contents).__name__}")
        loc = _paths.resolve(file)
        if os.path.isdir(loc.local):
            raise IsADirectoryError(f"{loc.uri} is a directory")
        _check_volume_write(loc)
        if not overwrite and os.path.lexists(loc.local):
            raise FileExistsError(f"File already exists: {loc.uri} (pass overwrite=True to replace it)")
        data = contents.encode("utf-8")
        _atomic_write(loc.local, lambda f: f.write(data), overwrite=bool(overwrite), what=loc.uri)
        print(f"Wrote {len(data)} bytes.")
        return True

    def head(self, file, maxBytes=65536):
        """The first maxBytes bytes of a file, as UTF-8 text."""
        loc = _paths.resolve(file)
        if not os.path.exists(loc.local):
            raise _missing(loc)
        if os.path.isdir(loc.local):
            raise IsADirectoryError(f"{loc.uri} is a directory")
        with open(loc.local, "rb") as f:
            data = f.read(maxBytes + 1)
        if len(data) > maxBytes:
            print(f"[Truncated to first {maxBytes} bytes]")
            data = data[:maxBytes]
        return data.decode("utf-8", errors="replace")

    def mounts(self):
        return []

    def _no_mounts(self, *args, **kwargs):
        raise NotImplementedError("mounts are not available on the brix local engine; use dbfs:/ or /Volumes paths")

    mount = unmount = refreshMounts = updateMount = _no_mounts

    def help(self, method=None):
        _print_help("dbutils.fs: files in DBFS (dbfs:/, /Volumes) and on the local disk (file:/)", [
            ("cp(from: str, to: str, recurse: bool = False): bool", "copies a file or folder"),
            ("head(file: str, maxBytes: int = 65536): str", "the start of a file as UTF-8 text"),
            ("ls(dir: str): list[FileInfo]", "lists a folder; folders end in '/'"),
            ("mkdirs(dir: str): bool", "creates a folder and its parents"),
            ("mv(from: str, to: str, recurse: bool = False): bool", "moves a file or folder"),
            ("put(file: str, contents: str, overwrite: bool = False): bool", "writes a string to a file"),
            ("rm(dir: str, recurse: bool = False): bool", "deletes a file or folder"),
        ])

    def __repr__(self):
        return "<dbutils.fs (brix local engine)>"


# ----------------------------------------------------------------------------------------------
# widgets


class _Widgets:
    def __init__(self):
        # Widgets defined before dbutils.library.restartPython() are still there after it.
        kept = os.environ.pop("BRIX_WIDGETS_DEFINED", None)
        self._defined = {name: tuple(w) for name, w in json.loads(kept).items()} if kept else {}
        self._passed = None
        self._run_arguments = []  # $name="value" of each %run being included, outermost first

    def _enter_run(self, arguments):
        self._run_arguments.append(dict(arguments))

    def _leave_run(self):
        self._run_arguments.pop()

    def _given(self):
        """Passed values: the task's parameters, then the arguments of the %run lines including
        this code (the innermost wins)."""
        values = dict(self._params())
        for arguments in self._run_arguments:
            values.update(arguments)
        return values

    def _keep_for_restart(self):
        os.environ["BRIX_WIDGETS_DEFINED"] = json.dumps(self._defined)

    def _params(self):
        if self._passed is None:
            raw = os.environ.get("BRIX_WIDGETS") or "{}"
            try:
                values = json.loads(raw)
            except ValueError as exc:
                raise RuntimeError(f"BRIX_WIDGETS is not a JSON object: {exc}") from None
            if not isinstance(values, dict):
                raise RuntimeError("BRIX_WIDGETS is not a JSON object")
            self._passed = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
        return self._passed

    @staticmethod
    def _check(name, defaultValue, label):
        if not isinstance(name, str):
            raise TypeError(f"widget name must be a str, not {type(name).__name__}")
        if not isinstance(defaultValue, str):
            raise TypeError(f"defaultValue of widget '{name}' must be a str, not {type(defaultValue).__name__}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label of widget '{name}' must be a str, not {type(label).__name__}")

    @staticmethod
    def _check_choices(name, choices):
        if isinstance(choices, str) or not all(isinstance(c, str) for c in choices):
            raise TypeError(f"choices of widget '{name}' must be a list of str")
        return list(choices)

    def text(self, name, defaultValue, label=None):
        """A text widget."""
        self._check(name, defaultValue, label)
        self._defined[name] = ("text", defaultValue, None, label)

    def dropdown(self, name, defaultValue, choices, label=None):
        """A drop-down widget; defaultValue must be one of choices."""
        self._check(name, defaultValue, label)
        choices = self._check_choices(name, choices)
        if defaultValue not in choices:
            raise ValueError(f"default value '{defaultValue}' of dropdown widget '{name}' is not one of its choices {choices}")
        self._defined[name] = ("dropdown", defaultValue, choices, label)

    def combobox(self, name, defaultValue, choices, label=None):
        """A combo box: a text widget with suggested choices."""
        self._check(name, defaultValue, label)
        choices = self._check_choices(name, choices)
        self._defined[name] = ("combobox", defaultValue, choices, label)

    def multiselect(self, name, defaultValue, choices, label=None):
        """A multi-select widget; its value is the selected choices joined with ','."""
        self._check(name, defaultValue, label)
        choices = self._check_choices(name, choices)
        if defaultValue not in choices:
            raise ValueError(f"default value '{defaultValue}' of multiselect widget '{name}' is not one of its choices {choices}")
        self._defined[name] = ("multiselect", defaultValue, choices, label)

    def get(self, name):
        """The value passed for the widget (notebook parameter or %run argument), else the widget's default."""
        passed = self._given()
        if name in passed:
            return passed[name]
        if name in self._defined:
            return self._defined[name][1]
        raise InputWidgetNotDefined(f"No input widget named {name} is defined")

    def getAll(self):
        """All widget values by name."""
        values = {name: w[1] for name, w in self._defined.items()}
        values.update(self._given())
        return values

    def getArgument(self, name, default=None):
        """Deprecated: like get, but returns `default` for an unknown name."""
        try:
            return self.get(name)
        except InputWidgetNotDefined:
            return default

    def remove(self, name):
        """Removes a widget."""
        if name not in self._defined:
            raise InputWidgetNotDefined(f"No input widget named {name} is defined")
        del self._defined[name]

    def removeAll(self):
        """Removes every widget."""
        self._defined.clear()

    def help(self, method=None):
        _print_help("dbutils.widgets: notebook parameters (in a job, passed values beat the defaults)", [
            ("combobox(name, defaultValue, choices, label=None)", "a text widget with suggestions"),
            ("dropdown(name, defaultValue, choices, label=None)", "a choice among choices"),
            ("get(name: str): str", "the widget's value"),
            ("getAll(): dict", "every widget value"),
            ("getArgument(name, default=None): str", "deprecated: get with a default"),
            ("multiselect(name, defaultValue, choices, label=None)", "comma-joined choices"),
            ("remove(name)", "removes a widget"),
            ("removeAll()", "removes all widgets"),
            ("text(name, defaultValue, label=None)", "a text widget"),
        ])

    def __repr__(self):
        return "<dbutils.widgets (brix local engine)>"


# ----------------------------------------------------------------------------------------------
# notebook


class _Option:
    """Scala Option look-alike for the notebook context."""

    def __init__(self, value):
        self._value = value

    def get(self):
        if self._value is None:
            raise ValueError("None.get")
        return self._value

    def isDefined(self):
        return self._value is not None

    def isEmpty(self):
        return self._value is None

    def getOrElse(self, default):
        return default if self._value is None else self._value

    def __repr__(self):
        return "None" if self._value is None else f"Some({self._value})"


class _Context:
    def _env(self, name):
        return os.environ.get(name) or None

    def notebookPath(self):
        return _Option(self._env("BRIX_NOTEBOOK_PATH"))

    def jobId(self):
        return _Option(self._env("BRIX_JOB_ID"))

    def currentRunId(self):
        return _Option(self._env("BRIX_TASK_RUN_ID"))

    def apiUrl(self):
        root = self._env("BRIX_ROOT")
        return _Option("local:" + root if root else None)

    def apiToken(self):
        return _Option(None)

    def tags(self):
        return {k: v for k, v in self._tags().items() if v is not None}

    def _tags(self):
        return {
            "jobId": self._env("BRIX_JOB_ID"),
            "runId": self._env("BRIX_TASK_RUN_ID"),
            "multitaskParentRunId": self._env("BRIX_JOB_RUN_ID"),
            "taskKey": self._env("BRIX_TASK_KEY"),
        }

    def toJson(self):
        return json.dumps({
            "tags": self.tags(),
            "extraContext": {k: v for k, v in {"notebook_path": self._env("BRIX_NOTEBOOK_PATH"),
                                               "api_url": self.apiUrl().getOrElse(None)}.items() if v},
            "currentRunId": self._env("BRIX_TASK_RUN_ID"),
        })


class _EntryPoint:
    """dbutils.notebook.entry_point.getDbutils().notebook().getContext()"""

    def getDbutils(self):
        return self

    def notebook(self):
        return self

    def getContext(self):
        return _Context()


class _Notebook:
    entry_point = _EntryPoint()

    def getContext(self):
        return _Context()

    def exit(self, value):
        """Stops the notebook successfully; `value` becomes the run's notebook_output.result."""
        # The exit value is run output like the logs: secret values in it are redacted too.
        text = _redact.redact(str(value))
        task_dir = os.environ.get("BRIX_TASK_DIR")
        if task_dir:
            dest = os.path.join(task_dir, "notebook_result.json")
            data = json.dumps({"result": text}).encode("utf-8")
            _atomic_write(dest, lambda f: f.write(data))
        if _in_notebook:
            raise _NotebookExit(text)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            raise SystemExit(0)

    def run(self, path, timeout_seconds=0, arguments=None, _poll_seconds=0.1):
        """Runs a notebook as a separate run and returns the value it passed to exit ("" if none)."""
        if not isinstance(path, str) or not path:
            raise TypeError("path must be a non-empty str")
        if arguments is None:
            arguments = {}
        if not hasattr(arguments, "items"):
            raise TypeError("arguments must be a mapping of str to str")
        if path.startswith("/"):
            target = path
        else:
            caller = os.environ.get("BRIX_NOTEBOOK_PATH") or "/"
            import posixpath

            target = posixpath.normpath(posixpath.join(posixpath.dirname(caller) or "/", path))
            if not target.startswith("/"):
                target = "/" + target
        brix = os.environ.get("BRIX_BIN")
        if not brix:
            raise RuntimeError("BRIX_BIN is not set: dbutils.notebook.run needs the brix local engine")
        env = dict(os.environ)
        env["DATABRICKS_HOST"] = "local:" + _paths.engine_root()
        env["DATABRICKS_CONFIG_FILE"] = "/dev/null"
        env.pop("DATABRICKS_CONFIG_PROFILE", None)

        def cli(*args):
            proc = subprocess.run([brix, *args], env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                detail = (proc.stderr.strip() or proc.stdout.strip() or "no output")
                raise WorkflowException(f"brix {' '.join(args[:2])} failed (exit status {proc.returncode}): {detail}")
            try:
                return json.loads(proc.stdout)
            except ValueError:
                raise WorkflowException(f"brix {' '.join(args[:2])} printed no JSON: {proc.stdout.strip()!r}") from None

        spec = {
            "run_name": f"notebook.run {target}",
            "tasks": [{
                "task_key": "notebook",
                "notebook_task": {
                    "notebook_path": target,
                    "base_parameters": {str(k): v if isinstance(v, str) else str(v) for k, v in arguments.items()},
                },
            }],
        }
        started = time.monotonic()
        submitted = cli("runs", "submit", "--no-wait", "--json", json.dumps(spec))
        run_id = submitted.get("run_id")
        if run_id is None:
            raise WorkflowException(f"brix runs submit returned no run_id: {submitted}")
        timeout = float(timeout_seconds or 0)
        while True:
            run = cli("runs", "get", "--run-id", str(run_id), "-o", "json")
            state = run.get("state") or {}
            if state.get("life_cycle_state") in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR"):
                break
            if timeout > 0 and time.monotonic() - started >= timeout:
                try:
                    cli("runs", "cancel", "--run-id", str(run_id))
                except WorkflowException:
                    pass
                raise WorkflowException(
                    f"timed out after {timeout_seconds} seconds (notebook {target}, run {run_id}); the run was cancelled")
            time.sleep(_poll_seconds)
        tasks = run.get("tasks") or []
        task_run_id = tasks[0].get("run_id", run_id) if tasks else run_id
        result_state = state.get("result_state")
        if result_state != "SUCCESS":
            message = state.get("state_message") or ""
            detail = ""
            try:
                output = cli("runs", "get-output", "--run-id", str(task_run_id), "-o", "json")
                detail = output.get("error") or ""
            except WorkflowException:
                pass
            text = f"Notebook {target} (run {run_id}) {result_state or state.get('life_cycle_state')}"
            if message:
                text += f": {message}"
            if detail and detail not in message:
                text += f"\n{detail}"
            raise WorkflowException(text)
        output = cli("runs", "get-output", "--run-id", str(task_run_id), "-o", "json")
        result = (output.get("notebook_output") or {}).get("result")
        return "" if result is None else result

    def help(self, method=None):
        _print_help("dbutils.notebook: notebook workflows", [
            ("exit(value: str)", "stops this notebook successfully with a result value"),
            ("run(path: str, timeout_seconds: int, arguments: dict): str", "runs a notebook and returns its exit value"),
        ])

    def __repr__(self):
        return "<dbutils.notebook (brix local engine)>"


# ----------------------------------------------------------------------------------------------
# secrets

SecretMetadata = namedtuple("SecretMetadata", ["key"])
SecretScope = namedtuple("SecretScope", ["name"])


class _Secrets:
    def _scope_exists(self, db, scope):
        return db.execute("SELECT 1 FROM secret_scopes WHERE name = ?", (scope,)).fetchone() is not None

    def getBytes(self, scope, key):
        """A secret's value as bytes."""
        if not isinstance(scope, str) or not isinstance(key, str):
            raise TypeError("scope and key must be str")
        db = _connect(read_only=True)
        try:
            row = db.execute("SELECT value FROM secrets WHERE scope = ? AND key = ?", (scope, key)).fetchone()
            if row is None:
                if not self._scope_exists(db, scope):
                    raise SecretNotFound(f"Secret scope '{scope}' does not exist")
                raise SecretNotFound(f"Secret does not exist with scope: {scope} and key: {key}")
        finally:
            db.close()
        value = row[0]
        if isinstance(value, str):
            value = value.encode("utf-8")
        value = bytes(value)
        _redact.register(value)
        return value

    def get(self, scope, key):
        """A secret's value as text (printed as [REDACTED])."""
        return self.getBytes(scope, key).decode("utf-8", errors="replace")

    def list(self, scope):
        """The keys of a scope."""
        db = _connect(read_only=True)
        try:
            if not self._scope_exists(db, scope):
                raise SecretNotFound(f"Secret scope '{scope}' does not exist")
            rows = db.execute("SELECT key FROM secrets WHERE scope = ? ORDER BY key", (scope,)).fetchall()
        finally:
            db.close()
        return [SecretMetadata(r[0]) for r in rows]

    def listScopes(self):
        """Every secret scope."""
        db = _connect(read_only=True)
        try:
            rows = db.execute("SELECT name FROM secret_scopes ORDER BY name").fetchall()
        finally:
            db.close()
        return [SecretScope(r[0]) for r in rows]

    def help(self, method=None):
        _print_help("dbutils.secrets: secrets from the brix secret store", [
            ("get(scope: str, key: str): str", "a secret's value"),
            ("getBytes(scope: str, key: str): bytes", "a secret's value as bytes"),
            ("list(scope: str): list[SecretMetadata]", "the keys of a scope"),
            ("listScopes(): list[SecretScope]", "every scope"),
        ])

    def __repr__(self):
        return "<dbutils.secrets (brix local engine)>"


# ----------------------------------------------------------------------------------------------
# jobs


class _TaskValues:
    @staticmethod
    def _job_run_id():
        value = os.environ.get("BRIX_JOB_RUN_ID")
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            raise RuntimeError(f"BRIX_JOB_RUN_ID is not a number: {value!r}") from None

    def set(self, key, value):
        """Sets a value (JSON-serialisable, at most 48 KiB) that later tasks of this run can read."""
        if not isinstance(key, str):
            raise TypeError(f"task value key must be a str, not {type(key).__name__}")
        try:
            text = json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"task value '{key}' is not JSON-serialisable: {exc}") from None
        size = len(text.encode("utf-8"))
        if size > TASK_VALUE_MAX_BYTES:
            raise ValueError(
                f"task value '{key}' is too large: {size} bytes serialised, the limit is {TASK_VALUE_MAX_BYTES} (48 KiB)")
        run_id = self._job_run_id()
        if run_id is None:  # outside a job run: nothing to set, as on Databricks
            return
        task_key = os.environ.get("BRIX_TASK_KEY") or ""
        db = _connect(read_only=False)
        try:
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO task_values (job_run_id, task_key, key, value) VALUES (?, ?, ?, ?)",
                    (run_id, task_key, key, text))
        finally:
            db.close()

    def get(self, taskKey, key, default=None, debugValue=None):
        """A value set by task `taskKey` in this run, else `default`; outside a job, `debugValue`."""
        run_id = self._job_run_id()
        if run_id is None:
            if debugValue is None:
                raise TypeError(
                    "Must pass debugValue when calling get outside of a job context. debugValue cannot be None.")
            return debugValue
        db = _connect(read_only=True)
        try:
            row = db.execute(
                "SELECT value FROM task_values WHERE job_run_id = ? AND task_key = ? AND key = ?",
                (run_id, taskKey, key)).fetchone()
        finally:
            db.close()
        if row is not None:
            return json.loads(row[0])
        if default is not None:
            return default
        raise ValueError(f"No task value with key '{key}' was set by task '{taskKey}' in this run, and no default was given")

    def help(self, method=None):
        _print_help("dbutils.jobs.taskValues: values shared between the tasks of a job run", [
            ("get(taskKey: str, key: str, default=None, debugValue=None)", "a value set by an upstream task"),
            ("set(key: str, value)", "sets a JSON-serialisable value (at most 48 KiB)"),
        ])

    def __repr__(self):
        return "<dbutils.jobs.taskValues (brix local engine)>"


class _Jobs:
    def __init__(self):
        self.taskValues = _TaskValues()

    def help(self, method=None):
        self.taskValues.help()

    def __repr__(self):
        return "<dbutils.jobs (brix local engine)>"


# ----------------------------------------------------------------------------------------------
# library and the rest


# Set by the notebook runner (which runs as __main__, so it cannot be imported by name).
_restart_python = None


class _Library:
    def restartPython(self):
        """In a notebook: restarts its Python process, which goes on with the next cell (the
        variables are gone; widgets and %pip packages stay). Elsewhere there is nothing to restart."""
        if _restart_python is not None:
            _restart_python()
        else:
            print("dbutils.library.restartPython(): only a notebook has a Python process to restart; "
                  "this task goes on as it is", file=sys.stderr)

    def _removed(self, *args, **kwargs):
        raise NotImplementedError("dbutils.library.install* was removed from Databricks; use %pip install")

    install = installPyPI = updateCondaEnv = _removed

    def list(self):
        return []

    def help(self, method=None):
        _print_help("dbutils.library", [("restartPython()", "restarts the notebook's Python process")])

    def __repr__(self):
        return "<dbutils.library (brix local engine)>"


class _Unavailable:
    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise NotImplementedError(f"dbutils.{self._name}.{attr} is not available on the brix local engine")

    def help(self, method=None):
        print(f"dbutils.{self._name} is not available on the brix local engine")


class DBUtils:
    """Databricks utilities for the brix local engine."""

    def __init__(self, spark=None):
        self.fs = _FS()
        self.widgets = _Widgets()
        self.notebook = _Notebook()
        self.secrets = _Secrets()
        self.jobs = _Jobs()
        self.library = _Library()
        self.credentials = _Unavailable("credentials")
        self.data = _Unavailable("data")
        self.preview = _Unavailable("preview")

    def help(self, method=None):
        print("dbutils on the brix local engine: fs, widgets, notebook, secrets, jobs.taskValues, library\n"
              "Call dbutils.<name>.help() for the methods of each.")

    def __repr__(self):
        return "<dbutils (brix local engine)>"


dbutils = DBUtils()
