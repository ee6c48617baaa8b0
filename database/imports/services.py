"""Imports of rows as `file_import` jobs, with per-row errors: into an existing table, or
into a new table made from an uploaded file.

Rows come either inline (`data`, lists of values in the order of the writable fields, as the
web frontend sends them) or from an uploaded user file (CSV, TSV, JSON, XML or Excel) read on
the server as it goes, in chunks; a file's header row maps its columns to fields by name.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage

from database.applications.selectors import database_get
from database.compose.tables import (
    InitialContent,
    initial_content_from_data,
    table_create_unchecked,
)
from database.export.exporters import chunks, xml_tag
from database.fields import errors as field_errors
from database.fields.models import Field
from database.fields.registry import field_types
from database.imports.errors import FileCannotMakeTable, ImportFileDoesNotExist
from database.imports.parsers import file_parsers
from database.rows.services import rows_import_unchecked
from database.tables import errors as table_errors
from database.tables.models import Table
from database.tables.selectors import table_get
from events import announce
from jobs.dispatch import job_start
from jobs.models import Job
from jobs.progress import JobProgress
from user_files.selectors import user_files_found
from user_files.storage import user_file_path
from users.models import User
from workspaces.permissions import require_member

# Rows validated and written at a time (one COPY on PostgreSQL), and per progress step.
CHUNK_ROWS = 5000
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
    _require_file(file)
    payload = {
        "database_id": table.database_id,
        "name": table.name,
        "table_id": table.id,
        "data": data,
        "file": file,
        "skipped_fields": (configuration or {}).get("skipped_fields") or [],
    }
    return job_start(user=user, type="file_import", payload=payload)


def table_create_from_file_async(
    *, user: User, database_id: int, name: str, file: dict[str, Any]
) -> Job:
    """Start a file_import job creating a table from an uploaded file: one text field per
    column, named by the header row (`file.first_row_header`) or "Field N"."""
    database = database_get(database_id=database_id)
    require_member(user=user, workspace=database.workspace)
    _require_file(file)
    payload = {"database_id": database.id, "name": name, "data": None, "file": file}
    return job_start(user=user, type="file_import", payload=payload)


def _require_file(file: dict[str, Any] | None) -> None:
    if file is not None and not user_files_found([file["name"]]):
        raise ImportFileDoesNotExist()


def import_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    """Add the job's rows to its table; the rows that fail validation go to the report."""
    payload = job.payload
    table = table_get(table_id=payload["table_id"], member=job.user)
    skipped = set(payload.get("skipped_fields") or [])
    fields = [field for field in writable_fields(table) if field.id not in skipped]
    if not payload.get("file"):
        data = payload.get("data") or []
        rows = _positional(data, fields)
        failing = _import_chunks(table, rows, lambda done: done / len(data), progress=progress.set)
        return _result(table, failing)
    source = payload["file"]
    with _opened(source) as (rows, position):
        rows = _file_rows(rows, source, fields)
        failing = _import_chunks(table, rows, lambda done: position(), progress=progress.set)
        return _result(table, failing)


def _result(table: Table, failing: dict[str, Any]) -> dict[str, Any]:
    return {"table_id": table.id, "report": {"failing_rows": failing}}


def _import_chunks(
    table: Table,
    rows: Iterable[dict[str, Any]],
    fraction_done: Callable[[int], float],
    *,
    progress: Callable[[int], None] | None = None,
    start: int = 0,
) -> dict[str, Any]:
    """Write the rows chunk after chunk; returns the errors of the failing ones by index.

    After each chunk, `progress` (if any) gets `start` plus the share of the rest done, as
    `fraction_done` (given the rows so far) tells it.
    """
    failing: dict[str, Any] = {}
    done = 0
    for chunk in chunks(rows, CHUNK_ROWS):
        errors = rows_import_unchecked(table=table, rows=chunk)
        failing.update({str(done + index): detail for index, detail in errors.items()})
        done += len(chunk)
        if progress is not None:
            progress(min(99, start + int((99 - start) * fraction_done(done))))
    return failing


@contextmanager
def _opened(source: dict[str, Any]) -> Iterator[tuple[Iterator[list[Any]], Callable[[], float]]]:
    """The rows of an uploaded file, and how far into the file reading them has got (0-1)."""
    parser = file_parsers.get(source["type"])
    path = user_file_path(source["name"])
    with default_storage.open(path, "rb") as file:
        size = max(1, file.size)
        yield parser.rows(file, source), lambda: min(1.0, _position(file, size) / size)


def _position(file: IO[bytes], size: int) -> int:
    try:
        return file.tell()
    except (OSError, ValueError):  # closed: read to its end
        return size


def _positional(data: Iterable[list[Any]], fields: list[Field]) -> Iterator[dict[str, Any]]:
    columns = [field.db_column for field in fields]
    for values in data:
        yield dict(zip(columns, values, strict=False))


def _file_rows(
    rows: Iterator[list[Any]], source: dict[str, Any], fields: list[Field]
) -> Iterator[dict[str, Any]]:
    if not source.get("first_row_header", True):
        yield from _positional(rows, fields)
        return
    header = next(rows, None)
    if header is None:
        return
    columns = [(index, field.db_column, _empty(field)) for index, field in _columns(header, fields)]
    for values in rows:
        width = len(values)
        row = {}
        for index, column, empty in columns:
            if index < width:
                value = values[index]
                if value is not None:
                    row[column] = empty if value == "" else value
        yield row


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


# A new table from a file.

# What a file read into a new table can hold that its header or size refuses.
UNUSABLE_FILE_MESSAGES: dict[type[Exception], str] = {
    table_errors.InvalidInitialTableData: "The file holds no data.",
    table_errors.InitialTableDataLimitExceeded: "The file has more rows than allowed.",
    table_errors.InitialTableDataDuplicateName: "The header row names two columns alike.",
    field_errors.ReservedFieldName: "The header row names a column id or order.",
    field_errors.InvalidFieldName: "The header row has a blank column name.",
    field_errors.MaxFieldNameLengthExceeded: "A column name has over 255 characters.",
    field_errors.MaxFieldCountExceeded: "The file has more columns than a table can hold.",
}


def table_from_file_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    """Create the job's table from its file: a first reading finds the header and the widest
    row (the fields), a second one writes the rows; failing rows go to the report."""
    payload, source = job.payload, job.payload["file"]
    database = database_get(database_id=payload["database_id"])
    require_member(user=job.user, workspace=database.workspace)
    header_row = source.get("first_row_header", True)
    with _opened(source) as (rows, position):
        header = [cell_text(name) for name in next(rows, [])] if header_row else []
        width, count = len(header), int(header_row)
        for values in rows:
            width, count = max(width, len(values)), count + 1
            if count % CHUNK_ROWS == 0:
                progress.set(int(20 * position()))
    try:
        content = _new_table_content(header, width, count, header_row)
    except tuple(UNUSABLE_FILE_MESSAGES) as exc:
        raise FileCannotMakeTable(UNUSABLE_FILE_MESSAGES[type(exc)]) from exc
    table = table_create_unchecked(
        database=database, name=payload["name"], content=content, progress=progress.set
    )
    columns = [
        field.db_column for field in Field.objects.filter(table=table).order_by("order", "id")
    ]
    with _opened(source) as (rows, position):
        if header_row:
            next(rows, None)
        texts = (_text_row(values, columns) for values in rows)
        failing = _import_chunks(
            table, texts, lambda done: position(), progress=progress.set, start=30
        )
    announce("table_created", workspace_id=database.workspace_id, user=job.user, table=table)
    return _result(table, failing)


def _new_table_content(
    header: list[str], width: int, count: int, header_row: bool
) -> InitialContent:
    """The fields of a table made from a file of `count` rows of at most `width` cells."""
    if width == 0:
        raise table_errors.InvalidInitialTableData()
    # The checks and names of a new table's data, given its header and a row as wide as any.
    content = initial_content_from_data(
        data=[header, [""] * width] if header_row else [[""] * width],
        first_row_header=header_row,
    )
    limit = settings.INITIAL_TABLE_DATA_LIMIT  # 0: no limit
    if limit and count > limit:
        raise table_errors.InitialTableDataLimitExceeded(limit)
    return InitialContent(fields=content.fields, rows=())


def _text_row(values: list[Any], columns: list[str]) -> dict[str, str]:
    """A row of a new table: every column's cell as text; short rows padded with ""."""
    texts = [cell_text(value) for value in values]
    texts += [""] * (len(columns) - len(texts))
    return dict(zip(columns, texts, strict=False))


def cell_text(value: Any) -> str:
    """A file's cell as a new table's text field holds it: as initial table data is read
    (null as empty text, booleans as true/false), nested JSON as its JSON text."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)
