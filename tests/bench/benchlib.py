"""What the benchmark scripts share: timing commands, medians, peak memory, and report rows.

The scripts in tests/bench call Python (heredocs) for everything that needs a clock, because
time.perf_counter_ns around subprocess.run gives every command the same fork/exec cost; this
module keeps those pieces in one place. It is imported with BENCH_DIR on sys.path.

Report rows: when BENCH_ROWS names a file, row() appends one tab-separated line to it; report.sh
collects these lines and prints them as one markdown table. Run on their own, the scripts leave
BENCH_ROWS unset and only print their own tables.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def fail(message):
    sys.exit(f"{os.path.basename(sys.argv[0]) or 'bench'}: {message}")


def run_once(argv, env=None, stdout=subprocess.DEVNULL, cpu=None):
    """Wall time of one run in ms; a failing command ends the benchmark (a wrong result is no result).
    With a list as `cpu`, also appends the command's CPU time (user + system, ms): on a busy
    machine it grows far less than the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter_ns()
    done = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, env=env)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        fail(f"{' '.join(map(str, argv))} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}")
    if cpu is not None:
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return elapsed


def interleaved(cases, runs, warmup=1, env=None, cpu=None):
    """Times each case `runs` times, one round of every case after the other, so the reference
    and brix see the same machine load. A case is (name, argv) or (name, argv, env) with its own
    environment. Returns {name: [ms, ...]}; with a dict as `cpu`, fills it the same way with CPU
    times."""
    cases = [(case[0], case[1], case[2] if len(case) > 2 else env) for case in cases]
    for _ in range(warmup):
        for _, argv, case_env in cases:
            run_once(argv, case_env)
    samples = {name: [] for name, _, _ in cases}
    for name, _, _ in cases:
        if cpu is not None:
            cpu[name] = []
    for _ in range(runs):
        for name, argv, case_env in cases:
            samples[name].append(run_once(argv, case_env, cpu=None if cpu is None else cpu[name]))
    return samples


def median(values):
    return statistics.median(values)


def peak_rss_kib(argv, env=None):
    """Peak resident memory of a command in KiB, as GNU time reports it (%M, from wait4's
    ru_maxrss). /usr/bin/time forks the command from a small process; timing from Python would
    not do, because a child started with vfork inherits Python's own resident size in ru_maxrss."""
    time_bin = "/usr/bin/time"
    if not os.access(time_bin, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        done = subprocess.run([time_bin, "-f", "%M", "-o", out.name, *argv], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env)
        if done.returncode != 0:
            fail(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}")
        return int(out.read().split()[-1])


def vm_hwm_kib(pid):
    """Peak resident memory so far of a running process (VmHWM), in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


SECTIONS = ("startup", "transfer", "run-now", "dag", "serve", "listing", "memory")


def row(section, figure, value, unit, reference="", reference_value=None, target="", met=None):
    """One line of the report: brix's figure, the reference measured in the same run, the target
    and whether it is met (None: no target). report.sh prints the rows by section, in SECTIONS order."""
    assert section in SECTIONS, section
    rows = os.environ.get("BENCH_ROWS")
    if not rows:
        return
    fields = [section, figure, _number(value), unit, reference, _number(reference_value), target,
              "" if met is None else ("met" if met else "not met")]
    with open(rows, "a") as out:
        out.write("\t".join(field.replace("\t", " ") for field in fields) + "\n")


def note(text):
    """A line the report prints under the table (what could not be measured, and why)."""
    rows = os.environ.get("BENCH_ROWS")
    if rows:
        with open(rows, "a") as out:
            out.write("note\t" + text.replace("\t", " ").replace("\n", " ") + "\n")


def _number(value):
    if value is None:
        return ""
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
