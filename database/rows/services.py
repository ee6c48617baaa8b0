"""Row writes: every one runs in a transaction under the table's row lock."""

import datetime
import itertools
import json
import sqlite3
from collections.abc import Iterable
from decimal import Context, Decimal, localcontext
from itertools import pairwise
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.utils import timezone
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from api.model_sql import model_columns
from database import table_models
from database.fields.models import Field
from database.fields.registry import FieldType, field_types
from database.fields.types.links import ORDER_PLACES
from database.rows import history
from database.rows.counts import rows_written, rows_written_sql
from database.rows.errors import RowDoesNotExist, RowIdsNotUnique
from database.rows.linked import announce_linked_rows, link_cells, linked_rows_before
from database.rows.params import table_fields
from database.rows.selectors import rows_get
from database.rows.values import (
    ROW_TIMESTAMPS,
    CellsValidator,
    rows_queryset,
    rows_to_json,
    rows_with_cells,
    writable_fields,
)
from database.tables.models import Table
from events import announce
from events.signals import item_trashed
from users.models import User


@transaction.atomic
def rows_create_unchecked(*, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows at the end of the table; values keyed `field_<id>`, validated per type.

    Returns the new rows' ids in order.

    The caller has passed the permission gate. Omitted cells get their field's default.
    """
    table = _lock_for_orders(table)
    model = table_models.get_model(table)
    validator = CellsValidator(model, rows)
    validated = [validator.validate(values) for values in rows]
    inserted = _insert(model, validated, _new_orders(model, len(validated), before=None))
    return [row.id for row in inserted]


def rows_append_unchecked(*, table: Table, rows: list[dict[str, Any]]) -> None:
    """Add rows at the end of the table for bulk loads (new tables' data): as
    `rows_create_unchecked`, without reading the new rows back.

    The caller has passed the permission gate.
    """
    table = _lock_for_orders(table)
    model = table_models.get_model(table)
    validator = CellsValidator(model, rows)
    _append(model, [validator.validate(values) for values in rows])


def rows_import_unchecked(*, table: Table, rows: list[dict[str, Any]]) -> dict[int, Any]:
    """Insert at the end of the table the rows that pass validation (values keyed
    `field_<id>`); returns the errors of the others by their index in `rows`.

    The caller has passed the permission gate.
    """
    table = _lock_for_orders(table)
    model = table_models.get_model(table)
    validator = CellsValidator(model, rows)
    validated: list[dict[str, Any]] = []
    failing: dict[int, Any] = {}
    for index, values in enumerate(rows):
        try:
            validated.append(validator.validate(values))
        except RequestBodyValidationError as error:
            failing[index] = error.detail
    _append(model, validated)
    return failing


def rows_create(
    *,
    table: Table,
    items: list[dict[str, Any]],
    before_id: int | None = None,
    user_field_names: bool = False,
    batch: bool = False,
    locked: bool = False,
) -> list[models.Model]:
    """Insert rows (before the row `before_id`, else at the end).

    Returns the new rows in the items' order, with every cell prefetched (`rows_with_cells`),
    as the INSERT gave them: no read-back, unless a field type annotates rows.

    `locked`: the caller's transaction already holds the locks of `_lock_for_orders`, taken
    with `table` as it read it (`table_for_rows` with `order_lock_key(table.id)`); the rows
    are written in that transaction, without a savepoint of their own (an error rolls it back).
    """
    with transaction.atomic(savepoint=not locked):
        if not locked:
            table = _lock_for_orders(table)
        model = table_models.get_model(table)
        validated = _validated_items(model, items, user_field_names=user_field_names, batch=batch)
        before = None if before_id is None else _live_row(model, before_id)
        linked = linked_rows_before(model, ((None, values) for values in validated))
        inserted = _insert(model, validated, _new_orders(model, len(validated), before=before))
        rows = rows_with_cells(model, inserted)
        announce("rows_created", table_id=table.id, rows=rows, model=model, before_id=before_id)
        announce_linked_rows(linked)
        return rows


@transaction.atomic
def rows_update(
    *,
    table: Table,
    items: list[dict[str, Any]],
    user_field_names: bool = False,
    batch: bool = False,
    actor: User | None = None,
) -> list[models.Model]:
    """Change the given cells of rows; each item holds the row's `id`.

    Returns the rows as updated, in the items' order, with every cell prefetched (read in the
    update's transaction). The cells that really change are recorded in the rows' history, as
    done by `actor`.
    """
    table = table_models.lock_table_for_rows(table)
    model = table_models.get_model(table)
    parsed = [_item_id(item) for item in items]
    id_errors = {index: error for index, (_, error) in enumerate(parsed)}
    cells = [{key: value for key, value in item.items() if key != "id"} for item in items]
    validated = _validated_items(
        model, cells, user_field_names=user_field_names, batch=batch, known_errors=id_errors
    )
    ids = [row_id for row_id, _ in parsed]
    _require_unique(ids)
    written = history.written_fields(model, validated)
    # Locked, and read with every cell prefetched: the rows before the update.
    locked = list(_locked(rows_queryset(model).filter(id__in=ids)))
    rows = {row.id: row for row in locked}
    missing = [row_id for row_id in ids if row_id not in rows]
    if missing:
        raise RowDoesNotExist(missing)
    before = {row["id"]: row for row in rows_to_json(locked, written)}
    # Serialized now: the update changes these instances.
    rows_before = rows_to_json([rows[row_id] for row_id in ids], table_fields(model))
    linked = linked_rows_before(model, zip(rows_before, validated, strict=True))
    _update(model, [rows[row_id] for row_id in ids], validated)
    updated = rows_get(table=table, row_ids=ids)
    after = {row["id"]: row for row in rows_to_json(updated, written)}
    history.record_update(
        model=model,
        fields=written,
        cells=validated,
        row_ids=ids,
        before=before,
        after=after,
        actor=actor,
    )
    # Last, so that concurrent updates of the table wait on its row for the shortest time.
    rows_written(table_id=table.id)
    announce(
        "rows_updated",
        table_id=table.id,
        user=actor,
        rows=updated,
        model=model,
        rows_before=rows_before,
        updated_field_ids=[field.id for field in written],
    )
    announce_linked_rows(linked, actor=actor)
    return updated


@transaction.atomic
def rows_delete(*, table: Table, row_ids: list[int], actor: User | None = None) -> None:
    """Trash the rows: they disappear from every read; their ids are never given again."""
    table = table_models.lock_table_for_rows(table)
    model = table_models.get_model(table)
    _require_unique(row_ids)
    rows = _locked(model.objects.filter(trashed=False, id__in=row_ids))
    live = set(rows.values_list("id", flat=True))
    missing = [row_id for row_id in row_ids if row_id not in live]
    if missing:
        raise RowDoesNotExist(missing)
    # The rows as they were, for the event: serialized before they are trashed.
    fields = table_fields(model)
    deleted = rows_to_json(rows_get(table=table, row_ids=row_ids), fields)
    linked = linked_rows_before(model, ((row, None) for row in deleted))
    model.objects.filter(id__in=row_ids).update(trashed=True, updated_on=timezone.now())
    rows_written(table_id=table.id, delta=-len(row_ids))
    names = _row_names(deleted, fields)
    item_trashed.send(
        sender=Table,
        trash_item_type="row" if len(row_ids) == 1 else "rows",
        item=table,
        user=actor,
        workspace_id=table.database.workspace_id,
        application_id=table.database_id,
        parent_id=table.id,
        name=names[0] if len(names) == 1 else "",
        names=None if len(names) == 1 else names,
        parent_name=table.name,
        row_ids=row_ids,
    )
    announce("rows_deleted", table_id=table.id, row_ids=row_ids, rows=deleted, model=model)
    announce_linked_rows(linked, actor=actor)


def _row_names(rows: list[dict[str, Any]], fields: list[Field]) -> list[str]:
    """What the trash shows of each row: its primary value as text, else its id."""
    primary = next((field for field in fields if field.primary), None)
    names = []
    for row in rows:
        value = None if primary is None else row.get(primary.db_column)
        names.append(str(row["id"]) if value in (None, "", []) else str(value))
    return names


@transaction.atomic
def rows_restore(*, table: Table, row_ids: list[int], actor: User | None = None) -> list[int]:
    """Bring trashed rows back with their cells and links; returns the ids that came back."""
    table = table_models.lock_table_for_rows(table)
    model = table_models.get_model(table)
    trashed = _locked(model.objects.filter(trashed=True, id__in=row_ids))
    restored = sorted(trashed.values_list("id", flat=True))
    if not restored:
        return []
    linked = linked_rows_before(model, ((None, cells) for cells in link_cells(model, restored)))
    model.objects.filter(id__in=restored).update(trashed=False, updated_on=timezone.now())
    rows_written(table_id=table.id, delta=len(restored))
    history.record_restore(table_id=table.id, row_ids=restored, actor=actor)
    rows = rows_get(table=table, row_ids=restored)
    announce("rows_created", table_id=table.id, rows=rows, model=model, before_id=None)
    announce_linked_rows(linked, actor=actor)
    return restored


def rows_delete_permanently(*, table: Table, row_ids: list[int]) -> None:
    """Delete trashed rows for good, with their links."""
    model = table_models.get_model(table)
    model.objects.filter(trashed=True, id__in=row_ids).delete()


@transaction.atomic
def row_move(*, table: Table, row_id: int, before_id: int | None) -> None:
    """Give the row an order just before the row `before_id`, or after every row."""
    table = _lock_for_orders(table)
    model = table_models.get_model(table)
    row = _live_row(model, row_id)
    before = None if before_id is None else _live_row(model, before_id)
    others = model.objects.exclude(id=row.id)
    (moved_before,) = rows_to_json(rows_get(table=table, row_ids=[row.id]), table_fields(model))
    (row.order,) = _orders(model, 1, before=before, rows=others)
    row.save(update_fields=["order"])
    announce(
        "rows_updated",
        table_id=table.id,
        rows=rows_get(table=table, row_ids=[row.id]),
        model=model,
        rows_before=[moved_before],
        updated_field_ids=[],
    )


# Locks


def _locked(rows: models.QuerySet) -> models.QuerySet:
    """The rows, locked against other writers in id order (PostgreSQL) until the transaction ends.

    Writers that lock the rows they change in one global order cannot deadlock on them.
    """
    return rows.select_for_update(no_key=True).order_by("id")


# Orders

# The first half of the 64-bit advisory lock keys of row order allocation ("RowO"); the table id
# is the second half.
ORDER_LOCK_SPACE = 0x526F774F


def _lock_for_orders(table: Table) -> Table:
    """`lock_table_for_rows`, then the table's order-allocation lock, in one round trip.

    Order allocations of one table run one at a time, each until its transaction ends: appends
    read the highest order and inserts read the gap below a row, so both must see the orders
    given out before them, or two writers get the same value. Updates and deletes of rows, and
    writes to other tables, never take this lock. SQLite has one writer at a time.
    """
    return table_models.lock_table_for_rows(table, advisory_key=order_lock_key(table.id))


def order_lock_key(table_id: int) -> int:
    """The advisory lock key of the row order allocation of the table."""
    return (ORDER_LOCK_SPACE << 32) | (table_id & 0xFFFFFFFF)


def _new_orders(
    model: type[models.Model], count: int, *, before: models.Model | None
) -> list[Decimal] | None:
    """The orders of `count` new rows (see `_orders`); None when they go at the end on
    PostgreSQL, where the INSERT itself numbers them on from the highest order."""
    if before is None and connection.vendor == "postgresql":
        return None
    return _orders(model, count, before=before)


def _orders(
    model: type[models.Model],
    count: int,
    *,
    before: models.Model | None,
    rows: models.QuerySet | None = None,
) -> list[Decimal]:
    """`count` increasing orders at the end, or between `before` and the row preceding it.

    The caller holds the order-allocation lock (`_lock_for_orders`).

    When the gap below `before` is too narrow for `count` distinct stored values, every row of
    the table is renumbered 1..n first (keeping their order), which opens a gap of at least 1.
    """
    rows = model.objects.all() if rows is None else rows
    if before is None:
        highest = rows.aggregate(m=Max("order"))["m"] or 0
        return [Decimal(int(highest) + position) for position in range(1, count + 1)]
    before.refresh_from_db(fields=["order"])  # read under the lock: a renumbering may have run
    orders = _orders_between(rows, before, count)
    if orders is None:
        _renumber(model)
        before.refresh_from_db(fields=["order"])
        orders = _orders_between(rows, before, count, check=False)
    return orders


def _orders_between(
    rows: models.QuerySet, before: models.Model, count: int, *, check: bool = True
) -> list[Decimal] | None:
    """`count` orders evenly between `before` and its predecessor, or None if they collide."""
    upper = Decimal(before.order)
    lower = Decimal(rows.filter(order__lt=upper).aggregate(m=Max("order"))["m"] or 0)
    with localcontext() as context:
        context.prec = 60
        step = (upper - lower) / (count + 1)
        orders = [
            (lower + step * position).quantize(ORDER_PLACES) for position in range(1, count + 1)
        ]
    stored = [_as_stored(value) for value in (lower, *orders, upper)]
    if check and not all(low < high for low, high in pairwise(stored)):
        return None
    return orders


def _as_stored(value: Decimal) -> Decimal:
    """The value as the database keeps it: SQLite holds a float, read back to 15 digits."""
    if connection.vendor == "sqlite":
        return Context(prec=15).create_decimal_from_float(float(value))
    return value.quantize(ORDER_PLACES)


def _renumber(model: type[models.Model]) -> None:
    """Set the orders of all the table's rows (trashed ones too) to 1..n by (order, id)."""
    quote = connection.ops.quote_name
    table, order = quote(model._meta.db_table), quote("order")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lock in id order, as row updates do, so that renumbering cannot deadlock with them.
            locking = f"SELECT id FROM {table} ORDER BY id FOR NO KEY UPDATE"
            cursor.execute(f"SELECT count(*) FROM ({locking}) AS locked")
        cursor.execute(
            f"UPDATE {table} SET {order} = ranked.position FROM ("
            f"SELECT id, ROW_NUMBER() OVER (ORDER BY {order}, id) AS position FROM {table}"
            f") AS ranked WHERE {table}.id = ranked.id AND {table}.{order} <> ranked.position"
        )
    announce("row_orders_recalculated", table_id=model._table.id)


# Values


def _live_row(model: type[models.Model], row_id: int) -> models.Model:
    row = model.objects.filter(trashed=False, id=row_id).first()
    if row is None:
        raise RowDoesNotExist([row_id])
    return row


def _require_unique(ids: list[int]) -> None:
    seen: set[int] = set()
    repeated = sorted({row_id for row_id in ids if row_id in seen or seen.add(row_id)})
    if repeated:
        raise RowIdsNotUnique(repeated)


_ROW_ID = serializers.IntegerField()


def _item_id(item: dict[str, Any]) -> tuple[int, None] | tuple[None, dict]:
    """The item's row id (an integer, or its text, as Baserow reads it), else its error."""
    if "id" not in item:
        return None, {"id": [{"error": "This field is required.", "code": "required"}]}
    try:
        row_id = _ROW_ID.to_internal_value(item["id"])
    except serializers.ValidationError:
        row_id = 0
    if not 1 <= row_id < 2**63:
        return None, {"id": [{"error": "A valid integer is required.", "code": "invalid"}]}
    return row_id, None


def _columns(
    model: type[models.Model], items: list[dict[str, Any]], *, user_field_names: bool
) -> list[dict[str, Any]]:
    """Each item's values keyed `field_<id>`: names translated, unknown keys dropped.

    A value for a read-only field is refused.
    """
    fields = model._fields.values()
    if user_field_names:
        known = {field.name: field.db_column for field in fields}
    else:
        known = {field.db_column: field.db_column for field in fields}
    read_only = {
        field.db_column: field.type for field in fields if field_types.get(field.type).read_only
    }
    all_columns = []
    for values in items:
        columns = {known[key]: value for key, value in values.items() if key in known}
        for column in read_only.keys() & columns.keys():
            raise RequestBodyValidationError(
                f"Field of type {read_only[column]} is read only and should not be set manually."
            )
        all_columns.append(columns)
    return all_columns


def _named_errors(model: type[models.Model], detail: Any, user_field_names: bool) -> Any:
    if not user_field_names or not isinstance(detail, dict):
        return detail
    names = {field.db_column: field.name for field in model._fields.values()}
    return {names.get(key, key): value for key, value in detail.items()}


def _validated_items(
    model: type[models.Model],
    items: list[dict[str, Any]],
    *,
    user_field_names: bool,
    batch: bool,
    known_errors: dict[int, dict | None] | None = None,
) -> list[dict[str, Any]]:
    """Every item validated; errors of a batch are keyed by the failing item's index."""
    validated: list[dict[str, Any]] = []
    errors: dict[str, Any] = {}
    all_columns = _columns(model, items, user_field_names=user_field_names)
    # Built once: what the items' values refer to (options, linked rows) is looked up once.
    validator = CellsValidator(model, all_columns)
    for index, columns in enumerate(all_columns):
        item_errors = dict((known_errors or {}).get(index) or {})
        try:
            validated.append(validator.validate(columns))
        except RequestBodyValidationError as error:
            if not isinstance(error.detail, dict):  # a type's own string detail
                raise
            item_errors.update(_named_errors(model, error.detail, user_field_names))
        if item_errors:
            errors[str(index)] = item_errors
    if errors:
        raise RequestBodyValidationError({"items": errors} if batch else errors["0"])
    return validated


# Storage


def _is_relation(model: type[models.Model], field: Field) -> bool:
    try:
        return model._meta.get_field(field.db_column).many_to_many
    except FieldDoesNotExist:  # a type without storage of its own
        return False


def _insert(
    model: type[models.Model], validated: list[dict], orders: list[Decimal] | None
) -> list[models.Model]:
    """Insert one row per validated item, with the given orders (None: after the highest one,
    see `_new_orders`); returns the rows as inserted (their columns only), in order."""
    rows, relations = _stored_rows(model, validated, orders)
    inserted = _insert_rows(model, rows, append=orders is None)
    _write_new_relations(model, relations, [row.id for row in inserted], validated)
    return inserted


def _stored_rows(
    model: type[models.Model], validated: list[dict], orders: list[Decimal] | None
) -> tuple[list[dict[str, Any]], list[Field]]:
    """The column values (as stored) of one new row per validated item, omitted cells
    given their field's default, with `orders` when given; and the writable fields kept in
    relation tables, written once the rows have ids (`_write_new_relations`)."""
    fields = writable_fields(model)
    relations = [field for field in fields if _is_relation(model, field)]
    relation_ids = {field.id for field in relations}
    # (column, type, field, whether to_db changes values) of every cell stored in the row.
    plan = [
        (field.db_column, field_type, field, type(field_type).to_db is not FieldType.to_db)
        for field in fields
        if field.id not in relation_ids
        for field_type in (field_types.get(field.type),)
    ]
    defaults = {
        column: field_type.default_value(field)
        for column, field_type, field, _ in plan
        if field_type.has_column
    }
    rows: list[dict[str, Any]] = []
    for position, values in enumerate(validated):
        row: dict[str, Any] = {} if orders is None else {"order": orders[position]}
        for column, field_type, field, converts in plan:
            if column in values:
                value = values[column]
                row[column] = field_type.to_db(field, value) if converts else value
            elif column in defaults:
                row[column] = defaults[column]
        rows.append(row)
    for field in model._fields.values():
        field_types.get(field.type).fill_new_rows(field, model, rows)
    return rows, relations


def _write_new_relations(
    model: type[models.Model], relations: list[Field], ids: list[int], validated: list[dict]
) -> None:
    """Fill the relation tables of new rows (`ids`, in the items' order)."""
    for field in relations:
        default = field_types.get(field.type).default_value(field)
        targets = {
            row_id: values.get(field.db_column, default)
            for row_id, values in zip(ids, validated, strict=True)
        }
        _write_relations(model, field, targets, replace=False)


# Per engine and Django field type: the Python type whose values `get_db_prep_save` returns
# unchanged (and the driver adapts itself).
_COMMON_DRIVER_TYPES = {
    "TextField": str,
    "CharField": str,
    "BooleanField": bool,
    "SmallIntegerField": int,
    "IntegerField": int,
    "BigIntegerField": int,
    "DecimalField": Decimal,
}
_DRIVER_TYPES = {
    "postgresql": {**_COMMON_DRIVER_TYPES, "DateField": datetime.date},
    "sqlite": _COMMON_DRIVER_TYPES,  # dates are sent as ISO text
}


def _column_params(model_field: models.Field, values: list[Any], db: Any) -> list[Any]:
    """The values of one column as the driver takes them (`get_db_prep_save`), skipping
    Django's preparation for values of the type the driver takes as is."""
    prep = model_field.get_db_prep_save
    kept = _DRIVER_TYPES[db.vendor].get(model_field.get_internal_type())
    return [value if value is None or type(value) is kept else prep(value, db) for value in values]


def _insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], *, append: bool = False
) -> list[models.Model]:
    """INSERT the rows (column -> value; columns left out get the column's default) in one
    statement per chunk, and count them in the table's row count; returns them as the database
    stored them (their columns from `RETURNING`), in order.

    The values go to the driver column by column (on PostgreSQL as one JSON array per column,
    see `_json_columns`), without the per-value layers of `bulk_create`: most of a batch
    create's time.
    With `append` (PostgreSQL), the rows have no `order`: the statement numbers them on from
    the highest order in the table, which the caller's order-allocation lock keeps current.
    """
    if not rows:
        return []
    db = connections[DEFAULT_DB_ALIAS]  # not the thread-local proxy: read for every value
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamps = {f: f.get_db_prep_save(now, db) for f in fields if f.attname in ROW_TIMESTAMPS}
    columns = [f for f in fields if f not in stamps]
    params: list[list[Any]] = []
    for model_field in columns:
        default = model_field.get_default()
        column = [row.get(model_field.attname, default) for row in rows]
        params.append(_column_params(model_field, column, db))
    stored = model_columns(model)
    given = {f.attname: now for f in stamps}
    returning = ", ".join(stored.names_except(given))
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            _insert_postgresql(
                cursor, model, columns, params, stamps, append=append, returning=returning
            )
            returned = cursor.fetchall()
        else:
            assert not append, "appended orders are numbered by the INSERT on PostgreSQL only"
            returned = _insert_values(
                cursor,
                model,
                [*columns, *stamps],
                [*params, *([value] * len(rows) for value in stamps.values())],
                returning=returning,
            )
            rows_written(table_id=model._table.id, delta=len(rows))
    inserted = stored.instances(returned, given)
    # RETURNING promises no order; every row's `order` is distinct and rises with its position.
    return sorted(inserted, key=lambda row: row.order)


def _append(model: type[models.Model], validated: list[dict]) -> None:
    """`_insert` at the end of the table for bulk loads, without reading the rows back: on
    PostgreSQL in one COPY stream (`_copy_rows`), elsewhere by `executemany`."""
    if not validated:
        return
    if connection.vendor == "postgresql":
        rows, relations = _stored_rows(model, validated, None)
        ids = _copy_rows(model, rows, with_ids=bool(relations))
    else:
        rows, relations = _stored_rows(
            model, validated, _orders(model, len(validated), before=None)
        )
        if relations:  # their ids are needed: read back
            ids = [row.id for row in _insert_rows(model, rows)]
        else:
            _insert_many(model, rows)
            ids = []
    _write_new_relations(model, relations, ids, validated)


def _row_params(
    model: type[models.Model], rows: list[dict[str, Any]]
) -> tuple[list[models.Field], list[Iterable[Any]]]:
    """The row columns but id and order, and each one's values as the driver takes them (left
    out: the column's default; the timestamps: now, repeated without end)."""
    db = connections[DEFAULT_DB_ALIAS]
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname != "order"]
    columns: list[Iterable[Any]] = []
    for model_field in fields:
        if model_field.attname in ROW_TIMESTAMPS:
            columns.append(itertools.repeat(model_field.get_db_prep_save(now, db)))
        else:
            default = model_field.get_default()
            values = [row.get(model_field.attname, default) for row in rows]
            columns.append(_column_params(model_field, values, db))
    return fields, columns


def _insert_many(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (with their orders) by one `executemany`, and count them."""
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    fields, columns = _row_params(model, rows)
    fields.insert(0, model._meta.get_field("order"))
    columns.insert(0, _column_params(fields[0], [row["order"] for row in rows], db))
    names = ", ".join(quote(f.column) for f in fields)
    with db.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            zip(*columns, strict=False),  # the timestamps repeat endlessly
        )
    rows_written(table_id=model._table.id, delta=len(rows))


def _copy_rows(model: type[models.Model], rows: list[dict[str, Any]], *, with_ids: bool) -> list:
    """COPY the rows (column -> value; left out: the column's default) into the table, their
    orders numbered on from the highest one, and count them; returns their ids, in order,
    when `with_ids` (taken from the id sequence beforehand), else [].

    The caller holds the order-allocation lock (`_lock_for_orders`). COPY parses each value
    once on the server, where an INSERT goes through the planner and returns what it wrote.
    """
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    fields, columns = _row_params(model, rows)
    names = [quote("order"), *(quote(f.column) for f in fields)]
    with db.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(TRUNC(MAX({quote('order')})), 0) FROM {table}")
        highest = int(cursor.fetchone()[0])
        columns.insert(0, range(highest + 1, highest + 1 + len(rows)))
        ids: list[int] = []
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = sorted(row_id for (row_id,) in cursor.fetchall())
            names.insert(0, quote("id"))
            columns.insert(0, ids)
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            write_row = copy.write_row
            for row in zip(*columns, strict=False):  # the timestamps repeat endlessly
                write_row(row)
    rows_written(table_id=model._table.id, delta=len(rows))
    return ids


def _insert_values(
    cursor: Any,
    model: type[models.Model],
    columns: list[models.Field],
    params: list[list[Any]],
    *,
    returning: str,
) -> list[tuple]:
    """The INSERT of `_insert_rows` elsewhere than on PostgreSQL: rows of `VALUES`, as many per
    statement as the engine's parameter limit allows."""
    quote = cursor.db.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in columns)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    count = len(params[0])
    per_statement = max(1, _max_query_params() // len(columns))
    returned = []
    for start in range(0, count, per_statement):
        chunk = range(start, min(start + per_statement, count))
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([row_sql] * len(chunk))} "
            f"RETURNING {returning}",
            [column[index] for index in chunk for column in params],
        )
        returned += cursor.fetchall()
    return returned


def _json_value(value: Any) -> str:
    """Values JSON has no type for, as text PostgreSQL's input functions read back exactly."""
    if isinstance(value, (Decimal, datetime.date, datetime.time)):  # datetimes are dates too
        return str(value)
    raise TypeError(f"no JSON text for a cell value of type {type(value).__name__}")


def _json_columns(
    model_fields: list[models.Field], params: list[list[Any]], *, ordinality: bool = False
) -> tuple[str, list[str], list[str]]:
    """Equal-length column value lists as one SQL row source, on PostgreSQL.

    Each column goes as one JSON array, unpacked with `json_array_elements_text`: the JSON text
    comes from the C encoder in one call, where the driver's array dumpers format and quote
    every element in Python (over half of a 200-row write). Returns the `ROWS FROM (…) AS
    cells(c0, …)` source, each column's value cast back to its type (`cells.c<i>::type`), and
    the parameters. With `ordinality`, `cells.ordinal` numbers the rows from 1.
    """
    db = connections[DEFAULT_DB_ALIAS]
    aliases = [f"c{position}" for position in range(len(model_fields))]
    functions = ", ".join(["json_array_elements_text(%s::json)"] * len(model_fields))
    names = ", ".join([*aliases, "ordinal"] if ordinality else aliases)
    source = f"ROWS FROM ({functions}){' WITH ORDINALITY' if ordinality else ''} AS cells({names})"
    cast = [
        f"cells.{alias}::{f.db_type(db)}" for alias, f in zip(aliases, model_fields, strict=True)
    ]
    sent = [json.dumps(values, default=_json_value) for values in params]
    return source, cast, sent


def _insert_postgresql(
    cursor: Any,
    model: type[models.Model],
    columns: list[models.Field],
    params: list[list[Any]],
    constants: dict[models.Field, Any],
    *,
    append: bool,
    returning: str,
) -> None:
    """The PostgreSQL INSERT of `_insert_rows`: the columns' values as a row source (see
    `_json_columns`), the `constants` (field -> value) once for all rows, and the table's
    maintained row count adjusted by the same statement; it answers the new rows' `returning`
    columns."""
    db = cursor.db
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    # Appended rows get whole numbers on from the highest order (trashed rows included), by
    # position: their orders are not sent.
    sent_columns = [
        (f, values)
        for f, values in zip(columns, params, strict=True)
        if not (append and f.attname == "order")
    ]
    source, cast, sent = _json_columns(
        [f for f, _ in sent_columns], [values for _, values in sent_columns], ordinality=True
    )
    selected = [*cast, *(f"%s::{f.db_type(db)}" for f in constants)]
    inserted = [*(f for f, _ in sent_columns), *constants]
    if append:
        selected.append("highest.value + cells.ordinal")
        inserted.append(model._meta.get_field("order"))
        source += (
            f" CROSS JOIN (SELECT COALESCE(TRUNC(MAX({quote('order')})), 0) AS value "
            f"FROM {table}) AS highest"
        )
    names = ", ".join(quote(f.column) for f in inserted)
    cursor.execute(
        f"WITH inserted AS (INSERT INTO {table} ({names}) SELECT {', '.join(selected)} "
        f"FROM {source} RETURNING {returning}), "
        f"counted AS ({rows_written_sql()}) SELECT * FROM inserted",
        [*constants.values(), *sent, len(params[0]), model._table.id],
    )


def _update(model: type[models.Model], rows: list[models.Model], validated: list[dict]) -> None:
    fields = writable_fields(model)
    # Per field, once for all rows: (field, column, type, whether it is a relation).
    plan = [
        (field, field.db_column, field_types.get(field.type), _is_relation(model, field))
        for field in fields
    ]
    changed: set[str] = set()
    relations: dict[int, dict[int, Any]] = {}
    now = timezone.now()
    for row, values in zip(rows, validated, strict=True):
        row.updated_on = now
        for field, column, field_type, is_relation in plan:
            if column not in values:
                continue
            value = values[column]
            if is_relation:
                relations.setdefault(field.id, {})[row.id] = value
            else:
                setattr(row, column, field_type.to_db(field, value))
                changed.add(column)
    _update_columns(model, rows, sorted(changed), now)
    for field in fields:
        if field.id in relations:
            _write_relations(model, field, relations[field.id], replace=True)


def _update_columns(
    model: type[models.Model], rows: list[models.Model], columns: list[str], now: Any
) -> None:
    """Write the rows' `columns` (and `updated_on`) in one `UPDATE … FROM` a list of rows.

    Django's bulk_update builds a CASE per column and row: for a batch of 200 rows that is
    thousands of expressions, and most of a batch update's time. On PostgreSQL the new values
    come from one JSON array per column (`_json_columns`), else from rows of `VALUES`.
    """
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    model_fields = [model._meta.get_field(column) for column in columns]
    now_param = model._meta.get_field("updated_on").get_db_prep_save(now, db)
    names = ["id", *(f"c{index}" for index in range(len(model_fields)))]
    assignments = "".join(
        f", {quote(f.column)} = v.{name}" for f, name in zip(model_fields, names[1:], strict=True)
    )
    update = f"UPDATE {table} SET {quote('updated_on')} = %s{assignments} FROM "
    where = f" WHERE {table}.{quote('id')} = v.id"
    values = [[row.id for row in rows]] + [
        _column_params(f, [getattr(row, f.attname) for row in rows], db) for f in model_fields
    ]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            source, cast, sent = _json_columns([model._meta.pk, *model_fields], values)
            selected = ", ".join(
                f"{value} AS {name}" for value, name in zip(cast, names, strict=True)
            )
            cursor.execute(
                f"{update}(SELECT {selected} FROM {source}) AS v{where}", [now_param, *sent]
            )
            return
        row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
        per_statement = max(1, (_max_query_params() - 1) // len(names))
        for start in range(0, len(rows), per_statement):
            chunk = range(start, min(start + per_statement, len(rows)))
            cursor.execute(
                f"WITH v({', '.join(names)}) AS (VALUES {', '.join([row_sql] * len(chunk))}) "
                f"{update}v{where}",
                [*(column[index] for index in chunk for column in values), now_param],
            )


def _max_query_params() -> int:
    """How many parameters one statement may have (SQLite's build sets it; PostgreSQL 65535)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65535


def _write_relations(
    model: type[models.Model], field: Field, targets: dict[int, Any], *, replace: bool
) -> None:
    """Set the related ids of many rows in two queries, keeping each row's given order."""
    model_field = model._meta.get_field(field.db_column)
    through = model_field.remote_field.through
    source = through._meta.get_field(model_field.m2m_field_name()).attname
    target = through._meta.get_field(model_field.m2m_reverse_field_name()).attname
    if replace:
        through.objects.filter(**{f"{source}__in": list(targets)}).delete()
    through.objects.bulk_create(
        [
            through(**{source: row_id, target: related_id})
            for row_id, related_ids in targets.items()
            for related_id in related_ids or ()
        ]
    )
