"""Imports beyond a CSV into an existing table: an Excel file, a file into a new table, and
the async table creation with inline `data`, run as the worker runs the jobs.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_files
    .venv/bin/python bench/import_formats.py           # --rows 200000 by default

Uses the rows of bench/import_export.py (6 columns: text, number, boolean, date, single
select, long text). Prints, for each, the rows per second and the peak resident memory
beside the memory before it (see bench/import_export.py).
"""

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from import_export import PeakMemory, bench_table, write_csv


def write_xlsx(csv_path: Path, path: Path) -> None:
    """The CSV's rows as an Excel sheet, numbers as numbers (write-only: streamed)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    with csv_path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        sheet.append(next(reader))
        for name, amount, done, due, color, notes in reader:
            sheet.append([name, float(amount), done == "true", due, color, notes])
    workbook.save(path)


def report(label: str, rows: int, seconds: float, memory: PeakMemory, job) -> None:
    failing = len(job.result.get("report", {}).get("failing_rows", {}))
    print(
        f"{label}: {job.state}, {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s, "
        f"{failing} failing; memory {memory.before:.0f} MiB before, peak {memory.peak:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()

    media = tempfile.mkdtemp(prefix="bench_formats_")
    os.environ["MEDIA_ROOT"] = media
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from database.compose.tables import table_create_async
    from database.imports.services import table_create_from_file_async, table_import_async
    from user_files.services import user_file_upload

    call_command("migrate", verbosity=0)
    print(f"engine: {connection.vendor}, rows: {args.rows:,}, media: {media}")
    user, table, _ = bench_table("Excel")

    source, book = Path(media) / "source.csv", Path(media) / "source.xlsx"
    write_csv(source, args.rows)
    started = time.perf_counter()
    write_xlsx(source, book)
    print(f"wrote the Excel file in {time.perf_counter() - started:.1f} s")
    uploaded = {}
    for path in (source, book):
        with path.open("rb") as file:
            uploaded[path.suffix] = user_file_upload(user=user, file=file, original_name=path.name)

    with PeakMemory() as memory:
        started = time.perf_counter()
        job = table_import_async(
            user=user, table_id=table.id, file={"name": uploaded[".xlsx"].name, "type": "xlsx"}
        )
        job.refresh_from_db()
    report("xlsx into a table", args.rows, time.perf_counter() - started, memory, job)

    with PeakMemory() as memory:
        started = time.perf_counter()
        job = table_create_from_file_async(
            user=user,
            database_id=table.database_id,
            name="From CSV",
            file={"name": uploaded[".csv"].name, "type": "csv"},
        )
        job.refresh_from_db()
    report("csv into a new table", args.rows, time.perf_counter() - started, memory, job)

    with source.open(newline="", encoding="utf-8") as file:
        data = list(csv.reader(file))
    with PeakMemory() as memory:
        started = time.perf_counter()
        job = table_create_async(
            user=user,
            database_id=table.database_id,
            name="From data",
            data=data,
            first_row_header=True,
        )
        job.refresh_from_db()
    report("inline data into a new table", args.rows, time.perf_counter() - started, memory, job)
    shutil.rmtree(media)


if __name__ == "__main__":
    main()
