"""The rows of an export, read as plain values chunk by chunk, each cell written by a function
made once per field.

Cells that follow from one column of their row (`FieldType.column_output`) come from one values
query over the rows (a server-side cursor on PostgreSQL), column by column: no model instance
is built for them. The other cells (links, multiple selects, lookups, counts) are read per chunk
as the rows API reads them: model instances with their relations prefetched.
"""

from collections.abc import Callable, Iterator
from itertools import repeat
from typing import Any

from django.db import models

from database.export.exporters import chunks
from database.fields.models import Field
from database.fields.registry import ColumnOutput, FieldType, field_types
from database.rows.values import rows_queryset

CHUNK_ROWS = 2000

# A chunk's values: the `id` column, then one column per column read (in `columns` order).
Columns = list[tuple[Any, ...]]
# The cells of one field for a chunk's rows, given its columns and its model instances by id.
FieldCells = Callable[[Columns, dict[int, models.Model]], list[Any] | tuple[Any, ...]]


def export_rows(
    queryset: models.QuerySet,
    fields: list[Field],
    cell: Callable[[Any], Any],
    *,
    passes_text: bool,
) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of rows `(id, cell, ...)` of the queryset's rows, a cell per field in order.

    `cell` turns a cell's contract value (`FieldType.output_value`) into what the file holds;
    with `passes_text`, strings and None are written as they are and skip it.
    """
    columns: list[str] = []
    readers: list[FieldCells] = []
    related: list[Field] = []  # the fields read through model instances
    for field in fields:
        field_type = field_types.get(field.type)
        output = field_type.column_output(field)
        if output is None:
            related.append(field)
            readers.append(_related_cells(field_type, field, cell))
            continue
        if output.column not in columns:
            columns.append(output.column)
        readers.append(_column_cells(output, 1 + columns.index(output.column), cell, passes_text))
    values = queryset.prefetch_related(None).values_list("id", *columns)
    instances = rows_queryset(queryset.model, related) if related else None
    for chunk in chunks(values.iterator(chunk_size=CHUNK_ROWS), CHUNK_ROWS):
        read: Columns = list(zip(*chunk, strict=True))
        ids = read[0]
        by_id: dict[int, models.Model] = {}
        if instances is not None:
            by_id = {row.id: row for row in instances.filter(id__in=ids)}
        rows = list(zip(ids, *(reader(read, by_id) for reader in readers), strict=True))
        if instances is not None and len(by_id) < len(ids):
            # Rows trashed or deleted since the chunk was read are left out.
            rows = [row for row in rows if row[0] in by_id]
        yield rows


def _column_cells(
    output: ColumnOutput, position: int, cell: Callable[[Any], Any], passes_text: bool
) -> FieldCells:
    if output.choices is not None:
        written = {value: cell(shown) for value, shown in output.choices.items()}
        other = cell(output.default)

        def from_choices(read: Columns, by_id: dict) -> list[Any]:
            column = read[position]
            return list(map(written.get, column, repeat(other, len(column))))

        return from_choices
    convert = output.convert
    as_is = output.text and passes_text
    if convert is None:
        if as_is:
            return lambda read, by_id: read[position]
        return lambda read, by_id: list(map(cell, read[position]))
    if as_is:
        return lambda read, by_id: list(map(convert, read[position]))
    return lambda read, by_id: list(map(cell, map(convert, read[position])))


def _related_cells(field_type: FieldType, field: Field, cell: Callable[[Any], Any]) -> FieldCells:
    def from_instances(read: Columns, by_id: dict[int, models.Model]) -> list[Any]:
        return [
            cell(field_type.output_value(field, by_id[row_id])) if row_id in by_id else None
            for row_id in read[0]
        ]

    return from_instances
