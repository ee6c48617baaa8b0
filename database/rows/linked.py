"""The rows of other tables a row write changes through two-way links.

A link field whose linked table has its related field shows each link from both sides: a row
written, deleted or restored with links changes the related field's cell of the rows it gains
or loses. Their table hears `rows_updated` for them (its pages, public views and webhooks), as
Baserow calls the linked table's `rows.updated` webhooks. Tables without such links pay nothing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from database import table_models
from database.fields.models import Field
from database.fields.types import links
from database.rows.params import table_fields
from database.rows.values import rows_queryset, rows_to_json
from database.tables.models import Table
from events import announce
from users.models import User

Cells = Mapping[str, Any] | None  # link cells by column; None: every link of the row removed


@dataclass
class LinkedRows:
    """Rows of one linked table whose related fields' cells change, as they were before."""

    table: Table
    model: type[models.Model]
    field_ids: list[int]
    before: list[dict[str, Any]]


def two_way_links(model: type[models.Model]) -> list[Field]:
    """The table's links whose linked (other) table shows them back through a related field."""
    return [
        field
        for field in model._fields.values()
        if field.type == "link_row"
        and field.link_row_related_field_id is not None
        and field.link_row_table_id not in (None, model._table.id)
    ]


def _ids(cell: Any) -> set[int]:
    """The row ids of a link cell: validated (ids) or serialized (objects with an `id`)."""
    return {item["id"] if isinstance(item, dict) else item for item in cell or ()}


def linked_rows_before(
    model: type[models.Model], changes: Iterable[tuple[Cells, Cells]]
) -> list[LinkedRows]:
    """Read, before the write, the linked rows it changes: per written row, its link cells
    (before, after); a column absent from `after` is not written.

    Call it before the write, and `announce_linked_rows` after it.
    """
    fields = two_way_links(model)
    if not fields:
        return []
    touched: dict[int, tuple[set[int], set[int]]] = {}  # table id: (field ids, row ids)
    for before, after in changes:
        for field in fields:
            column = field.db_column
            if after is not None and column not in after:
                continue
            old = _ids((before or {}).get(column))
            changed = old ^ _ids(None if after is None else after[column])
            if changed:
                field_ids, row_ids = touched.setdefault(field.link_row_table_id, (set(), set()))
                field_ids.add(field.link_row_related_field_id)
                row_ids |= changed
    tables = Table.objects.select_related("database").in_bulk(list(touched))
    results = []
    for table_id, (field_ids, row_ids) in sorted(touched.items()):
        if table_id not in tables:
            continue
        linked_model = table_models.get_model(tables[table_id])
        rows = rows_queryset(linked_model).filter(id__in=row_ids).order_by("id")
        before = rows_to_json(rows, table_fields(linked_model))
        if before:
            results.append(LinkedRows(tables[table_id], linked_model, sorted(field_ids), before))
    return results


def link_cells(model: type[models.Model], row_ids: list[int]) -> list[dict[str, list[int]]]:
    """The two-way link cells of the rows (trashed ones too), as ids, in `row_ids`' order."""
    cells: dict[int, dict[str, list[int]]] = {row_id: {} for row_id in row_ids}
    for field in two_way_links(model):
        through = links.relation_model(model, links.accessor(field))
        linked = through.objects.filter(src_id__in=row_ids, tgt__trashed=False)
        for row_id in row_ids:
            cells[row_id][field.db_column] = []
        for row_id, target_id in linked.order_by("id").values_list("src_id", "tgt_id"):
            cells[row_id][field.db_column].append(target_id)
    return [cells[row_id] for row_id in row_ids]


def announce_linked_rows(changed: list[LinkedRows], *, actor: User | None = None) -> None:
    """Announce `rows_updated` for the linked rows read by `linked_rows_before`, as they are
    now (after the write)."""
    for linked in changed:
        before = {row["id"]: row for row in linked.before}
        rows = list(rows_queryset(linked.model).filter(id__in=list(before)).order_by("id"))
        if not rows:
            continue
        announce(
            "rows_updated",
            table_id=linked.table.id,
            user=actor,
            rows=rows,
            model=linked.model,
            rows_before=[before[row.id] for row in rows],
            updated_field_ids=linked.field_ids,
        )
