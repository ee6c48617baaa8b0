"""Reads of rows, behind the one permission gate of row endpoints."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple, Protocol

from django.db import models

from database import table_models
from database.fields.models import Field
from database.fields.types.links import primary_text
from database.rows.counts import cached_count, count_is_cacheable
from database.rows.errors import RowDoesNotExist
from database.rows.filters.compile import compiled_filters, tree_from_query
from database.rows.params import order_by_expressions, search_q, selected_fields, table_fields
from database.rows.values import rows_queryset
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from database.tables.selectors import table_counts, table_get
from database.tokens.models import Token
from database.tokens.selectors import token_require_table_access
from users.models import User

ROW_OPERATIONS = ("read", "create", "update", "delete")


class RowsView(Protocol):
    """What a row read needs of a view (the views layer's `ViewRows` gives it)."""

    def filter_tree(self) -> dict[str, Any] | None:
        """The view's saved filters as the tree the `filters` parameter gives."""

    def sort_expressions(self, model: type[models.Model]) -> list:
        """The view's ORDER BY, then `order` and `id`."""

    def rows(self, *, model: type[models.Model], queryset: models.QuerySet) -> models.QuerySet:
        """The rows of `queryset` passing the view's filters, unsorted."""


def table_for_rows(
    *,
    actor: User,
    table_id: int,
    operation: str,
    token: Token | None = None,
    rows_lock_key: int | None = None,
) -> Table:
    """The table, if the actor may run `operation` on its rows; the single gate of row endpoints.

    TableDoesNotExist, then UserNotInWorkspace; with a database token, NoPermissionToTable
    then TokenWorkspaceMismatch instead. With `rows_lock_key` (in a transaction), the table is
    read under the row-write locks of that key, taken by the same query (see `table_get`).
    """
    assert operation in ROW_OPERATIONS
    if token is not None:
        table = table_get(table_id=table_id, rows_lock_key=rows_lock_key)
        token_require_table_access(token=token, table=table, operations=(operation,))
        return table
    return table_get(table_id=table_id, member=actor, rows_lock_key=rows_lock_key)


@dataclass(frozen=True)
class RowQuery:
    """What a row listing asks for, from its query string."""

    user_field_names: bool = False
    search: str | None = None
    order_by: str | None = None
    include: str | None = None
    exclude: str | None = None
    filter_params: Any = None  # the query string: `filters`, or `filter__…` and `filter_type`
    view: RowsView | None = None  # its saved filters first, and its sorts unless `order_by`


class RowList(NamedTuple):
    queryset: models.QuerySet  # the live rows filtered, searched and sorted in SQL
    fields: list[Field]  # the fields to show
    # The number of rows listed, the cheapest exact way: the maintained count when nothing
    # filters, else the cached count where it may be cached, else COUNT(*).
    counter: Callable[[], int]


def rows_list(*, table: Table, query: RowQuery) -> RowList:
    """The table's rows as the query asks for them (the view's saved filters and sorts first)."""
    model = table_models.get_model(table)
    fields = selected_fields(
        table_fields(model),
        include=query.include,
        exclude=query.exclude,
        user_field_names=query.user_field_names,
    )
    queryset = rows_queryset(model, fields)
    # The filter trees: the query string's (`filters`, or `filter__…`) and the view's.
    trees = []
    if query.filter_params is not None:
        ufn = query.user_field_names
        trees.append((tree_from_query(query.filter_params, user_field_names=ufn), ufn))
    if query.view is not None:
        trees.append((query.view.filter_tree(), False))
    conditions = []
    filtered: list[Field] = []  # the fields conditions read
    for tree, by_name in trees:
        if tree is not None:
            condition, read = compiled_filters(model=model, tree=tree, user_field_names=by_name)
            conditions.append(condition)
            filtered += read
    if query.search:
        conditions.append(search_q(model, query.search))
        filtered += table_fields(model)
    for condition in conditions:
        queryset = queryset.filter(condition)
    if query.view is not None and not query.order_by:
        ordering = query.view.sort_expressions(model)
    else:
        # With a view every field may sort, else only the listed ones (as Baserow).
        sortable = None if query.view is not None else fields
        ordering = order_by_expressions(
            model, query.order_by, user_field_names=query.user_field_names, fields=sortable
        )
    if not conditions:

        def counter() -> int:
            return table_counts(table)[0]

    elif count_is_cacheable(filtered):
        counter = partial(cached_count, table=table, queryset=queryset)
    else:
        counter = queryset.count
    return RowList(queryset.order_by(*ordering), fields, counter)


def rows_get(*, table: Table, row_ids: list[int]) -> list[models.Model]:
    """Live rows of the table in the order of `row_ids`, with their cells prefetched."""
    model = table_models.get_model(table)
    rows = {row.id: row for row in rows_queryset(model).filter(id__in=row_ids)}
    missing = [row_id for row_id in row_ids if row_id not in rows]
    if missing:
        raise RowDoesNotExist(missing)
    return [rows[row_id] for row_id in row_ids]


def row_adjacent(
    *,
    table: Table,
    row_id: int,
    previous: bool = False,
    view: RowsView | None = None,
    search: str | None = None,
) -> int | None:
    """The id of the row after (or before) `row_id` where the view and search show it.

    In the view's order (its sorts, then `order` and `id`; the table's order without a view).
    The row must itself pass the view's filters and the search, else RowDoesNotExist, as in
    Baserow. None when it is the last (or first) one. Two queries: the row's sort keys, then
    the first row past them (a keyset seek, which an index on the first sort key serves); a
    third when that finds none and rows with an empty first key may still follow.
    """
    model = table_models.get_model(table)
    queryset = model.objects.filter(trashed=False)
    if view is not None:
        queryset = view.rows(model=model, queryset=queryset)
        ordering = view.sort_expressions(model)
    else:
        ordering = [models.F("order").asc(), models.F("id").asc()]
    if search:
        queryset = queryset.filter(search_q(model, search))
    if previous:
        ordering = [key.copy().reverse_ordering() for key in ordering]
    names = [f"adjacent_key_{position}" for position in range(len(ordering))]
    keyed = queryset.annotate(
        **{name: key.expression for name, key in zip(names, ordering, strict=True)}
    )
    current = keyed.filter(id=row_id).values_list(*names).first()
    if current is None:
        raise RowDoesNotExist([row_id])
    keys = list(zip(names, ordering, current, strict=True))
    following = keyed.order_by(*ordering).values_list("id", flat=True)
    found = following.filter(_seek_past(keys)).first()
    name, key, value = keys[0]
    if found is None and value is not None and key.nulls_last:
        # Rows with an empty first key come after all filled ones, which the seek stays among.
        found = following.filter(**{f"{name}__isnull": True}).first()
    return found


def _seek_past(keys: list[tuple[str, models.OrderBy, Any]]) -> models.Q:
    """Rows after the one whose sort keys hold `value`s, in the keys' order (nulls included).

    Lexicographic: the first keys equal and the next one past. When the first key's value is
    filled, only rows with that key at or past it are sought (an index range scan can start
    there); rows where it is empty are then left to the caller.
    """
    past = models.Q(pk__in=[])
    equal = models.Q()
    for name, key, value in keys:
        past |= equal & _key_past(name, key, value)
        equal &= models.Q(**{f"{name}__isnull": True} if value is None else {name: value})
    name, key, value = keys[0]
    if value is not None:
        past &= models.Q(**{f"{name}__{'lte' if key.descending else 'gte'}": value})
    return past


def _key_past(name: str, key: models.OrderBy, value: Any) -> models.Q:
    """Rows whose key comes strictly after `value` in the key's order.

    Keys that may be empty say where empty cells go (as every field's sort does); the others,
    `order` and `id`, are never empty.
    """
    if value is None:
        # Empty cells last: nothing comes after one; first: every filled cell does.
        return models.Q(pk__in=[]) if key.nulls_last else models.Q(**{f"{name}__isnull": False})
    past = models.Q(**{f"{name}__{'lt' if key.descending else 'gt'}": value})
    return past | models.Q(**{f"{name}__isnull": True}) if key.nulls_last else past


def row_names(
    *, actor: User, wanted: dict[int, list[int]], token: Token | None = None
) -> dict[str, dict[str, str]]:
    """The primary-field text of the given rows per table; missing rows are left out.

    The tables after the first are looked up in the first one's database, as Baserow does: a
    table of another database does not exist here (TableDoesNotExist).
    """
    tables: list[Table] = []
    for table_id in wanted:
        if (
            tables
            and not Table.objects.filter(id=table_id, database_id=tables[0].database_id).exists()
        ):
            raise TableDoesNotExist()
        tables.append(table_for_rows(actor=actor, table_id=table_id, operation="read", token=token))
    names: dict[str, dict[str, str]] = {}
    for table in tables:
        model = table_models.get_model(table)
        primary = next((f for f in model._fields.values() if f.primary), None)
        fields = [primary] if primary is not None else []
        rows = rows_queryset(model, fields).filter(id__in=wanted[table.id]).order_by("id")
        names[str(table.id)] = {str(row.id): primary_text(primary, row) for row in rows}
    return names
