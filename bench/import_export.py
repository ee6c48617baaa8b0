"""Import and export of a large CSV file, run as the worker runs the jobs: rows/s and memory.

    createdb -h 127.0.0.1 -U postgres bench_files      # once
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_files
    .venv/bin/python bench/import_export.py            # --rows 100000 for a shorter run

Builds a table of 6 fields (text, number, boolean, date, single select, long text) through
the services, writes a CSV of N rows (`--rows`, 1,000,000) to a temporary media folder as an
uploaded user file, then runs the `file_import` job (rows into the table) and an
`export_table` CSV job in this process (the task a worker runs). For each it prints
the rows per second and the process's peak resident memory during the job (sampled every
50 ms from /proc), beside the resident memory before it: flat memory means streaming.
"""

import argparse
import csv
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Jobs run in this process, in the thread that starts them (no broker, no job threads).
os.environ["JOB_THREADS"] = "0"
os.environ["CELERY_BROKER_URL"] = ""


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakMemory:
    """The highest resident memory of this process while the block runs."""

    def __enter__(self) -> "PeakMemory":
        self.before = self.peak = rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())


def write_csv(path: Path, rows: int) -> None:
    colors = ["Red", "Green", "Blue", "Yellow", "Purple"]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Name", "Amount", "Done", "Due", "Color", "Notes"])
        for n in range(1, rows + 1):
            writer.writerow(
                [
                    f"Row {n}",
                    f"{(n * 7919) % 100000 / 100:.2f}",
                    "true" if n % 3 == 0 else "false",
                    f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                    colors[n % 5],
                    f"Note number {n} with some words",
                ]
            )


def bench_table(name: str):
    """A new user and a table of the benchmark's 6 fields (Django set up): (user, table, the
    fields' columns by name)."""
    from database.applications.models import Application
    from database.compose.tables import table_create
    from database.fields.services import field_create
    from users.signup import user_signup
    from workspaces.models import WorkspaceUser

    user = user_signup(
        name="Bench", email=f"bench{time.time_ns()}@example.com", password="password123"
    )
    workspace = WorkspaceUser.objects.filter(user=user).first().workspace
    database = Application.objects.create(workspace=workspace, name="Bench")
    table = table_create(
        user=user, database_id=database.id, name=name, data=[["Name"]], first_row_header=True
    )
    options = [{"value": v, "color": "blue"} for v in ("Red", "Green", "Blue", "Yellow", "Purple")]
    columns = {"Name": table.fields.get(primary=True).db_column}
    for field_name, type_name, extra in (
        ("Amount", "number", {"number_decimal_places": 2}),
        ("Done", "boolean", {}),
        ("Due", "date", {}),
        ("Color", "single_select", {"select_options": options}),
        ("Notes", "long_text", {}),
    ):
        field, _ = field_create(
            user=user, table=table, type=type_name, name=field_name, options=extra
        )
        columns[field_name] = field.db_column
    return user, table, columns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    media = tempfile.mkdtemp(prefix="bench_files_")
    os.environ["MEDIA_ROOT"] = media
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from database.export.services import export_table
    from database.imports.services import table_import_async
    from user_files.services import user_file_upload

    call_command("migrate", verbosity=0)
    print(f"engine: {connection.vendor}, rows: {args.rows:,}, media: {media}")
    user, table, _ = bench_table("Imported")

    source = Path(media) / "source.csv"
    started = time.perf_counter()
    write_csv(source, args.rows)
    with source.open("rb") as file:
        user_file = user_file_upload(user=user, file=file, original_name="rows.csv")
    source.unlink()
    print(
        f"wrote and uploaded the CSV ({user_file.size / 2**20:.0f} MiB) in "
        f"{time.perf_counter() - started:.1f} s"
    )

    with PeakMemory() as memory:
        started = time.perf_counter()
        job = table_import_async(
            user=user, table_id=table.id, file={"name": user_file.name, "type": "csv"}
        )
        job.refresh_from_db()
        seconds = time.perf_counter() - started
    failing = len(job.result.get("report", {}).get("failing_rows", {}))
    print(
        f"import: {job.state}, {args.rows:,} rows in {seconds:.1f} s = "
        f"{args.rows / seconds:,.0f} rows/s, {failing} failing; memory "
        f"{memory.before:.0f} MiB before, peak {memory.peak:.0f} MiB"
    )

    with PeakMemory() as memory:
        started = time.perf_counter()
        job = export_table(user=user, table_id=table.id, options={"exporter_type": "csv"})
        job.refresh_from_db()
        seconds = time.perf_counter() - started
    size = (Path(media) / "export_files" / job.result["exported_file_name"]).stat().st_size
    print(
        f"export: {job.state}, {args.rows:,} rows in {seconds:.1f} s = "
        f"{args.rows / seconds:,.0f} rows/s ({size / 2**20:.0f} MiB); memory "
        f"{memory.before:.0f} MiB before, peak {memory.peak:.0f} MiB"
    )
    shutil.rmtree(media)


if __name__ == "__main__":
    main()
