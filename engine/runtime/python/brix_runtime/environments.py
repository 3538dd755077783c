"""A task's own Python environment, as a cluster or a notebook has its own.

Each distinct environment spec gets its own virtual environment (`python -m venv` and the real
pip), cached under $BRIX_ROOT/environments/ by a hash of the spec, so the second run of the same
spec starts at once. The host's site-packages are never written to: an environment sees them (as a
cluster's libraries sit on top of its runtime's) through a .pth file, and pip installs and
upgrades inside the environment only.

The spec (BRIX_ENVIRONMENT, JSON, from the engine):
  {"libraries": [{"whl": PATH} | {"pypi": {"package": "x==1", "repo": URL}} | {"requirements": PATH}],
   "dependencies": ["requirement line", ...]}      # environments[].spec.dependencies
plus, for a notebook, "pip": [[ARG, ...], ...], its %pip install/uninstall commands so far.
Library paths may be workspace files (/Workspace/...), dbfs:/..., /dbfs/..., /Volumes/... or local;
a file's content is part of the hash, so a rebuilt wheel at the same path gets a new environment.

Sharing between concurrent runs: a build holds an exclusive lock on <key>.lock, builds in
.builds/<key>-<unique>/ and publishes it by atomically renaming a symlink <key> onto it. The
folder a venv is built in must be the one it runs from (its scripts' #! lines name it), which is why
the symlink moves and the folder does not. A reader that sees <key>/brix-environment.json uses it
without waiting.

`python -m brix_runtime.environments -- PYTHON ARGS...` (what the engine starts for a task with an
environment) finds or builds the environment of BRIX_ENVIRONMENT, records it in
$BRIX_TASK_DIR/environment.json, and execs ARGS with the environment's interpreter."""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid

from brix_runtime import _paths

FORMAT = 1
MARKER = "brix-environment.json"
LOG = "brix-install.log"


class LibraryError(Exception):
    """A library or requirement that could not be installed: `status` is pip's exit status,
    `tail` its last lines."""

    def __init__(self, message, status=None, tail=""):
        super().__init__(message)
        self.status, self.tail = status, tail


class Environment:
    __slots__ = ("key", "path", "python", "reused")

    def __init__(self, key, path, reused):
        self.key, self.path, self.reused = key, path, reused
        self.python = os.path.join(path, "bin", "python")


def cache_dir():
    return os.path.join(_paths.engine_root(), "environments")


# ----------------------------------------------------------------------------------------------
# paths and the key


def local_file(path, cwd=None):
    """Where a library path is on this machine."""
    if path.startswith(("dbfs:", "file:")):
        return _paths.resolve(path).local
    if not path.startswith("/"):
        path = os.path.join(cwd or os.getcwd(), path)
    mapped = _paths.local_path(path)
    if mapped != path or os.path.exists(path):
        return mapped
    workspace = os.path.join(_paths.engine_root(), "workspace") + path  # a workspace path without /Workspace
    return workspace if os.path.exists(workspace) else path


def _looks_like_path(text):
    return text.startswith(("/", "./", "../", "dbfs:", "file:")) or text.endswith((".whl", ".txt", ".tar.gz", ".zip"))


def _digest(path):
    if not os.path.isfile(path):
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _with_files(text, cwd):
    """A path-like argument with its local form and content hash, for the key."""
    if not _looks_like_path(text):
        return text
    local = local_file(text, cwd)
    return {"path": text, "sha256": _digest(local)}


def _dependency_for_key(line, cwd):
    line = line.strip()
    if line.startswith("-r "):
        return {"requirements": _with_files(line[3:].strip(), cwd)}
    return _with_files(line, cwd)


def key_of(spec, base_python, cwd=None):
    described = {
        "format": FORMAT,
        "python": base_python,
        "version": _version_of(base_python),
        "libraries": [],
        "dependencies": [_dependency_for_key(d, cwd) for d in spec.get("dependencies", [])],
        "pip": [[_with_files(a, cwd) for a in args] for args in spec.get("pip", [])],
    }
    for library in spec.get("libraries", []):
        entry = dict(library)
        for kind in ("whl", "requirements"):
            if kind in library:
                entry["sha256"] = _digest(local_file(library[kind], cwd))
        described["libraries"].append(entry)
    text = json.dumps(described, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _version_of(python):
    if os.path.abspath(python) == os.path.abspath(sys.executable):
        return sys.version
    out = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True)
    return out.stdout.strip()


def base_python():
    """The interpreter environments are made from: the compute's Python, even inside one."""
    return os.environ.get("BRIX_PYTHON_BASE") or sys.executable


# ----------------------------------------------------------------------------------------------
# building


def _run(argv, log, what, cwd=None, tool="pip"):
    log.write(("$ " + " ".join(argv) + "\n").encode())
    log.flush()
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, env=env)
    log.write(done.stdout)
    log.flush()
    if done.returncode != 0:
        tail = "\n".join(done.stdout.decode("utf-8", "replace").strip().splitlines()[-15:])
        raise LibraryError(f"Library installation failed for {what}: {tool} exited with status {done.returncode}\n{tail}",
                           done.returncode if tool == "pip" else None, tail)


def _pip_args(args, cwd):
    """%pip arguments with workspace, DBFS and volume paths made local (pip runs without the mapping)."""
    out = []
    for a in args:
        out.append(local_file(a, cwd) if _looks_like_path(a) and not a.startswith("-") else a)
    return out


def _requirements_file(lines, folder, cwd):
    """environments[].spec.dependencies as a requirements file, paths made local."""
    path = os.path.join(folder, "brix-dependencies.txt")
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            line = line.strip()
            if line.startswith("-r "):
                line = "-r " + local_file(line[3:].strip(), cwd)
            elif _looks_like_path(line) and not line.startswith("-"):
                line = local_file(line, cwd)
            f.write(line + "\n")
    return path


def _base_of(python):
    """The base interpreter's site folders, and whether it has pip (then the environment uses that
    pip instead of installing its own: creating the venv takes a fraction of the time)."""
    out = subprocess.run([python, "-c", "import importlib.util, json, site; print(json.dumps({'site': site.getsitepackages() + "
                          "([site.getusersitepackages()] if site.ENABLE_USER_SITE else []), "
                          "'pip': importlib.util.find_spec('pip') is not None}))"],
                         capture_output=True, text=True)
    try:
        return json.loads(out.stdout)
    except ValueError:
        return {"site": [], "pip": False}


def _link_base_site(folder, site_dirs):
    """What the base interpreter sees (its site-packages) stays importable, after the venv's own."""
    lib = os.path.join(folder, "lib")
    for version in os.listdir(lib):
        site_packages = os.path.join(lib, version, "site-packages")
        if os.path.isdir(site_packages):
            with open(os.path.join(site_packages, "zz-brix-base.pth"), "w", encoding="utf-8") as f:
                for d in site_dirs:
                    f.write(f"import site; site.addsitedir({d!r})\n")


def _build(spec, python, folder, cwd):
    with open(os.path.join(folder + ".log"), "wb") as log:
        base = _base_of(python)
        _run([python, "-m", "venv", *(["--without-pip"] if base["pip"] else []), folder], log,
             f"the virtual environment (on Debian and Ubuntu {python} -m venv needs the python3-venv package)", tool="venv")
        _link_base_site(folder, base["site"])
        pip = [os.path.join(folder, "bin", "python"), "-m", "pip"]
        for library in spec.get("libraries", []):
            if "whl" in library:
                _run(pip + ["install", local_file(library["whl"], cwd)], log, f"whl: {library['whl']}", cwd)
            elif "requirements" in library:
                _run(pip + ["install", "-r", local_file(library["requirements"], cwd)], log,
                     f"requirements: {library['requirements']}", cwd)
            elif "pypi" in library:
                pypi = library["pypi"]
                index = ["--index-url", pypi["repo"]] if pypi.get("repo") else []
                _run(pip + ["install", *index, pypi["package"]], log, f"pypi: {pypi['package']}", cwd)
        if spec.get("dependencies"):
            requirements = _requirements_file(spec["dependencies"], folder, cwd)
            _run(pip + ["install", "-r", requirements], log, "the environment's dependencies", cwd)
        for args in spec.get("pip", []):
            _run(pip + _pip_args(args, cwd), log, "%pip " + " ".join(args), cwd)
    os.replace(folder + ".log", os.path.join(folder, LOG))


def ensure(spec, python=None, cwd=None):
    """The environment of `spec`, built first when no run has built it yet."""
    python = python or base_python()
    key = key_of(spec, python, cwd)
    root = cache_dir()
    link = os.path.join(root, key)
    if os.path.exists(os.path.join(link, MARKER)):
        return Environment(key, link, True)
    builds = os.path.join(root, ".builds")
    os.makedirs(builds, exist_ok=True)
    with open(os.path.join(root, key + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(os.path.join(link, MARKER)):  # built by another run while this one waited
            return Environment(key, link, True)
        for stale in os.listdir(builds):  # what a killed build of this key left
            if stale.startswith(key + "-"):
                target = os.path.join(builds, stale)
                shutil.rmtree(target, ignore_errors=True) if os.path.isdir(target) else os.remove(target)
        folder = os.path.join(builds, f"{key}-{uuid.uuid4().hex[:12]}")
        try:
            _build(spec, python, folder, cwd)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        with open(os.path.join(folder, MARKER), "w", encoding="utf-8") as f:
            json.dump({"key": key, "spec": spec, "python": python}, f)
        temporary = os.path.join(root, f".{key}.{os.getpid()}.link")
        os.symlink(os.path.join(".builds", os.path.basename(folder)), temporary)
        os.replace(temporary, link)
    return Environment(key, link, False)


# ----------------------------------------------------------------------------------------------
# using one


def record(environment):
    """What runs get shows as brix_metrics.python_environment."""
    task_dir = os.environ.get("BRIX_TASK_DIR")
    if not task_dir:
        return
    path = os.path.join(task_dir, "environment.json")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"id": environment.key, "path": environment.path, "reused": environment.reused}, f)
    os.replace(path + ".tmp", path)


def activate_variables(environment, python):
    """The variables a process of the environment (and what it starts) needs."""
    os.environ["BRIX_PYTHON_BASE"] = python
    os.environ["VIRTUAL_ENV"] = environment.path
    os.environ["PATH"] = os.path.join(environment.path, "bin") + os.pathsep + os.environ.get("PATH", "")


def _fail(message):
    task_dir = os.environ.get("BRIX_TASK_DIR")
    sys.stderr.write(message + "\n")
    if task_dir:
        with open(os.path.join(task_dir, "error.json"), "w", encoding="utf-8") as f:
            json.dump({"error": message.splitlines()[0], "error_trace": message}, f)
    return 1


def main(argv):
    if len(argv) < 2 or argv[0] != "--":
        print("usage: python -m brix_runtime.environments -- PYTHON ARGS...", file=sys.stderr)
        return 2
    try:
        spec = json.loads(os.environ.get("BRIX_ENVIRONMENT") or "{}")
        python = base_python()
        environment = ensure(spec, python)
    except LibraryError as exc:
        return _fail(str(exc))
    record(environment)
    activate_variables(environment, python)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(environment.python, [environment.python] + argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
