"""Schema changes and row inserts on one table at once, each thread on its own connection.

PostgreSQL only: it is the engine that runs writers side by side (SQLite runs one at a time).
Afterwards the SQL columns and the Field rows must agree exactly, no inserted row may be lost,
and every value must survive the conversions it went through.
"""

import threading
from decimal import Decimal

import pytest
from django.db import transaction

from database import table_models
from database.fields.models import Field
from database.fields.services import field_create, field_update
from database.rows.services import rows_create_unchecked
from database.tables.models import Table
from tests.database.helpers import POSTGRESQL_CONCURRENCY, run_at_once
from tests.database.test_storage_introspection import sql_columns, storage_mismatches

pytestmark = POSTGRESQL_CONCURRENCY

SCHEMA_THREADS = 4
ROW_THREADS = 4
ROUNDS = 4  # fields each schema thread creates, renames and converts
BATCHES = 12  # inserts per row thread
BATCH_SIZE = 5
CONVERSIONS = 9  # of the shared fields: odd, so "Count" ends as a number


def fresh(table: Table) -> Table:
    return Table.objects.get(id=table.id)


def insert(table: Table, rows: list[dict]) -> list[int]:
    return rows_create_unchecked(table=fresh(table), rows=rows)


@pytest.fixture
def shared_table(user, make_table):
    """A committed table with two fields every thread writes to; its SQL table goes at the end."""
    table = make_table("Busy")
    fields = {}
    for name in ("Amount", "Count"):
        fields[name], _ = field_create(user=user, table=table, type="text", name=name)
    yield table, fields
    with transaction.atomic():
        table_models.drop_table_storage(fresh(table))


def test_schema_changes_and_inserts_at_once_stay_consistent(user, shared_table):
    table, shared = shared_table
    primary = Field.objects.get(table=table, primary=True)
    inserted: dict[int, tuple[str, int]] = {}  # row id -> (primary text, number written)
    own_fields: dict[int, dict[str, int]] = {}  # schema thread -> final name -> field id
    own_rows: dict[int, int] = {}  # field id -> the row holding "42" in it
    lock = threading.Lock()

    def write_rows(thread: int) -> None:
        for batch in range(BATCHES):
            rows = []
            for i in range(BATCH_SIZE):
                number = thread * 10_000 + batch * 100 + i
                rows.append(
                    {
                        primary.db_column: f"r{number}",
                        shared["Amount"].db_column: str(number),
                        shared["Count"].db_column: str(number),
                    }
                )
            ids = insert(table, rows)
            with lock:
                for row_id, row in zip(ids, rows, strict=True):
                    inserted[row_id] = (row[primary.db_column], int(row[primary.db_column][1:]))

    def change_schema(thread: int) -> None:
        names = {}
        for round_ in range(ROUNDS):
            field, _ = field_create(
                user=user, table=fresh(table), type="text", name=f"T{thread}-{round_}"
            )
            (row_id,) = insert(table, [{field.db_column: "42"}])
            field, _ = field_update(user=user, field=field, name=f"T{thread}-{round_} renamed")
            field, _ = field_update(user=user, field=field, type="number")
            field, _ = field_update(user=user, field=field, type="text")
            names[field.name] = field.id
            with lock:
                own_rows[field.id] = row_id
        own_fields[thread] = names

    def convert_shared() -> None:
        for step in range(CONVERSIONS):
            for name in ("Amount", "Count"):
                if name == "Amount" and step == CONVERSIONS - 1:
                    continue  # "Amount" ends as text, after an even number of conversions
                field = Field.objects.get(id=shared[name].id)
                new_type = "number" if field.type == "text" else "text"
                field_update(user=user, field=field, type=new_type)

    jobs = [lambda t=t: write_rows(t) for t in range(ROW_THREADS)]
    jobs += [lambda t=t: change_schema(t) for t in range(SCHEMA_THREADS)]
    jobs.append(convert_shared)
    failures = run_at_once(jobs)
    assert failures == [], "\n".join(failures)

    # The SQL table and the Field rows agree exactly, and the cached model matches both.
    assert storage_mismatches(table) == []
    fields = {f.name: f for f in Field.objects.filter(table=table)}
    expected_names = {"Name", "Amount", "Count"}
    for names in own_fields.values():
        expected_names |= set(names)
    assert set(fields) == expected_names
    assert {name: f.type for name, f in fields.items() if name in shared} == {
        "Amount": "text",
        "Count": "number",
    }
    model = table_models.get_model(fresh(table))
    model_columns = {f.column for f in model._meta.local_fields}
    assert model_columns == set(sql_columns(table))

    # No inserted row is lost, and every value survived its conversions.
    rows = {row.id: row for row in model.objects.all()}
    assert len(inserted) == ROW_THREADS * BATCHES * BATCH_SIZE
    assert set(inserted) | set(own_rows.values()) == set(rows)
    for row_id, (text, number) in inserted.items():
        row = rows[row_id]
        assert getattr(row, primary.db_column) == text
        assert getattr(row, shared["Amount"].db_column) == str(number)
        assert getattr(row, shared["Count"].db_column) == Decimal(number)
    for field_id, row_id in own_rows.items():
        assert getattr(rows[row_id], f"field_{field_id}") == "42"
