"""Indexes serving the saved sorts of views: one per distinct sort, none left unused."""

from django.db import models

from database import table_models
from database.fields.registry import field_types
from database.tables.models import Table
from database.views.models import View, ViewSort
from database.views.registry import view_types


def _sort_keys(model: type[models.Model], sorts: list[ViewSort]) -> tuple | None:
    """The (column, descending) keys of one view's sorts; None when a sort is not a column."""
    keys = []
    for sort in sorts:
        field = model._fields.get(sort.field_id)
        if field is None:
            return None
        expression = field_types.get(field.type).sort_expression(field, model)
        # Only sorts on the row's own columns can be served by an index on the table.
        if not isinstance(expression, models.F):
            return None
        model_field = model._meta.get_field(expression.name)
        if model_field.many_to_many:
            return None
        keys.append((model_field.column, sort.order == "DESC"))
    return tuple(keys) or None


def sort_indexes_sync(table: Table, *, without_field_ids: frozenset[int] = frozenset()) -> None:
    """Create the indexes the table's view sorts need and drop those no view needs any more.

    `without_field_ids`: fields about to lose their column, whose sorts need no index now.
    The caller holds the table's schema lock.
    """
    model = table_models.build_model(table)
    sorting = [name for name in view_types.names() if view_types.get(name).can_sort]
    sorts_by_view: dict[int, list[ViewSort]] = {}
    views = View.objects.filter(table_id=table.id, type__in=sorting)
    for sort in ViewSort.objects.filter(view__in=views).order_by("view_id", "id"):
        sorts_by_view.setdefault(sort.view_id, []).append(sort)
    wanted = []
    for sorts in sorts_by_view.values():
        if any(sort.field_id in without_field_ids for sort in sorts):
            continue
        keys = _sort_keys(model, sorts)
        if keys is not None:
            wanted.append(keys)
    table_models.sync_sort_indexes(table, wanted)
