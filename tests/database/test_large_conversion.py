"""Type changes of large tables: on PostgreSQL the new column is filled by a `convert_field` job
in committed chunks while writers go on; the request still answers the converted field."""

import threading
import time

import psycopg
import pytest
from django.db import connection, transaction

from actions.types.fields import field_update as field_update_logged
from baserow_clone.demand import demand
from database import table_models
from database.conversion import LOCK_CLASS, Backfill
from database.fields.conversion_jobs import JOB_TYPE, conversion_pause, reap_abandoned_backfills
from database.fields.models import Field
from database.fields.services import field_update
from database.fields.types.rating import RatingFieldType
from database.rows.services import rows_update
from database.tables.models import Table
from jobs.dispatch import in_process_executor
from jobs.models import Job, JobState
from jobs.services import job_cancel
from tests.database.helpers import POSTGRESQL_CONCURRENCY, insert_rows, values
from tests.database.helpers import add_field as add_field_unchecked

FIELDS = "/api/database/fields"
# Text a rating reads: plain numbers (converted in SQL on PostgreSQL) and the rest (Python).
TEXTS = [
    "3", " 4 ", "2,5", "2.5", "2.4999", "+.5", "-1", "7", "10", "0", "1.", ".", "", None,
    "abc", "\t4", "4\n", "1e2", "\u0663", "1_0", "NaN", "Infinity", "3 4", "+ 2", "0,5", "-0",
]  # fmt: skip


@pytest.fixture
def chunked(settings):
    """Conversions of tables from 100 rows on go through the job, 40 rows per chunk."""
    settings.FIELD_CONVERSION_JOB_ROWS = 100
    settings.FIELD_CONVERSION_CHUNK_ROWS = 40
    settings.FIELD_CONVERSION_PAUSE = 0


def add_field(table: Table, name: str, type: str = "text", **options) -> Field:
    with transaction.atomic():
        return add_field_unchecked(table, name, type, **options)


def _texts(count: int) -> list[str | None]:
    return [TEXTS[n % len(TEXTS)] for n in range(count)]


def _expected_ratings(field: Field, texts: list[str | None], max_value: int) -> list[int]:
    """What the conversion must give: the rating type's own reading of each text, 0 if none."""
    rating = Field(id=field.id, table_id=field.table_id, type="rating")
    rating.options = {"max_value": max_value}
    return [RatingFieldType().from_text(rating, text) or 0 for text in texts]


def _leftovers(table: Table) -> list[str]:
    """Triggers on the table and tables of noted writes left behind by a backfill."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "UNION ALL SELECT relname FROM pg_class WHERE relname LIKE %s",
            [table.db_table, f"{table.db_table}_fld%"],
        )
        return [name for (name,) in cursor.fetchall()]


def _conversion_jobs() -> list[Job]:
    return list(Job.objects.filter(type=JOB_TYPE).order_by("id"))


def test_text_to_rating_gives_what_the_rating_type_reads(user_client, table, chunked):
    """The SQL conversion of plain numbers matches Python's reading of every kind of text."""
    notes = add_field(table, "Notes")
    texts = _texts(250)
    insert_rows(table, [{notes.db_column: text} for text in texts])
    response = user_client.patch(
        f"{FIELDS}/{notes.id}/", {"type": "rating", "max_value": 6}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["type"] == "rating"
    assert response.json()["max_value"] == 6
    assert values(table, notes) == _expected_ratings(notes, texts, 6)


def test_rating_to_text_and_boolean_to_text(user_client, table, chunked):
    stars = add_field(table, "Stars", type="rating", max_value=5)
    done = add_field(table, "Done", type="boolean")
    insert_rows(table, [{stars.db_column: n % 6, done.db_column: n % 3 == 0} for n in range(150)])
    for field in (stars, done):
        response = user_client.patch(f"{FIELDS}/{field.id}/", {"type": "text"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["type"] == "text"
    assert values(table, stars) == [str(n % 6) for n in range(150)]
    assert values(table, done) == ["true" if n % 3 == 0 else "false" for n in range(150)]


def postgresql(test):
    """PostgreSQL only, with data committed (a job and writers in other threads see it)."""
    for mark in POSTGRESQL_CONCURRENCY:
        test = mark(test)
    return test


@postgresql
def test_a_large_type_change_runs_as_a_job_and_answers_the_field(user_client, busy_table, chunked):
    notes = add_field(busy_table, "Notes")
    texts = _texts(250)
    insert_rows(busy_table, [{notes.db_column: text} for text in texts])
    response = user_client.patch(
        f"{FIELDS}/{notes.id}/", {"type": "rating", "max_value": 5, "name": "Score"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["id"], body["type"], body["name"], body["max_value"]) == (
        notes.id,
        "rating",
        "Score",
        5,
    )
    assert values(busy_table, notes) == _expected_ratings(notes, texts, 5)
    [job] = _conversion_jobs()
    assert (job.state, job.progress_percentage) == (JobState.FINISHED, 100)
    assert job.payload["field_id"] == notes.id
    assert _leftovers(busy_table) == []
    # The job is one of the user's jobs, with the field it converted.
    listed = user_client.get(f"/api/jobs/{job.id}/").json()
    assert (listed["type"], listed["state"], listed["field_id"]) == (JOB_TYPE, "finished", notes.id)


@postgresql
def test_a_small_table_converts_in_the_request(user_client, busy_table, chunked):
    notes = add_field(busy_table, "Notes")
    insert_rows(busy_table, [{notes.db_column: "4"} for _ in range(50)])
    response = user_client.patch(f"{FIELDS}/{notes.id}/", {"type": "rating"}, format="json")
    assert response.status_code == 200
    assert values(busy_table, notes) == [4] * 50
    assert _conversion_jobs() == []


@postgresql
def test_an_invalid_large_change_fails_before_any_work(user_client, busy_table, chunked):
    notes = add_field(busy_table, "Notes")
    insert_rows(busy_table, [{notes.db_column: "4"} for _ in range(150)])
    response = user_client.patch(
        f"{FIELDS}/{notes.id}/", {"type": "rating", "max_value": 99}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert _conversion_jobs() == []
    assert _leftovers(busy_table) == []
    assert values(busy_table, notes) == ["4"] * 150


@postgresql
def test_rows_written_after_their_chunk_are_converted_again(user, busy_table, chunked):
    """The trigger notes the rows written during the backfill; the swap converts them again."""
    notes = add_field(busy_table, "Notes")
    ids = insert_rows(busy_table, [{notes.db_column: "1"} for _ in range(120)])
    old = Field.objects.get(id=notes.id)
    new = Field.objects.get(id=notes.id)
    new.type, new.options = "rating", {"max_value": 5, "color": "dark-orange", "style": "star"}
    with transaction.atomic():
        table_models.lock_table_schema(busy_table)
        table_models.start_backfill(old, new)
    backfill = Backfill(busy_table.db_table, notes.id, ("text", old.options, "rating", new.options))
    reported: list[int] = []
    model = table_models.conversion_model(old, new)
    backfill.fill(model, old, new, chunk_rows=40, pause=lambda: 0, report=reported.append)
    assert reported == [25, 50, 75]  # three chunks, then the swap
    # Written once every chunk is filled: a value, an emptied cell, a new row.
    rows_update(
        table=busy_table,
        items=[{"id": ids[0], notes.db_column: "5"}, {"id": ids[1], notes.db_column: None}],
    )
    [added] = insert_rows(busy_table, [{notes.db_column: "3"}])
    field_update(user=user, field=old, backfill=backfill, type="rating", max_value=5)
    cells = dict(zip([*ids, added], values(busy_table, notes), strict=True))
    assert (cells[ids[0]], cells[ids[1]], cells[added], cells[ids[2]]) == (5, 0, 3, 1)
    assert _leftovers(busy_table) == []


@postgresql
def test_concurrent_writes_during_a_chunked_conversion_are_kept(
    user, user_client, busy_table, settings
):
    settings.FIELD_CONVERSION_JOB_ROWS = 100
    settings.FIELD_CONVERSION_CHUNK_ROWS = 20
    settings.FIELD_CONVERSION_PAUSE = 3  # slow enough for many writes between chunks
    notes = add_field(busy_table, "Notes")
    ids = insert_rows(busy_table, [{notes.db_column: str(n % 4)} for n in range(600)])
    last: dict[int, str] = {}
    stop, failures = threading.Event(), []

    def write() -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                row_id, text = ids[(n * 37) % len(ids)], str(n % 6)
                table = Table.objects.get(id=busy_table.id)
                if n % 5 == 0:
                    [row_id] = insert_rows(table, [{notes.db_column: text}])
                else:
                    rows_update(table=table, items=[{"id": row_id, notes.db_column: text}])
                last[row_id] = text
                time.sleep(0.005)
        except Exception as error:  # reported by the test
            failures.append(repr(error))
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        response = user_client.patch(f"{FIELDS}/{notes.id}/", {"type": "rating"}, format="json")
    finally:
        stop.set()
        writer.join()
    assert response.status_code == 200, response.json()
    assert failures == []
    [job] = _conversion_jobs()
    assert job.state == JobState.FINISHED
    written_during = [row_id for row_id in last if row_id not in ids]
    assert len(last) >= 10 and written_during  # the writer wrote updates and new rows meanwhile
    table = Table.objects.get(id=busy_table.id)
    model = table_models.get_model(table)
    cells = dict(model.objects.values_list("id", notes.db_column))
    expected = {row_id: int(last.get(row_id, str(n % 4))) for n, row_id in enumerate(ids)}
    expected |= {row_id: int(text) for row_id, text in last.items()}
    assert cells == expected
    assert _leftovers(busy_table) == []


@postgresql
def test_a_cancelled_conversion_job_leaves_the_field_as_it_was(
    user, user_client, busy_table, settings
):
    settings.FIELD_CONVERSION_JOB_ROWS = 100
    settings.FIELD_CONVERSION_CHUNK_ROWS = 10
    settings.FIELD_CONVERSION_PAUSE = 5
    notes = add_field(busy_table, "Notes")
    insert_rows(busy_table, [{notes.db_column: "2"} for _ in range(200)])

    def cancel_once_started() -> None:
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                job = Job.objects.filter(type=JOB_TYPE, state=JobState.STARTED).first()
                if job is not None:
                    job_cancel(user=user, job_id=job.id)
                    return
                time.sleep(0.01)
        finally:
            connection.close()

    canceller = threading.Thread(target=cancel_once_started)
    canceller.start()
    response = user_client.patch(f"{FIELDS}/{notes.id}/", {"type": "rating"}, format="json")
    canceller.join()
    assert response.status_code == 409
    assert response.json()["error"] == "ERROR_FAILED_TO_LOCK_TABLE_DUE_TO_CONFLICT"
    assert Field.objects.get(id=notes.id).type == "text"
    assert values(busy_table, notes) == ["2"] * 200
    assert _leftovers(busy_table) == []
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, busy_table.db_table)
    assert f"field_{notes.id}_conv" not in {column.name for column in columns}


@postgresql
def test_a_conversion_no_worker_starts_is_done_in_the_request(user_client, busy_table, settings):
    """Both job threads are busy, so the job stays pending: after the start timeout the request
    fails it and converts inline, answering the field as usual."""
    settings.FIELD_CONVERSION_JOB_ROWS = 100
    settings.FIELD_CONVERSION_START_SECONDS = 0.5
    notes = add_field(busy_table, "Notes")
    insert_rows(busy_table, [{notes.db_column: "3"} for _ in range(200)])
    settings.JOB_THREADS = 2  # jobs go to the web process's threads, not run at once
    executor = in_process_executor()
    release = threading.Event()
    blockers = [executor.submit(release.wait, 30) for _ in range(executor._max_workers)]
    try:
        response = user_client.patch(f"{FIELDS}/{notes.id}/", {"type": "rating"}, format="json")
    finally:
        release.set()
        for blocker in blockers:
            blocker.result()
    assert response.status_code == 200, response.json()
    assert response.json()["type"] == "rating"
    assert values(busy_table, Field.objects.get(id=notes.id)) == [3] * 200
    job = Job.objects.get(type=JOB_TYPE)
    assert job.state == JobState.FAILED
    assert "No worker" in job.human_readable_error
    assert _leftovers(busy_table) == []


MIXED = [
    *TEXTS, "2024-03-15", "15/03/2024", "2024-03-15 09:30", "1:30:00", "12.345", "-7,5",
    "yes", "false", "x", "ada@example.com", "https://example.com", "+31 20 123 4567",
]  # fmt: skip
PAIRS = [
    ("text", {}, "number", {"number_decimal_places": 2, "number_negative": True}),
    ("text", {}, "date", {"date_format": "EU", "date_include_time": True}),
    ("text", {}, "boolean", {}),
    ("text", {}, "email", {}),
    ("text", {}, "duration", {"duration_format": "h:mm:ss"}),
    ("number", {"number_decimal_places": 3}, "text", {}),
    ("number", {"number_decimal_places": 1}, "rating", {"max_value": 10}),
    ("date", {"date_format": "US"}, "text", {}),
    ("boolean", {}, "long_text", {}),
    ("rating", {}, "number", {}),
]


@postgresql
@pytest.mark.parametrize(("first", "first_options", "second", "second_options"), PAIRS)
def test_a_job_converts_like_the_request(
    user, busy_table, settings, first, first_options, second, second_options
):
    """A field converted through the job holds what its twin converted in the request holds."""
    settings.FIELD_CONVERSION_CHUNK_ROWS = 40
    settings.FIELD_CONVERSION_PAUSE = 0
    chunked, inline = add_field(busy_table, "Chunked"), add_field(busy_table, "Inline")
    texts = [MIXED[n % len(MIXED)] for n in range(150)]
    insert_rows(busy_table, [{chunked.db_column: t, inline.db_column: t} for t in texts])
    settings.FIELD_CONVERSION_JOB_ROWS = 10**9
    for field in (chunked, inline):
        field_update(user=user, field=field, type=first, **first_options)
    for field, threshold in ((chunked, 100), (inline, 10**9)):
        settings.FIELD_CONVERSION_JOB_ROWS = threshold
        field = Field.objects.select_related("table").get(id=field.id)
        field_update_logged(user=user, field=field, options=second_options, type=second)
    assert [job.state for job in _conversion_jobs()] == [JobState.FINISHED]
    assert values(busy_table, chunked) == values(busy_table, inline)
    assert Field.objects.get(id=chunked.id).type == second


@postgresql
def test_what_an_abandoned_conversion_left_is_reaped_unless_one_is_under_way(busy_table):
    notes = add_field(busy_table, "Notes")
    insert_rows(busy_table, [{notes.db_column: "2"} for _ in range(3)])
    old, new = Field.objects.get(id=notes.id), Field.objects.get(id=notes.id)
    new.type, new.options = "rating", {"max_value": 5}
    with transaction.atomic():  # a conversion whose request's process died after this
        table_models.lock_table_schema(busy_table)
        table_models.start_backfill(old, new)
    assert _leftovers(busy_table) != []
    # A conversion of the field under way (its request holds the lock in another session).
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, notes.id])
        assert reap_abandoned_backfills() == 0
        assert _leftovers(busy_table) != []
    finally:
        other.close()
    assert reap_abandoned_backfills() == 1
    assert _leftovers(busy_table) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = %s "
            "AND column_name = %s",
            [busy_table.db_table, Backfill(busy_table.db_table, notes.id).column],
        )
        assert cursor.fetchone()[0] == 0
    insert_rows(busy_table, [{notes.db_column: "4"}])  # writes no longer noted anywhere
    assert values(busy_table, notes) == ["2", "2", "2", "4"]
    assert reap_abandoned_backfills() == 0


def test_a_conversion_rests_longer_while_the_web_processes_are_busy(settings):
    """Besides the type change's own request (waiting for the job), clients' requests in
    flight make the conversion give way to them (api/fairness.py's moving averages)."""
    settings.REDIS_URL = ""  # this process's averages
    shared = demand()
    shared.forget()
    try:
        shared.enter("the type change", time.monotonic() - 100)
        assert conversion_pause() == settings.FIELD_CONVERSION_PAUSE
        shared.enter("a client", time.monotonic() - 100)
        assert conversion_pause() == settings.FIELD_CONVERSION_BUSY_PAUSE
    finally:
        shared.forget()
