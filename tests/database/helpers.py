"""Row helpers for database tests: write and read through the real row code."""

from typing import Any

from database import table_models
from database.rows.services import rows_create_unchecked
from database.rows.values import row_to_json, rows_queryset
from database.tables.models import Table


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (cells keyed `field_<id>`) through the real row service; returns their ids."""
    return [row.id for row in rows_create_unchecked(table=table, rows=rows)]


def read_rows(table: Table) -> list[dict[str, Any]]:
    """Every row of the table as the contract's JSON, read with a fresh model."""
    table = Table.objects.get(id=table.id)
    model = table_models.get_model(table)
    return [row_to_json(row) for row in rows_queryset(model)]
