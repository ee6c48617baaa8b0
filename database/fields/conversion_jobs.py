"""Type conversions of large tables on PostgreSQL: the new column filled by a job, in chunks.

The update request adds the new type's empty column (a short lock), hands the filling to a
`convert_field` job (a worker; in-process without a broker) and waits for it without holding
anything, then runs the update itself, which converts the rows written meanwhile and swaps
the columns under the table's lock. The request answers the updated field as ever.
"""

import copy
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from baserow_clone.demand import web_demand
from database import table_models
from database.conversion import LOCK_CLASS, Backfill
from database.fields import selectors, services
from database.fields.errors import FieldDoesNotExist
from database.fields.models import Field
from database.fields.registry import FieldType, field_types
from database.tables.errors import FailedToLockTableDueToConflict
from database.tables.models import Table
from database.tables.selectors import table_counts
from jobs.dispatch import job_enqueue
from jobs.models import RUNNING_STATES, Job, JobState
from jobs.progress import JobProgress
from jobs.registry import ErrorMessages, JobType
from jobs.services import job_create
from users.models import User
from workspaces.errors import UserNotInWorkspace

logger = logging.getLogger(__name__)

JOB_TYPE = "convert_field"
WAIT_INTERVAL = 0.1
NOT_STARTED_ERROR = "No worker started the conversion in time; the request converted it."


class FieldChangedDuringConversion(Exception):
    """The field was changed or converted by someone else while its new column was filled."""


class FieldConversionStopped(FailedToLockTableDueToConflict):
    """The conversion's job was cancelled: the field keeps its type."""


def converts_in_chunks(old_type: str, new_type: str) -> bool:
    """Whether both types keep their cells in a column of the row, the new one's from text
    alone (not from what its `before_storage` makes in the same change, like select options)."""
    old, new = field_types.get(old_type), field_types.get(new_type)
    return (
        old.has_column
        and new.has_column
        and not new.read_only
        and type(new).before_storage is FieldType.before_storage
        and not (old.reads_other_tables or new.reads_other_tables)
    )


def _the_change(field: Field, options: dict[str, Any], changes: dict[str, Any]) -> Field:
    changed = copy.deepcopy(field)
    services.field_apply_changes(field=changed, options=options, changes=changes)
    return changed


@contextmanager
def large_conversion(
    *, user: User, field: Field, options: dict[str, Any] | None, changes: dict[str, Any]
) -> Iterator[Backfill | None]:
    """For a type change of a large table on PostgreSQL, outside any transaction: the new
    column, filled by a job this waits for; None: the update converts the data itself.

    The update runs inside the block; if it fails, the filled column goes. One conversion of a
    field at a time: another one meanwhile is refused as a conflict.
    """
    new_type = changes.get("type") or field.type
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or new_type == field.type
        or not converts_in_chunks(field.type, new_type)
        or table_counts(field.table)[0] < settings.FIELD_CONVERSION_JOB_ROWS
    ):
        yield None
        return
    services.require_table_member(user=user, table=field.table)
    _the_change(field, options or {}, changes)  # an invalid change fails before any work
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, field.id])
        if not cursor.fetchone()[0]:
            raise FailedToLockTableDueToConflict()
    try:
        backfill = _backfill(user, field, options or {}, changes)
        try:
            yield backfill
        except BaseException:
            if backfill is not None:
                _discard(field, backfill)
            raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, field.id])


def _backfill(user: User, field: Field, options: dict, changes: dict) -> Backfill | None:
    with transaction.atomic():
        table_models.lock_table_schema(field.table)
        field = Field.objects.select_related("table__database").get(id=field.id)
        changed = _the_change(field, options, changes)
        if changed.type == field.type:  # converted meanwhile: nothing left to fill
            return None
        conversion = [field.type, field.options, changed.type, changed.options]
        table_models.start_backfill(field, changed)
        payload = {"field_id": field.id, "conversion": conversion}
        job = job_create(user=user, type=JOB_TYPE, payload=payload)
    backfill = Backfill(field.table.db_table, field.id, tuple(conversion))
    try:
        job_enqueue(job_id=job.id)
        state = _wait_for(job)
    except BaseException:
        _discard(field, backfill)
        raise
    if state == JobState.FINISHED:
        return backfill
    _discard(field, backfill)
    if state == JobState.CANCELLED:
        raise FieldConversionStopped()
    return None  # the job failed: the update converts the data itself


def _wait_for(job: Job) -> str:
    """The job's end state. A job no worker takes within FIELD_CONVERSION_START_SECONDS (no
    worker running, or all busy) is failed here, so the update converts inline instead of
    keeping the request waiting for ever."""
    start_by = time.monotonic() + settings.FIELD_CONVERSION_START_SECONDS
    while (state := Job.objects.get(id=job.id).state) in RUNNING_STATES:
        if state == JobState.PENDING and time.monotonic() > start_by:
            untaken = Job.objects.filter(id=job.id, state=JobState.PENDING).update(
                state=JobState.FAILED, human_readable_error=NOT_STARTED_ERROR
            )
            if untaken:
                return JobState.FAILED
        time.sleep(WAIT_INTERVAL)
    return state


def conversion_pause() -> float:
    """How many times a chunk's time a conversion rests after it: FIELD_CONVERSION_BUSY_PAUSE
    while the web processes serve more than FIELD_CONVERSION_BUSY_DEMAND requests at a time on
    average (baserow_clone/demand.py; the type change's own request, waiting for the job, is
    one), so that a conversion gives way to the clients' requests; FIELD_CONVERSION_PAUSE
    otherwise."""
    if web_demand() > settings.FIELD_CONVERSION_BUSY_DEMAND:
        return settings.FIELD_CONVERSION_BUSY_PAUSE
    return settings.FIELD_CONVERSION_PAUSE


# The tables of noted writes a backfill makes: `database_table_<table id>_fld<field id>_written`.
NOTED_WRITES = r"^database_table_([0-9]+)_fld([0-9]+)_written$"


def reap_abandoned_backfills() -> int:
    """Drop what conversions left behind when their request's process died mid-conversion (the
    new column, the triggers noting writes, the noted writes); how many. A conversion under way
    holds its field's advisory lock for its whole length, so only abandoned ones are taken."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ids[1], ids[2] FROM (SELECT regexp_match(relname, %s) AS ids FROM pg_class "
            "WHERE relkind = 'r') AS named WHERE ids IS NOT NULL",
            [NOTED_WRITES],
        )
        found = [(int(table_id), int(field_id)) for table_id, field_id in cursor.fetchall()]
    reaped = 0
    for table_id, field_id in found:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, field_id])
            if not cursor.fetchone()[0]:
                continue  # a conversion of the field is under way
        try:
            with transaction.atomic():
                table = Table.objects.filter(id=table_id).first()
                if table is not None:
                    table_models.lock_table_schema(table)
                Backfill(f"database_table_{table_id}", field_id).discard()
            reaped += 1
        except DatabaseError:  # the table is busy (lock timeout): the next run takes it
            logger.warning("leftovers of field %s's conversion kept for now", field_id)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, field_id])
    return reaped


def _discard(field: Field, backfill: Backfill) -> None:
    with transaction.atomic():
        table_models.lock_table_schema(field.table)
        backfill.discard()


class ConvertFieldJobType(JobType):
    """Fills the new column of a field's type change, a paced chunk of rows at a time."""

    type = JOB_TYPE
    atomic = False  # every chunk commits: writers wait for one chunk at most
    error_messages: ClassVar[ErrorMessages] = {
        FieldDoesNotExist: "The field does not exist any more.",
        FieldChangedDuringConversion: "The field was changed by someone else meanwhile.",
        UserNotInWorkspace: "You are not a member of the workspace any more.",
    }

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        old_type, old_options, new_type, new_options = job.payload["conversion"]
        field = selectors.field_get(field_id=job.payload["field_id"])
        services.require_table_member(user=job.user, table=field.table)
        if (field.type, field.options) != (old_type, old_options):
            raise FieldChangedDuringConversion()
        changed = copy.deepcopy(field)
        changed.type, changed.options = new_type, new_options
        backfill = Backfill(field.table.db_table, field.id)
        backfill.fill(
            table_models.conversion_model(field, changed),
            field,
            changed,
            chunk_rows=settings.FIELD_CONVERSION_CHUNK_ROWS,
            pause=conversion_pause,
            report=progress.set,
        )
        return {}

    def to_json(self, job: Job) -> dict[str, Any]:
        return {"field_id": job.payload["field_id"]}
