"""Indexes serving the saved sorts (and group-bys) of views: one per distinct ordering."""

from django.db import models

from database import table_models
from database.fields.registry import field_types
from database.tables.models import Table
from database.views.models import View
from database.views.selectors import view_orderings


def _sort_keys(model: type[models.Model], orderings: list[tuple[int, str, str]]) -> tuple | None:
    """The (column, descending) keys of one view's ordering; None when one is not a column."""
    keys = []
    for field_id, order, sort_type in orderings:
        field = model._fields.get(field_id)
        if field is None:
            return None
        expression = field_types.get(field.type).sorted_by(field, model, sort_type)
        # Only sorts on the row's own columns can be served by an index on the table.
        if not isinstance(expression, models.F):
            return None
        model_field = model._meta.get_field(expression.name)
        if model_field.many_to_many:
            return None
        keys.append((model_field.column, order == "DESC"))
    return tuple(keys) or None


def sort_indexes_sync(table: Table, *, without_field_ids: frozenset[int] = frozenset()) -> None:
    """Create the indexes the table's view sorts need and drop those no view needs any more.

    `without_field_ids`: fields about to lose their column, whose sorts need no index now.
    The caller holds the table's schema lock.
    """
    model = table_models.build_model(table)
    wanted = []
    for view in View.objects.filter(table_id=table.id):
        orderings = view_orderings(view)
        if any(field_id in without_field_ids for field_id, _, _ in orderings):
            continue
        keys = _sort_keys(model, orderings)
        if keys is not None:
            wanted.append(keys)
    table_models.sync_sort_indexes(table, wanted)
