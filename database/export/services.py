"""Table and view exports: checked when asked for, then written by an `export_table` job.

The job reads the rows in chunks as plain values (see `rows.py`) and writes them to a
temporary file, which goes to the default storage in one streamed upload: memory stays flat
whatever the number of rows.
"""

import json
import secrets
import tempfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from database.export.errors import ExportJobDoesNotExist
from database.export.exporters import table_exporters
from database.export.rows import export_rows
from database.fields.models import Field
from database.rows.selectors import RowQuery, rows_list
from database.tables.models import Table
from database.tables.selectors import table_counts, table_get
from database.views.errors import ViewNotInTable
from database.views.models import View
from database.views.selectors import ViewRows, view_get, view_get_for_user
from database.views.services import field_options_for
from jobs.dispatch import job_start
from jobs.models import Job, JobState
from jobs.progress import JobProgress
from jobs.selectors import with_live_progress
from users.models import User

EXPORT_JOB_TYPE = "export_table"
EXPORT_FOLDER = "export_files"


def export_file_path(name: str) -> str:
    return f"{EXPORT_FOLDER}/{name}"


def export_table(*, user: User, table_id: int, options: dict[str, Any]) -> Job:
    """Export a table (through one of its views when `view_id` is given) as a job."""
    table = table_get(table_id=table_id, member=user)
    view = None
    if options.get("view_id") is not None:
        view = view_get(view_id=options["view_id"])
        if view.table_id != table.id:
            raise ViewNotInTable(view.id)
    return _start(user=user, table=table, view=view, options=options)


def export_view(*, user: User, view_id: int, options: dict[str, Any]) -> Job:
    """Export the rows of a view: its filters and sorts, its visible fields in its order."""
    view = view_get_for_user(user=user, view_id=view_id)
    return _start(user=user, table=view.table, view=view, options=options)


def _start(*, user: User, table: Table, view: View | None, options: dict[str, Any]) -> Job:
    payload = {
        **{key: value for key, value in options.items() if key != "view_id"},
        "table_id": table.id,
        "view_id": view.id if view is not None else None,
    }
    export_query(table, view, payload)  # refuses unknown filter fields, types and sorts now
    return job_start(user=user, type=EXPORT_JOB_TYPE, payload=payload)


def export_query(table: Table, view: View | None, payload: dict[str, Any]):
    """The queryset of the rows to export (filters and sorts applied) and the fields shown."""
    filters = payload.get("filters")
    query = RowQuery(
        filter_params={"filters": json.dumps(filters)} if filters else None,
        order_by=payload.get("order_by") or None,
        view=ViewRows(view) if view is not None else None,
    )
    listed = rows_list(table=table, query=query)
    return listed.queryset, _shown_fields(view, listed.fields, payload.get("fields"))


def _shown_fields(view: View | None, fields: list[Field], wanted: list[int] | None) -> list[Field]:
    if wanted:
        by_id = {field.id: field for field in fields}
        return [by_id[field_id] for field_id in dict.fromkeys(wanted) if field_id in by_id]
    if view is None:
        return fields
    options = field_options_for(view, fields)
    visible = [field for field in fields if not options[field.id].hidden]
    return sorted(visible, key=lambda field: (options[field.id].order, field.order, field.id))


def export_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    """Write the export file of a job; returns its name in the storage."""
    payload = job.payload
    table = table_get(table_id=payload["table_id"], member=job.user)
    view = None
    if payload.get("view_id") is not None:
        view = view_get(view_id=payload["view_id"])
    queryset, fields = export_query(table, view, payload)
    exporter = table_exporters.get(payload["exporter_type"])
    total = max(1, table_counts(table)[0])

    def chunks():
        done = 0
        cell = exporter.cell(payload)
        for rows in export_rows(queryset, fields, cell, passes_text=exporter.passes_text):
            yield rows
            done += len(rows)
            progress.set(min(99, done * 100 // total))

    name = f"{secrets.token_urlsafe(24)}.{exporter.file_extension}"
    with tempfile.TemporaryFile() as file:
        exporter.write(file, [field.name for field in fields], chunks(), payload)
        file.seek(0)
        stored = default_storage.save(export_file_path(name), File(file, name=name))
    return {"exported_file_name": stored.rsplit("/", 1)[-1]}


def export_job_get(*, user: User, job_id: int) -> Job:
    """One of the user's export jobs, or ExportJobDoesNotExist."""
    job = Job.objects.filter(id=job_id, user=user, type=EXPORT_JOB_TYPE).first()
    if job is None:
        raise ExportJobDoesNotExist()
    return with_live_progress([job])[0]


def exports_delete_expired(*, now=None) -> int:
    """Delete the files of exports older than EXPORT_FILES_EXPIRE_HOURS; returns how many.

    For a periodic task (hourly is plenty): the jobs stay, marked expired, without a URL.
    """
    cutoff = (now or timezone.now()) - timedelta(hours=settings.EXPORT_FILES_EXPIRE_HOURS)
    expired = Job.objects.filter(
        type=EXPORT_JOB_TYPE, state=JobState.FINISHED, created_on__lt=cutoff
    ).exclude(result__has_key="expired")
    count = 0
    for job in expired.iterator():
        name = job.result.get("exported_file_name")
        if name:
            default_storage.delete(export_file_path(name))
        job.result = {**job.result, "expired": True}
        job.save(update_fields=["result", "updated_on"])
        count += 1
    return count
