"""Imports of rows into an existing table, as a `file_import` job, with per-row errors.

Rows come either inline (`data`, lists of values in the order of the writable fields, as the
web frontend sends them) or from an uploaded user file (CSV, TSV, JSON or XML) read on the
server in chunks; a file's header row maps its columns to fields by name.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.files.storage import default_storage

from database.export.exporters import chunks, xml_tag
from database.fields.models import Field
from database.fields.registry import field_types
from database.imports.errors import ImportFileDoesNotExist
from database.imports.parsers import file_parsers
from database.rows.services import rows_import_unchecked
from database.tables.models import Table
from database.tables.selectors import table_get
from jobs.dispatch import job_start
from jobs.models import Job
from jobs.progress import JobProgress
from user_files.selectors import user_files_found
from user_files.storage import user_file_path
from users.models import User

CHUNK_ROWS = 1000
# Columns of exported files that are not fields.
IGNORED_COLUMNS = {"id"}


def writable_fields(table: Table) -> list[Field]:
    fields = Field.objects.filter(table=table).order_by("order", "id")
    return [field for field in fields if not field_types.get(field.type).read_only]


def table_import_async(
    *,
    user: User,
    table_id: int,
    data: list[list[Any]] | None = None,
    file: dict[str, Any] | None = None,
    configuration: dict[str, Any] | None = None,
) -> Job:
    """Start a file_import job adding rows to the table; the source is checked first."""
    table = table_get(table_id=table_id, member=user)
    if file is not None and not user_files_found([file["name"]]):
        raise ImportFileDoesNotExist()
    payload = {
        "database_id": table.database_id,
        "name": table.name,
        "table_id": table.id,
        "data": data,
        "file": file,
        "skipped_fields": (configuration or {}).get("skipped_fields") or [],
    }
    return job_start(user=user, type="file_import", payload=payload)


def import_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    """Add the job's rows to its table; the rows that fail validation go to the report."""
    payload = job.payload
    table = table_get(table_id=payload["table_id"], member=job.user)
    skipped = set(payload.get("skipped_fields") or [])
    fields = [field for field in writable_fields(table) if field.id not in skipped]
    if payload.get("file"):
        rows, total = _file_rows(payload["file"], fields), None
    else:
        data = payload.get("data") or []
        rows, total = _positional(data, fields), len(data)
    failing: dict[str, Any] = {}
    done = 0
    for chunk in chunks(rows, CHUNK_ROWS):
        errors = rows_import_unchecked(table=table, rows=chunk)
        failing.update({str(done + index): detail for index, detail in errors.items()})
        done += len(chunk)
        progress.set(min(99, done * 100 // total) if total else 0)
    return {"table_id": table.id, "report": {"failing_rows": failing}}


def _positional(data: Iterable[list[Any]], fields: list[Field]) -> Iterator[dict[str, Any]]:
    for values in data:
        yield {field.db_column: value for field, value in zip(fields, values, strict=False)}


def _file_rows(source: dict[str, Any], fields: list[Field]) -> Iterator[dict[str, Any]]:
    parser = file_parsers.get(source["type"])
    with default_storage.open(user_file_path(source["name"]), "rb") as file:
        rows = parser.rows(file, source)
        if not source.get("first_row_header", True):
            yield from _positional(rows, fields)
            return
        header = next(rows, None)
        if header is None:
            return
        columns = [(index, field, _empty(field)) for index, field in _columns(header, fields)]
        for values in rows:
            yield {
                field.db_column: empty if values[index] == "" else values[index]
                for index, field, empty in columns
                if index < len(values) and values[index] is not None
            }


def _empty(field: Field) -> Any:
    """What an empty text of a file sets: null, where the field takes it."""
    input_field = field_types.get(field.type).input_field(field)
    return None if getattr(input_field, "allow_null", True) else ""


def _columns(header: list[Any], fields: list[Field]) -> list[tuple[int, Field]]:
    """(column index, field) of every header name that names a writable field."""
    by_name: dict[str, Field] = {}
    for field in fields:
        for name in (field.name, field.name.lower(), xml_tag(field.name)):
            by_name.setdefault(name, field)
    columns = []
    for index, name in enumerate(header):
        text = str(name).strip()
        if text in IGNORED_COLUMNS:
            continue
        field = by_name.get(text) or by_name.get(text.lower())
        if field is not None:
            columns.append((index, field))
    return columns
