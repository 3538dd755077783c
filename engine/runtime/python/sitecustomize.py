# brix task runtime: imported automatically at interpreter start-up (the runtime folder is first
# on PYTHONPATH of every task the brix local engine starts).
#
# A task of the local engine normally runs in its own mount namespace where /dbfs, /Workspace and
# /Volumes are real folders for every process (BRIX_FILE_SYSTEM=mount_namespace): nothing to do.
# Otherwise (BRIX_FILE_SYSTEM=python_mapping, where the machine refuses namespaces, or code run
# with BRIX_ROOT outside a task), the Databricks FUSE paths reach the engine root for Python only:
#   /dbfs/...      -> $BRIX_ROOT/dbfs/...
#   /Volumes/...   -> $BRIX_ROOT/dbfs/Volumes/...
#   /Workspace/... -> $BRIX_ROOT/workspace/...
# for builtins.open, io.open, io.open_code and the path functions of os and posix (importlib calls
# posix directly, so `sys.path.append("/dbfs/lib"); import mod` works too).
#
# Also registers (always, lazily) a module `pyspark.dbutils` with `DBUtils(spark)` for when pyspark
# is installed, and runs the next `sitecustomize` on sys.path that this file shadows.
#
# Start-up cost matters: only modules that are already loaded at this point are used.
import os
import sys


def _install_path_translation(root):
    import builtins
    import io
    import posix
    import _io

    root = os.path.abspath(root).rstrip("/") or "/"
    mapping = (
        ("/dbfs", root + "/dbfs"),
        ("/Volumes", root + "/dbfs/Volumes"),
        ("/Workspace", root + "/workspace"),
    )
    prefixes = tuple(v for v, _ in mapping)
    bprefixes = tuple(v.encode() for v in prefixes)
    normpath = os.path.normpath
    fspath = os.fspath
    fsencode = os.fsencode
    fsdecode = os.fsdecode

    def map_str(p):
        if "/." in p:  # "/dbfs/../etc" is "/etc", exactly as the kernel would see it
            p = normpath(p)
        for virtual, real in mapping:
            if p.startswith(virtual):
                n = len(virtual)
                if len(p) == n or p[n] == "/":
                    return real + p[n:]
        return p  # normalised out of the virtual folders: "/dbfs/../tmp" is "/tmp"

    def translate(p):
        t = type(p)
        if t is str:
            if p[:1] == "/" and p.startswith(prefixes):
                return map_str(p)
            return p
        if t is int:
            return p
        if t is bytes:
            if p[:1] == b"/" and p.startswith(bprefixes):
                return fsencode(map_str(fsdecode(p)))
            return p
        if hasattr(t, "__fspath__"):
            s = fspath(p)
            r = translate(s)
            return p if r is s else r
        return p

    missing = object()

    def wrap1(f):
        def wrapper(path=missing, *args, **kwargs):
            if path is missing:  # os.listdir(), os.scandir(): the current folder
                return f(*args, **kwargs)
            return f(translate(path), *args, **kwargs)

        wrapper.__name__ = f.__name__
        wrapper.__qualname__ = f.__qualname__
        wrapper.__doc__ = f.__doc__
        wrapper.__wrapped__ = f
        return wrapper

    def wrap2(f):
        def wrapper(src, dst, *args, **kwargs):
            return f(translate(src), translate(dst), *args, **kwargs)

        wrapper.__name__ = f.__name__
        wrapper.__qualname__ = f.__qualname__
        wrapper.__doc__ = f.__doc__
        wrapper.__wrapped__ = f
        return wrapper

    def wrap_open(f):
        def wrapper(file, *args, **kwargs):
            return f(translate(file), *args, **kwargs)

        wrapper.__name__ = f.__name__
        wrapper.__qualname__ = f.__qualname__
        wrapper.__doc__ = f.__doc__
        wrapper.__wrapped__ = f
        return wrapper

    # open(): builtins.open, io.open and _io.open are one object.
    new_open = wrap_open(_io.open)
    builtins.open = io.open = _io.open = new_open
    new_open_code = wrap1(_io.open_code)
    io.open_code = _io.open_code = new_open_code

    supports = (os.supports_dir_fd, os.supports_fd, os.supports_follow_symlinks, os.supports_effective_ids)
    one_path = ("stat", "lstat", "listdir", "scandir", "mkdir", "remove", "unlink", "rmdir", "access",
                "chmod", "utime", "open", "chdir", "truncate", "readlink", "statvfs", "chown", "lchown",
                "mkfifo", "listxattr", "getxattr", "setxattr", "removexattr")
    two_paths = ("rename", "replace", "link", "symlink")
    for names, wrap in ((one_path, wrap1), (two_paths, wrap2)):
        for name in names:
            f = getattr(posix, name, None)
            if f is None:
                continue
            w = wrap(f)
            setattr(posix, name, w)
            if getattr(os, name, None) is f:
                setattr(os, name, w)
            for s in supports:
                if f in s:
                    s.add(w)
    # os.makedirs is pure Python over os.mkdir and os.path.exists; translate once up front anyway.
    makedirs = os.makedirs

    def new_makedirs(name, mode=0o777, exist_ok=False):
        return makedirs(translate(name), mode, exist_ok)

    new_makedirs.__doc__ = makedirs.__doc__
    new_makedirs.__wrapped__ = makedirs
    os.makedirs = new_makedirs


class _PysparkDbutilsFinder:
    """Provides `pyspark.dbutils` (absent from open-source pyspark) when pyspark is importable.

    Sits at the end of sys.meta_path, so it is asked only about imports nothing else found."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != "pyspark.dbutils":
            return None
        import importlib.util

        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "brix_runtime", "_pyspark_dbutils.py")
        return importlib.util.spec_from_file_location(fullname, here)

    @classmethod
    def invalidate_caches(cls):
        pass


def _chain_next_sitecustomize():
    # Our folder is first on PYTHONPATH, so an interpreter's or venv's own sitecustomize would never
    # run: find the next one and execute it.
    here = os.path.dirname(os.path.abspath(__file__))
    rest = None
    for i, entry in enumerate(sys.path):
        if entry and os.path.abspath(entry) == here:
            rest = sys.path[i + 1:]
            break
    if not rest:
        return
    ext = sys.modules.get("_frozen_importlib_external")
    boot = sys.modules.get("_frozen_importlib")
    if ext is None or boot is None:
        return
    spec = ext.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.origin is None or spec.loader is None:
        return
    if os.path.abspath(spec.origin) == os.path.abspath(__file__):
        return
    module = boot.module_from_spec(spec)
    saved = sys.modules.get("sitecustomize")
    sys.modules["sitecustomize"] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # never break the interpreter because of someone else's hook
        sys.stderr.write("brix: error in %s: %r\n" % (spec.origin, exc))
    finally:
        if saved is not None:
            sys.modules["sitecustomize"] = saved


if os.environ.get("BRIX_ROOT") and os.environ.get("BRIX_FILE_SYSTEM") != "mount_namespace":
    _install_path_translation(os.environ["BRIX_ROOT"])
sys.meta_path.append(_PysparkDbutilsFinder)
_chain_next_sitecustomize()
