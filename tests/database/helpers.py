"""Row helpers for database tests: write and read through the real row code."""

import datetime
import threading
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from database import table_models
from database.fields.models import Field
from database.fields.services import field_create_unchecked
from database.rows.services import rows_create_unchecked
from database.rows.values import row_to_json, rows_queryset
from database.tables.models import Table
from trash.services import trash_purge


def purge_trash() -> int:
    """Delete for good everything in the trash, as the periodic purge does once it expires."""
    return trash_purge(now=timezone.now() + datetime.timedelta(days=365))


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (cells keyed `field_<id>`) through the real row service; returns their ids."""
    return rows_create_unchecked(table=table, rows=rows)


def read_rows(table: Table) -> list[dict[str, Any]]:
    """Every row of the table as the contract's JSON, read with a fresh model."""
    table = Table.objects.get(id=table.id)
    model = table_models.get_model(table)
    return [row_to_json(row) for row in rows_queryset(model)]


def column_types(table: Table) -> dict[str, str]:
    """The table's SQL columns and their Django field types, read from the database."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table.db_table)
    return {c.name: connection.introspection.get_field_type(c.type_code, c) for c in description}


def values(table: Table, field: Field) -> list:
    """One field's cells, row by row, as the contract gives them."""
    return [row[field.db_column] for row in read_rows(table)]


def primary_of(table: Table) -> Field:
    return Field.objects.get(table=table, primary=True)


def add_field(table: Table, name: str, type: str = "text", **options) -> Field:
    field, _ = field_create_unchecked(table=table, type=type, name=name, options=options)
    return field


# Marks of the tests that write from several threads at once.
POSTGRESQL_CONCURRENCY = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL; SQLite serializes every writing transaction",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(jobs: list[Callable[[], None]]) -> list[str]:
    """Run every job in its own thread, all released together; returns their tracebacks."""
    barrier = threading.Barrier(len(jobs))
    failures: list[str] = []

    def target(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except Exception:
            failures.append(traceback.format_exc())
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=target, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return failures
