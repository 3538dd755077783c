"""A warm interpreter that task processes are forked from (the engine's BRIX_PREFORK).

The engine starts `python -m brix_runtime.fork_server` the way it starts a task (same interpreter,
same mount namespace, the runtime first on PYTHONPATH) with fd 3 a SOCK_SEQPACKET socket whose
other end only the engine holds: when the engine ends, the socket ends and so does this process.
It imports the runtime and the standard modules tasks use, then waits. It never runs user code and
stays single-threaded: user code runs only in children forked before it starts.

Its first message on fd 3 is the environment it was started with (JSON ["K=V", ...]); it answers
b"ready" once warm. Each request after that is one message, JSON {"argv": [...], "env": ["K=V", ...], "cwd": "..."},
carrying two descriptors: the task's reply socket and its output log. On the reply socket this
process writes JSON lines: {"pid": N} once the task exists (its own process group), then
{"status": wait status, "cpu_ms": ..., "peak_rss_kb": ...} when it has ended and its group has
been killed; or {"decline": reason} when the task is not one it can start exactly as a fresh
interpreter would (the engine then starts it normally).

The child becomes what `python ARGV...` would have been: its process group, an empty signal mask
and this interpreter's start-up dispositions, stdout and stderr on the log, the task's environment
and working folder, sys.argv, sys.path as start-up computes it for the task's PYTHONPATH and argv,
a fresh __main__; then it leaves the server loop and runs the program, so that interpreter shutdown
(atexit, non-daemon threads, SystemExit codes, uncaught exceptions) is the real one."""

import gc
import importlib
import importlib.machinery
import importlib.metadata  # noqa: F401  (the python_wheel_task launcher's)
import importlib.util  # noqa: F401
import json
import os
import runpy
import select
import signal
import socket
import sys
import types

import brix_runtime
import brix_runtime.notebook  # noqa: F401  (and with it dbutils, session, environments, json, ast, ...)

CONTROL_FD = 3
MAX_REQUEST = 1 << 20
# Variables that shape the interpreter at start-up: a task whose values differ is not forked from here.
_STARTUP_PREFIXES = ("PYTHON", "LC_")
_STARTUP_NAMES = ("LANG", "PATH", "HOME", "BRIX_ROOT", "BRIX_FILE_SYSTEM")


def _launched_environment(env, baseline):
    """The task's environment as its interpreter would see it after the same launcher."""
    env = dict(env)
    for name, value in baseline.launcher_changes.items():
        if env.get(name) == baseline.given.get(name):
            env[name] = value
    for name in baseline.launcher_removed:
        if env.get(name) == baseline.given.get(name):
            env.pop(name, None)
    return env


def _startup_values(env):
    return {k: v for k, v in env.items()
            if k != "PYTHONPATH" and (k in _STARTUP_NAMES or k.startswith(_STARTUP_PREFIXES))}


class _Baseline:
    """What this interpreter had right after start-up, before anything else happened."""

    def __init__(self, given):
        # What came between the engine's exec and this interpreter (a pyenv shim puts its version's
        # bin/ first on PATH and adds PYENV_* variables) happens to a fresh task too: done again.
        self.launcher_changes = {k: v for k, v in os.environ.items() if given.get(k) != v}
        self.launcher_removed = [k for k in given if k not in os.environ]
        self.given = given
        self.startup = _startup_values(os.environ)
        entries = os.environ.get("PYTHONPATH", "").split(":")
        self.runtime = os.path.abspath(entries[0])
        ours = {os.path.abspath(e) for e in entries}
        # sys.path after its first entry (this process's working folder, from -m) and PYTHONPATH:
        # the interpreter's own folders and site-packages, which a fresh task has after its own.
        self.site_path = [p for p in sys.path[1:] if p not in ours]
        self.signals = {}
        for sig in signal.valid_signals():
            if sig in (signal.SIGKILL, signal.SIGSTOP):
                continue
            handler = signal.getsignal(sig)
            if handler is not None:
                self.signals[sig] = handler


def _task_sys_path(path0, python_path, cwd, site_path):
    # site.removeduppaths(): PYTHONPATH entries made absolute (against the working folder), then
    # duplicates dropped; sys.path[0] is put in front afterwards, unchecked.
    seen, out = set(), []
    for entry in [os.path.join(cwd, e) for e in python_path] + site_path:
        entry = os.path.abspath(entry)
        if entry not in seen:
            seen.add(entry)
            out.append(entry)
    return [path0] + out


def _program(argv, cwd):
    """(kind, target, rest) of `python ...` forms this server runs; None for any other."""
    if len(argv) >= 3 and argv[1] in ("-m", "-c"):
        return argv[1], argv[2], argv[3:]
    if len(argv) >= 2 and not argv[1].startswith("-") and os.path.isfile(os.path.join(cwd, argv[1])):
        return "script", argv[1], argv[2:]
    return None


def _decline_reason(request, env, baseline):
    if _startup_values(env) != baseline.startup:
        return "start-up variables differ"
    entries = env.get("PYTHONPATH", "").split(":")
    cwd = request["cwd"]
    if os.path.abspath(os.path.join(cwd, entries[0])) != baseline.runtime:
        return "another runtime folder"
    if _program(request["argv"], cwd) is None:
        return "not a python -m, -c or script start"
    extra = [os.path.abspath(os.path.join(cwd, e)) for e in entries[1:]]
    for hook in ("sitecustomize", "usercustomize"):
        if importlib.machinery.PathFinder.find_spec(hook, extra) is not None:
            return "PYTHONPATH holds a " + hook
    return None


def _send(conn, message):
    try:
        conn.sendall((json.dumps(message) + "\n").encode())
    except OSError:
        pass


def _become_task(request, env, log_fd, baseline):
    """In the forked child: everything a fresh start of the task would have differently."""
    os.setpgid(0, 0)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for sig, handler in baseline.signals.items():
        if signal.getsignal(sig) is not handler:
            signal.signal(sig, handler)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    os.environ.clear()
    os.environ.update(env)
    cwd = request["cwd"]
    try:
        os.chdir(cwd)
    except OSError as error:
        sys.stderr.write("brix: cannot enter the working folder %s: %s\n" % (cwd, error.strerror))
        os._exit(127)
    argv = request["argv"]
    kind, target, rest = _program(argv, cwd)
    if kind == "-m":
        path0 = os.getcwd()
    elif kind == "-c":
        path0 = ""
    else:
        path0 = os.path.dirname(os.path.realpath(target))
    sys.path[:] = _task_sys_path(path0, env.get("PYTHONPATH", "").split(":"), cwd, baseline.site_path)
    sys.path_importer_cache.clear()
    importlib.invalidate_caches()
    sys.argv[:] = [kind if kind != "script" else target] + rest
    sys.orig_argv[:] = argv
    if kind == "-m":
        # Run as __main__ afresh, as `python -m` would: not the copy imported here for warmth.
        sys.modules.pop(target, None)
        parent, _, name = target.rpartition(".")
        if parent in sys.modules and getattr(sys.modules[parent], name, None) is not None:
            delattr(sys.modules[parent], name)
    main = types.ModuleType("__main__")
    main.__annotations__ = {}
    main.__builtins__ = sys.modules["builtins"]
    main.__loader__ = importlib.machinery.BuiltinImporter
    sys.modules["__main__"] = main
    return kind, target, main


def _run(kind, target, main):
    if kind == "-m":
        runpy._run_module_as_main(target, alter_argv=True)
    elif kind == "-c":
        exec(compile(target, "<string>", "exec", dont_inherit=True), main.__dict__)
    else:
        main.__file__ = target
        main.__cached__ = None
        main.__loader__ = importlib.machinery.SourceFileLoader("__main__", target)
        with open(target, "rb") as source:
            code = compile(source.read(), target, "exec", dont_inherit=True)
        exec(code, main.__dict__)


def run_task(task):
    """Runs the program in the child; an uncaught exception is reported as the interpreter would,
    without this module's frames."""
    try:
        _run(*task)
    except SystemExit:
        raise
    except BaseException as error:  # noqa: B036  (what the interpreter itself reports)
        tb, here = error.__traceback__, run_task.__code__.co_filename
        while tb is not None and tb.tb_frame.f_code.co_filename == here:
            tb = tb.tb_next
        sys.excepthook(type(error), error.with_traceback(tb), tb)
        code = 130 if isinstance(error, KeyboardInterrupt) else 1
    else:
        return
    raise SystemExit(code)


def serve():
    """The server loop. Returns only in a forked child, with the task it is to run."""
    os.closerange(CONTROL_FD + 1, 1 << 16)
    control = socket.socket(fileno=CONTROL_FD)
    given = json.loads(control.recv(MAX_REQUEST))  # the environment the engine started this process with
    baseline = _Baseline(dict(item.split("=", 1) for item in given if "=" in item))
    # What is loaded by now stays out of every collection of the children: a collection would
    # write to each object's header and copy every page of it (halves a forked task's CPU time).
    gc.freeze()
    control.send(b"ready")
    poller = select.poll()
    poller.register(control.fileno(), select.POLLIN)
    running = {}  # pidfd -> (pid, reply socket)
    while True:
        for fd, _ in poller.poll():
            if fd != control.fileno():
                pid, conn = running.pop(fd)
                poller.unregister(fd)
                os.close(fd)
                _, status, usage = os.wait4(pid, 0)
                try:
                    os.killpg(pid, signal.SIGKILL)  # what the task left running ends with it
                except OSError:
                    pass
                cpu_ms = int((usage.ru_utime + usage.ru_stime) * 1000)
                _send(conn, {"status": status, "cpu_ms": cpu_ms, "peak_rss_kb": usage.ru_maxrss})
                conn.close()
                continue
            message, fds, flags, _ = socket.recv_fds(control, MAX_REQUEST, 2)
            if not message and not fds:
                os._exit(0)  # the engine is gone
            if len(fds) != 2:
                for extra in fds:
                    os.close(extra)
                continue
            conn = socket.socket(fileno=fds[0])
            log_fd = fds[1]
            try:
                if flags & socket.MSG_TRUNC:
                    raise ValueError("request too large")
                request = json.loads(message)
                env = _launched_environment(dict(item.split("=", 1) for item in request["env"] if "=" in item), baseline)
                reason = _decline_reason(request, env, baseline)
            except (ValueError, KeyError, TypeError, IndexError) as error:
                reason = "bad request: %s" % error
            if reason:
                sys.stderr.write("brix: started fresh instead: %s (%r)\n" % (reason, request.get("argv", [])[:3]))
                os.close(log_fd)
                _send(conn, {"decline": reason})
                conn.close()
                continue
            pid = os.fork()
            if pid == 0:
                try:
                    control.close()
                    for pidfd, (_, other) in running.items():
                        os.close(pidfd)
                        other.close()
                    conn.close()
                    return _become_task(request, env, log_fd, baseline)
                except BaseException as error:  # noqa: B036  (never back into the server loop)
                    os.write(2, ("brix: cannot start the task: %r\n" % (error,)).encode())
                    os._exit(127)
            os.close(log_fd)
            try:
                os.setpgid(pid, pid)  # also here, so the group exists before the engine signals it
            except OSError:
                pass
            _send(conn, {"pid": pid})
            pidfd = os.pidfd_open(pid)
            running[pidfd] = (pid, conn)
            poller.register(pidfd, select.POLLIN)


if __name__ == "__main__":
    run_task(serve())
