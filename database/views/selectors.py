"""Reads of views, and how a saved view filters and sorts its table's rows."""

from dataclasses import dataclass
from typing import Any

from django.db import models

from api.model_sql import column, fetch_all, fetch_one, model_columns, table_name
from database import table_models
from database.fields.errors import FieldNotInTable
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.filters.compile import filters_q
from database.tables.models import Table
from database.tables.selectors import table_get
from database.views import errors
from database.views.aggregations import aggregation_types
from database.views.models import View, ViewFilter, ViewFilterGroup, ViewGroupBy, ViewSort
from database.views.registry import view_types
from users.models import User
from workspaces.permissions import require_member

LIVE_VIEW = {
    "table__trashed": False,
    "table__database__trashed": False,
    "table__database__workspace__trashed": False,
}


def _views():
    return View.objects.select_related("table__database__workspace").filter(**LIVE_VIEW)


def view_get(*, view_id: int) -> View:
    """The live view with its table, database and workspace, or ViewDoesNotExist."""
    view = _views().filter(id=view_id).first()
    if view is None:
        raise errors.ViewDoesNotExist()
    return view


def view_get_for_user(*, user: User, view_id: int) -> View:
    """One view, for the members of its workspace."""
    view = view_get(view_id=view_id)
    require_member(user=user, workspace=view.table.database.workspace)
    return view


def grid_view_get_for_user(*, user: User, view_id: int) -> View:
    """A grid view for the members of its workspace; any other id is GridViewDoesNotExist."""
    view = _views().filter(id=view_id, type="grid").first()
    if view is None:
        raise errors.GridViewDoesNotExist()
    require_member(user=user, workspace=view.table.database.workspace)
    return view


def view_of_table(*, table: Table, view_id: int) -> View:
    """A view of the given (live, already gated) table, for `view_id` on row lists, else
    ViewDoesNotExist. Row lists read it on every request: hand-written SQL (api.model_sql)."""
    columns = model_columns(View)
    row = fetch_one(
        f"SELECT {columns.select('v')} FROM {table_name(View)} v"
        f" WHERE v.id = %s AND v.{column(View, 'table')} = %s AND NOT v.trashed",
        [view_id, table.id],
    )
    if row is None:
        raise errors.ViewDoesNotExist()
    view = columns.instance(row)
    view.table = table
    return view


def public_view_get(*, slug: str, type: str | None = None) -> View:
    """A publicly shared view by its slug; private or unknown ones do not exist."""
    views = _views().filter(slug=slug, public=True)
    if type is not None:
        views = views.filter(type=type)
    view = views.first()
    if view is None:
        raise errors.FormViewDoesNotExist() if type == "form" else errors.ViewDoesNotExist()
    return view


def views_list(
    *, user: User, table_id: int, type: str | None = None, limit: int | None = None
) -> list[View]:
    """The table's views, grouped by type in registry order, then by order and id."""
    table = table_get(table_id=table_id)
    require_member(user=user, workspace=table.database.workspace)
    queryset = View.objects.filter(table=table).select_related("table")
    if type is not None:
        queryset = queryset.filter(type=type)
    rank = {name: position for position, name in enumerate(view_types.names())}
    views = sorted(queryset, key=lambda view: (rank.get(view.type, len(rank)), view.order, view.id))
    return views[:limit] if limit is not None else views


def filter_get_for_user(*, user: User, filter_id: int) -> ViewFilter:
    found = ViewFilter.objects.select_related("view__table__database__workspace")
    view_filter = found.filter(id=filter_id, **{f"view__{k}": v for k, v in LIVE_VIEW.items()})
    view_filter = view_filter.first()
    if view_filter is None:
        raise errors.ViewFilterDoesNotExist()
    require_member(user=user, workspace=view_filter.view.table.database.workspace)
    return view_filter


def filter_group_get_for_user(*, user: User, group_id: int) -> ViewFilterGroup:
    found = ViewFilterGroup.objects.select_related("view__table__database__workspace")
    group = found.filter(id=group_id, **{f"view__{k}": v for k, v in LIVE_VIEW.items()}).first()
    if group is None:
        raise errors.ViewFilterGroupDoesNotExist()
    require_member(user=user, workspace=group.view.table.database.workspace)
    return group


def group_by_get_for_user(*, user: User, group_by_id: int) -> ViewGroupBy:
    found = ViewGroupBy.objects.select_related("view__table__database__workspace")
    live = {f"view__{k}": v for k, v in LIVE_VIEW.items()}
    group_by = found.filter(id=group_by_id, **live).first()
    if group_by is None:
        raise errors.ViewGroupByDoesNotExist()
    require_member(user=user, workspace=group_by.view.table.database.workspace)
    return group_by


def sort_get_for_user(*, user: User, sort_id: int) -> ViewSort:
    found = ViewSort.objects.select_related("view__table__database__workspace")
    sort = found.filter(id=sort_id, **{f"view__{k}": v for k, v in LIVE_VIEW.items()}).first()
    if sort is None:
        raise errors.ViewSortDoesNotExist()
    require_member(user=user, workspace=sort.view.table.database.workspace)
    return sort


# Rows through a view.


# Filters, sorts and group-bys of a trashed field wait in the trash with it.
LIVE_FIELD = f"{{}} IN (SELECT id FROM {table_name(Field)} WHERE NOT trashed)"


def view_filter_tree(view: View) -> dict[str, Any] | None:
    """The view's saved filters and groups as the tree the `filters` query parameter gives.

    Read with the view's every row list: one hand-written query for both (api.model_sql).
    """
    if view.filters_disabled or not view_types.get(view.type).can_filter:
        return None
    f, g = ViewFilter, ViewFilterGroup
    rows = fetch_all(
        f"SELECT 0, {column(f, 'id')}, {column(f, 'field')}, {column(f, 'type')},"
        f" {column(f, 'value')}, {column(f, 'group')} FROM {table_name(f)}"
        f" WHERE {column(f, 'view')} = %s AND {LIVE_FIELD.format(column(f, 'field'))}"
        f" UNION ALL SELECT 1, {column(g, 'id')}, NULL, {column(g, 'filter_type')}, NULL,"
        f" {column(g, 'parent_group')} FROM {table_name(g)} WHERE {column(g, 'view')} = %s"
        " ORDER BY 1, 2",
        [view.id, view.id],
    )
    # Filters as (field id, type, value, group id), groups as (id, filter type, parent id).
    filters = [
        (field_id, kind, value, group)
        for is_group, _, field_id, kind, value, group in rows
        if not is_group
    ]
    groups = [
        (group_id, kind, parent) for is_group, group_id, _, kind, _, parent in rows if is_group
    ]
    if not filters:
        return None

    def group_tree(group_id: int | None, filter_type: str) -> dict[str, Any]:
        return {
            "filter_type": filter_type,
            "filters": [
                {"field": field_id, "type": kind, "value": value}
                for field_id, kind, value, group in filters
                if group == group_id
            ],
            "groups": [
                group_tree(child, kind) for child, kind, parent in groups if parent == group_id
            ],
        }

    return group_tree(None, view.filter_type)


def view_orderings(view: View) -> list[tuple[int, str, str]]:
    """(field id, ASC|DESC, sort type) of the view's group-bys, then of its sorts: how its rows
    go.

    A sort on a field the view also groups by is left out. One hand-written query for both.
    """
    view_type = view_types.get(view.type)
    parts = []
    for kind, model, used in (
        (0, ViewGroupBy, view_type.can_group_by),
        (1, ViewSort, view_type.can_sort),
    ):
        if used:
            parts.append(
                f"SELECT {kind}, {column(model, 'id')}, {column(model, 'field')},"
                f" {column(model, 'order')}, {column(model, 'type')} FROM {table_name(model)}"
                f" WHERE {column(model, 'view')} = %s"
                f" AND {LIVE_FIELD.format(column(model, 'field'))}"
            )
    if not parts:
        return []
    rows = fetch_all(" UNION ALL ".join(parts) + " ORDER BY 1, 2", [view.id] * len(parts))
    orderings: list[tuple[int, str, str]] = []
    grouped: set[int] = set()
    for is_sort, _, field_id, order, sort_type in rows:
        if is_sort and field_id in grouped:
            continue
        if not is_sort:
            grouped.add(field_id)
        orderings.append((field_id, order, sort_type))
    return orderings


def view_sort_expressions(view: View, model: type[models.Model]) -> list:
    """The ORDER BY of the view's group-bys and sorts, then the row's `order` and `id`."""
    expressions = []
    for field_id, order, sort_type in view_orderings(view):
        field = model._fields.get(field_id)
        expression = field and field_types.get(field.type).sorted_by(field, model, sort_type)
        if expression is None:
            continue
        # Empty cells come first ascending and last descending, as on the rows list.
        expressions.append(
            expression.desc(nulls_last=True)
            if order == "DESC"
            else expression.asc(nulls_first=True)
        )
    return [*expressions, models.F("order").asc(), models.F("id").asc()]


def view_filters_q(view: View, model: type[models.Model]) -> models.Q | None:
    """The view's saved filters compiled to SQL (as the `filters` query parameter is), or None."""
    tree = view_filter_tree(view)
    return None if tree is None else filters_q(model=model, tree=tree, user_field_names=False)


def view_rows(
    *, view: View, model: type[models.Model], queryset: models.QuerySet, sort: bool = True
) -> models.QuerySet:
    """The rows of `queryset` passing the view's filters, in the view's sort order if `sort`."""
    conditions = view_filters_q(view, model)
    if conditions is not None:
        queryset = queryset.filter(conditions)
    if sort:
        queryset = queryset.order_by(*view_sort_expressions(view, model))
    return queryset


@dataclass(frozen=True)
class ViewRows:
    """A view as the row reads of the rows layer use it (`database.rows.selectors.RowsView`)."""

    view: View

    def filter_tree(self) -> dict[str, Any] | None:
        return view_filter_tree(self.view)

    def sort_expressions(self, model: type[models.Model]) -> list:
        return view_sort_expressions(self.view, model)

    def rows(self, *, model: type[models.Model], queryset: models.QuerySet) -> models.QuerySet:
        return view_rows(view=self.view, model=model, queryset=queryset, sort=False)


def view_for_rows(*, table: Table, view_id: str | None) -> ViewRows | None:
    """The view a row list's `view_id` names: one of the table's views, else ViewDoesNotExist."""
    if view_id is None:
        return None
    if not view_id.isdigit() or len(view_id) > 18:
        raise errors.ViewDoesNotExist()
    return ViewRows(view_of_table(table=table, view_id=int(view_id)))


# Footer aggregations of grid views.


def _aggregated(view: View, model: type[models.Model], field_id: int, type_name: str) -> Any:
    if type_name not in aggregation_types:
        raise errors.AggregationTypeDoesNotExist()
    field = model._fields.get(field_id)
    if field is None:
        raise FieldNotInTable()
    aggregation = aggregation_types.get(type_name)
    if not aggregation.is_compatible(field):
        raise errors.AggregationTypeUnsupportedField()
    rows = view_rows(view=view, model=model, queryset=model.objects.filter(trashed=False))
    return aggregation.compute(rows, field)


def grid_aggregation(*, user: User, view_id: int, field_id: int, type_name: str) -> Any:
    """One aggregation of one field over the rows the grid view shows (its filters)."""
    view = grid_view_get_for_user(user=user, view_id=view_id)
    model = table_models.get_model(view.table)
    return _aggregated(view, model, field_id, type_name)


def grid_aggregations(*, user: User, view_id: int) -> dict[str, Any]:
    """The aggregation each field's options ask for (`aggregation_raw_type`), by `field_<id>`."""
    view = grid_view_get_for_user(user=user, view_id=view_id)
    model = table_models.get_model(view.table)
    options_model = view_types.get(view.type).field_options_model
    wanted = options_model.objects.filter(view=view).exclude(aggregation_raw_type="")
    return {
        f"field_{options.field_id}": _aggregated(
            view, model, options.field_id, options.aggregation_raw_type
        )
        for options in wanted
        if options.field_id in model._fields
    }
