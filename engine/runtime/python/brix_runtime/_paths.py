"""Where Databricks paths live on the local engine."""

import os
import posixpath
import re

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def engine_root():
    root = os.environ.get("BRIX_ROOT")
    if not root:
        raise RuntimeError(
            "BRIX_ROOT is not set: dbutils needs the brix local engine (run this code as a brix task)")
    return os.path.abspath(root)


def _clean(path):
    """'/a/../../b//c/' -> '/b/c': absolute, normalised, '..' cannot climb above '/'."""
    path = posixpath.normpath("/" + path.lstrip("/"))
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    return path


class Location:
    """A resolved path: `scheme` is "dbfs" or "file", `path` the absolute path within that file
    system, `local` the path on this machine."""

    __slots__ = ("scheme", "path", "local")

    def __init__(self, scheme, path, local):
        self.scheme, self.path, self.local = scheme, path, local

    @property
    def uri(self):
        return f"{self.scheme}:{self.path}"

    def child(self, name):
        path = self.path.rstrip("/") + "/" + name
        return Location(self.scheme, path, os.path.join(self.local, name))

    def __repr__(self):
        return f"Location({self.uri!r} -> {self.local!r})"


def local_path(path):
    """The local path of a FUSE-style path: /dbfs/x, /Volumes/x, /Workspace/x; others unchanged."""
    root = None
    for virtual, sub in (("/dbfs", "dbfs"), ("/Volumes", "dbfs/Volumes"), ("/Workspace", "workspace")):
        if path == virtual or path.startswith(virtual + "/"):
            root = root or engine_root()
            return os.path.join(root, sub) + path[len(virtual):]
    return path


def resolve(path):
    """Resolves a dbutils.fs path: 'dbfs:/x', '/x', 'x', '/dbfs/x' -> DBFS; '/Volumes/..' and
    'dbfs:/Volumes/..' -> Volumes (kept under DBFS); 'file:/x' -> local /x."""
    if hasattr(path, "__fspath__"):
        path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError(f"path must be a string, not {type(path).__name__}")
    if path == "":
        raise ValueError("path must not be empty")
    m = _SCHEME.match(path)
    if m:
        scheme = m.group(1).lower()
        rest = path[m.end():]
        if scheme == "file":
            if rest.startswith("//"):  # file:///x
                rest = rest[2:]
            rest = _clean(rest)
            return Location("file", rest, local_path(rest))
        if scheme != "dbfs":
            raise ValueError(
                f"unsupported file system scheme '{scheme}:' in {path!r}: the brix local engine "
                "supports dbfs:/, /Volumes/... and file:/ paths")
        inner = _clean(rest)
    else:
        inner = _clean(path)
        if inner == "/dbfs" or inner.startswith("/dbfs/"):
            inner = _clean(inner[len("/dbfs"):])
    root = engine_root()
    local = os.path.join(root, "dbfs") + ("" if inner == "/" else inner)
    return Location("dbfs", inner, local)


def tmp_dir():
    root = os.environ.get("BRIX_ROOT")
    if not root:
        return None
    path = os.path.join(os.path.abspath(root), "tmp")
    os.makedirs(path, exist_ok=True)
    return path
