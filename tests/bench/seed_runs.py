"""Fills an engine root's run store with many finished runs, fast, for the listing benchmarks.

    python3 seed_runs.py ROOT/brix.db TEMPLATE_RUN_ID COUNT [TEMPLATE_RUN_ID COUNT ...]

Starting runs through the API is far too slow for 100,000 of them (each starts processes), so
this clones runs that really ran: for each template (a finished job run made by `brix jobs
run-now`), COUNT copies of its row and of its task runs' rows, every column copied as the engine
wrote it, except the IDs (new ones, above every existing run), the links between them
(parent_run_id, original_attempt_run_id), the times (one run a minute, in run ID order) and the
idempotency token (none). Copies of the templates are interleaved evenly, so each job's runs are
spread over the whole history, as for jobs that run on schedules; all rows go in one transaction.
Columns are read from the table itself, so a column added by a later migration is copied too.
"""

import sqlite3
import sys
import time

RENUMBERED = {"run_id", "parent_run_id", "original_attempt_run_id", "created_time", "start_time", "end_time",
              "idempotency_token"}


def main(db_path, plan):
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 30000")
    columns = [row[1] for row in db.execute("PRAGMA table_info(runs)")]
    copied = [c for c in columns if c not in RENUMBERED]
    templates = []
    for template_id, count in plan:
        job_run = db.execute(f"SELECT {', '.join(copied)}, end_time - start_time FROM runs WHERE run_id = ?",
                             (template_id,)).fetchone()
        if job_run is None or db.execute("SELECT life_cycle_state FROM runs WHERE run_id = ?",
                                         (template_id,)).fetchone()[0] != "TERMINATED":
            sys.exit(f"seed_runs.py: run {template_id} is missing or has not finished")
        tasks = db.execute(f"SELECT {', '.join(copied)}, end_time - start_time FROM runs WHERE parent_run_id = ? "
                           "ORDER BY run_id", (template_id,)).fetchall()
        templates.append((job_run, tasks, count))

    # Interleave: template k's i-th copy sits at fraction (i + 0.5) / count of the history.
    order = sorted(((i + 0.5) / count, k) for k, (_, _, count) in enumerate(templates) for i in range(count))
    total_runs = sum(1 + len(templates[k][1]) for _, k in order)
    next_id = db.execute("SELECT max(seq) FROM sqlite_sequence WHERE name = 'runs'").fetchone()[0] + 1
    minute = 60_000
    start_of_history = int(time.time() * 1000) - (len(order) + 1) * minute

    names = ", ".join(["run_id", "parent_run_id", "original_attempt_run_id", "created_time", "start_time", "end_time",
                       *copied])
    insert = f"INSERT INTO runs ({names}) VALUES ({', '.join('?' * (6 + len(copied)))})"

    def rows():
        run_id = next_id
        for n, (_, k) in enumerate(order):
            job_run, tasks, _ = templates[k]
            created = start_of_history + n * minute
            job_run_id = run_id
            yield (job_run_id, None, None, created, created, created + job_run[-1], *job_run[:-1])
            run_id += 1
            for task in tasks:
                yield (run_id, job_run_id, run_id, created, created, created + task[-1], *task[:-1])
                run_id += 1

    db.execute("BEGIN IMMEDIATE")
    db.executemany(insert, rows())
    db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'runs'", (next_id + total_runs - 1,))
    db.execute("COMMIT")
    db.close()


if __name__ == "__main__":
    args = sys.argv[2:]
    if not args or len(args) % 2:
        sys.exit("usage: seed_runs.py DB TEMPLATE_RUN_ID COUNT [TEMPLATE_RUN_ID COUNT ...]")
    main(sys.argv[1], [(int(args[i]), int(args[i + 1])) for i in range(0, len(args), 2)])
