"""Table export speed: rows per second and peak memory of export jobs, per file type.

    createdb -h 127.0.0.1 -U postgres bench_export      # once
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export
    .venv/bin/python bench/export.py                     # 1M rows, CSV, 3 runs
    .venv/bin/python bench/export.py --types csv,json,xml,excel --rows 200000
    git archive main | tar -x -C /tmp/base               # another version of the code, then:
    .venv/bin/python bench/export.py --baseline /tmp/base

Builds a table of 6 fields (text, number with 2 places, boolean, date, single select, long
text) and fills it with N rows (`--rows`) in one `INSERT ... SELECT` over `generate_series`
(PostgreSQL only). Each run is a fresh Python process (the worker's situation: no model or
cache warmed up) that starts an `export_table` job and runs it in its own thread, as a worker
does, then prints its rows/s (of wall time; and of the process's CPU time, less sensitive to
the machine's load, though the database's share of the work is not in it) and its peak
resident memory (sampled every 50 ms from /proc) beside the memory before the job: flat
memory means streaming. With `--baseline DIR`, the same runs are made with the code in DIR
too, alternately, so that both see the same machine load; the medians are printed at the end.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One export in a fresh process, with the code of the current directory; prints one JSON line.
# It uses only the export service and the job model, so that older code runs it too.
RUN_ONE = r"""
import json, os, sys, tempfile, threading, time
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "baserow_clone.settings"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["JOB_THREADS"] = "0"
os.environ["CELERY_BROKER_URL"] = ""
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench_export_")
import django
django.setup()
from pathlib import Path
from database.export.services import export_table
from users.models import User

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

user_id, table_id, exporter = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
user = User.objects.get(id=user_id)
before = peak = rss()
stop = threading.Event()
def sample():
    global peak
    while not stop.wait(0.05):
        peak = max(peak, rss())
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
started, cpu = time.perf_counter(), time.process_time()
job = export_table(user=user, table_id=table_id, options={"exporter_type": exporter})
job.refresh_from_db()
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
stop.set()
sampler.join()
peak = max(peak, rss())
name = job.result.get("exported_file_name")
path = Path(os.environ["MEDIA_ROOT"]) / "export_files" / (name or "-")
size = path.stat().st_size if name else 0
if name:
    path.unlink()
print(json.dumps({"state": job.state, "error": job.human_readable_error,
                  "seconds": seconds, "cpu": cpu, "before": before, "peak": peak, "size": size}))
"""


def make_table(rows: int) -> tuple[int, int]:
    """A user and a filled table of `rows` rows; returns their ids."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CELERY_BROKER_URL"] = ""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from import_export import bench_table

    from database.fields.models import SelectOption
    from database.tables.models import TableCounts

    if connection.vendor != "postgresql":
        sys.exit("bench/export.py fills its table with PostgreSQL's generate_series")
    call_command("migrate", verbosity=0)
    user, table, columns = bench_table("Export")
    primary = columns["Name"]
    option_ids = list(
        SelectOption.objects.filter(field__table=table)
        .order_by("order")
        .values_list("id", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table.db_table}" ("order", created_on, updated_on, trashed, '
            f'"{primary}", "{columns["Amount"]}", "{columns["Done"]}", "{columns["Due"]}", '
            f'"{columns["Color"]}", "{columns["Notes"]}") '
            "SELECT n, now(), now(), false, 'Row ' || n, ((n::bigint * 7919) %% 100000) / 100.0, "
            "n %% 3 = 0, date '2024-01-01' + (n %% 365), (%s::bigint[])[n %% 5 + 1], "
            "'Note number ' || n || ' with some words' FROM generate_series(1, %s) AS n",
            [option_ids, rows],
        )
        cursor.execute(f'ANALYZE "{table.db_table}"')
    TableCounts.objects.update_or_create(table_id=table.id, defaults={"row_count": rows})
    return user.id, table.id


def run_one(source: Path, user_id: int, table_id: int, exporter: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", RUN_ONE, str(user_id), str(table_id), exporter],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--types", default="csv", help="comma-separated exporter types")
    parser.add_argument("--baseline", type=Path, help="another checkout to run alternately")
    args = parser.parse_args()

    started = time.perf_counter()
    user_id, table_id = make_table(args.rows)
    print(
        f"engine: postgresql, rows: {args.rows:,}, table {table_id} filled in "
        f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}"
    )
    sources = [("this", ROOT)] + ([("baseline", args.baseline)] if args.baseline else [])
    results: dict[tuple[str, str], list[float]] = {}
    per_cpu: dict[tuple[str, str], list[float]] = {}
    for exporter in args.types.split(","):
        for attempt in range(1, args.repeat + 1):
            for label, source in sources:
                run = run_one(source, user_id, table_id, exporter)
                if run["state"] != "finished":
                    print(f"{exporter:5} {label:8} run {attempt}: {run['state']}: {run['error']}")
                    continue
                rate = args.rows / run["seconds"]
                results.setdefault((exporter, label), []).append(rate)
                per_cpu.setdefault((exporter, label), []).append(args.rows / run["cpu"])
                print(
                    f"{exporter:5} {label:8} run {attempt}: {run['seconds']:.1f} s = "
                    f"{rate:,.0f} rows/s ({run['size'] / 2**20:.0f} MiB); {run['cpu']:.1f} s "
                    f"of CPU = {args.rows / run['cpu']:,.0f} rows per CPU second; "
                    f"memory {run['before']:.0f} MiB before, peak {run['peak']:.0f} MiB; "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    for (exporter, label), rates in results.items():
        print(
            f"median {exporter:5} {label:8} {statistics.median(rates):,.0f} rows/s, "
            f"{statistics.median(per_cpu[exporter, label]):,.0f} rows per CPU second"
        )


if __name__ == "__main__":
    main()
