"""Saved filters, filter groups, sorts and group-bys of views."""

from typing import Any

from django.conf import settings
from django.db import transaction

from database import table_models
from database.fields import errors as field_errors
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.filters import register_builtin_filter_types
from database.rows.filters.compile import filters_q
from database.rows.filters.registry import view_filter_types
from database.views import errors
from database.views.indexes import sort_indexes_sync
from database.views.models import View, ViewFilter, ViewFilterGroup, ViewGroupBy, ViewSort
from database.views.registry import view_types
from database.views.selectors import (
    filter_get_for_user,
    filter_group_get_for_user,
    group_by_get_for_user,
    sort_get_for_user,
    view_get_for_user,
)
from events import announce
from users.models import User


def _field_of_view(view: View, field_id: int) -> Field:
    """The field, which must be in the view's table."""
    field = Field.objects.filter(id=field_id).first()
    if field is None:
        raise field_errors.FieldDoesNotExist()
    if field.table_id != view.table_id:
        raise field_errors.FieldNotInTable()
    return field


def _group_of_view(view: View, group_id: int | None) -> ViewFilterGroup | None:
    if group_id is None:
        return None
    group = ViewFilterGroup.objects.filter(id=group_id, view=view).first()
    if group is None:
        raise errors.ViewFilterGroupDoesNotExist()
    return group


def _check_filter(view: View, field: Field, type_name: str) -> None:
    register_builtin_filter_types()
    if not view_types.get(view.type).can_filter:
        raise errors.ViewFilterNotSupported()
    if type_name not in view_filter_types:
        raise errors.ViewFilterTypeDoesNotExist(type_name)
    if not view_filter_types.get(type_name).is_compatible(field):
        raise errors.ViewFilterTypeUnsupportedField(type_name, field.type)
    # Some types also depend on the field's options (a lookup's target): compile it once.
    model = table_models.get_model(view.table)
    item = {"field": field.id, "type": type_name, "value": ""}
    filters_q(model=model, tree={"filter_type": "AND", "filters": [item]}, user_field_names=False)


def _announce_change(event_type: str, item: Any, *, user: User) -> Any:
    """Announce a created or updated filter, filter group, sort or group-by; return it."""
    announce(event_type, table_id=item.view.table_id, user=user, item=item)
    return item


def _announce_deletion(event_type: str, item: Any, *, user: User) -> None:
    """Delete a filter, filter group, sort or group-by and announce it."""
    view, item_id = item.view, item.id
    item.delete()
    announce(event_type, table_id=view.table_id, user=user, view_id=view.id, item_id=item_id)


def _check_room(model: type[ViewFilter | ViewFilterGroup], view: View) -> None:
    """Refuse one filter (or group) more than MAX_VIEW_FILTERS; the view's row lock makes
    concurrent additions count one after the other."""
    View.objects.select_for_update().filter(id=view.id).exists()
    if model.objects.filter(view=view).count() >= settings.MAX_VIEW_FILTERS:
        raise errors.MaxViewFiltersExceeded(settings.MAX_VIEW_FILTERS)


def filters_list(*, user: User, view_id: int) -> list[ViewFilter]:
    view = view_get_for_user(user=user, view_id=view_id)
    return list(ViewFilter.objects.filter(view=view).order_by("id"))


@transaction.atomic
def filter_create(
    *,
    user: User,
    view_id: int,
    field: int,
    type: str,
    value: str = "",
    group: int | None = None,
    id: int | None = None,
) -> ViewFilter:
    """Add a filter to a view, optionally inside one of its filter groups.

    `id`: the id of a deleted filter brought back (by undo), so later references still hold.
    """
    view = view_get_for_user(user=user, view_id=view_id)
    field_obj = _field_of_view(view, field)
    _check_filter(view, field_obj, type)
    parent = _group_of_view(view, group)
    _check_room(ViewFilter, view)
    view_filter = ViewFilter.objects.create(
        id=id, view=view, field=field_obj, type=type, value=value, group=parent
    )
    return _announce_change("view_filter_created", view_filter, user=user)


@transaction.atomic
def filter_update(*, user: User, filter_id: int, **changes: Any) -> ViewFilter:
    """Change a filter's field, type or value (the result must still be compatible)."""
    view_filter = filter_get_for_user(user=user, filter_id=filter_id)
    view = view_filter.view
    field = view_filter.field
    if "field" in changes:
        field = _field_of_view(view, changes["field"])
    type_name = changes.get("type", view_filter.type)
    _check_filter(view, field, type_name)
    view_filter.field, view_filter.type = field, type_name
    if "value" in changes:
        view_filter.value = changes["value"]
    view_filter.save()
    return _announce_change("view_filter_updated", view_filter, user=user)


def filter_delete(*, user: User, filter_id: int) -> None:
    view_filter = filter_get_for_user(user=user, filter_id=filter_id)
    _announce_deletion("view_filter_deleted", view_filter, user=user)


@transaction.atomic
def filter_group_create(
    *, user: User, view_id: int, filter_type: str = "AND", parent_group: int | None = None
) -> ViewFilterGroup:
    """Add an AND/OR group to a view's filters, at the top or inside another group."""
    view = view_get_for_user(user=user, view_id=view_id)
    if not view_types.get(view.type).can_filter:
        raise errors.ViewFilterNotSupported()
    parent = _group_of_view(view, parent_group)
    _check_room(ViewFilterGroup, view)
    group = ViewFilterGroup.objects.create(view=view, filter_type=filter_type, parent_group=parent)
    return _announce_change("view_filter_group_created", group, user=user)


def filter_group_update(*, user: User, group_id: int, filter_type: str) -> ViewFilterGroup:
    group = filter_group_get_for_user(user=user, group_id=group_id)
    group.filter_type = filter_type
    group.save(update_fields=["filter_type"])
    return _announce_change("view_filter_group_updated", group, user=user)


def filter_group_delete(*, user: User, group_id: int) -> None:
    """Delete a group with the filters and groups inside it."""
    group = filter_group_get_for_user(user=user, group_id=group_id)
    _announce_deletion("view_filter_group_deleted", group, user=user)


# Sorts.


def _check_sort(view: View, field: Field, sort_type: str, *, exclude_id: int | None) -> None:
    if not view_types.get(view.type).can_sort:
        raise errors.ViewSortNotSupported()
    if ViewSort.objects.filter(view=view, field=field).exclude(id=exclude_id).exists():
        raise errors.ViewSortFieldAlreadyExists()
    model = table_models.get_model(view.table)
    model_field = model._fields.get(field.id, field)
    if field_types.get(field.type).sorted_by(model_field, model, sort_type) is None:
        raise errors.ViewSortFieldNotSupported()


def sorts_list(*, user: User, view_id: int) -> list[ViewSort]:
    view = view_get_for_user(user=user, view_id=view_id)
    return list(ViewSort.objects.filter(view=view).order_by("id"))


@transaction.atomic
def sort_create(
    *,
    user: User,
    view_id: int,
    field: int,
    order: str = "ASC",
    type: str = "default",
    id: int | None = None,
) -> ViewSort:
    """Sort a view by a field, and index the table for the view's sort.

    `id`: the id of a deleted sort brought back (by undo), so later references still hold.
    """
    view = view_get_for_user(user=user, view_id=view_id)
    table = table_models.lock_table_schema(view.table)
    field_obj = _field_of_view(view, field)
    _check_sort(view, field_obj, type, exclude_id=None)
    sort = ViewSort.objects.create(id=id, view=view, field=field_obj, order=order, type=type)
    sort_indexes_sync(table)
    return _announce_change("view_sort_created", sort, user=user)


@transaction.atomic
def sort_update(*, user: User, sort_id: int, **changes: Any) -> ViewSort:
    sort = sort_get_for_user(user=user, sort_id=sort_id)
    view = sort.view
    table = table_models.lock_table_schema(view.table)
    field = _field_of_view(view, changes["field"]) if "field" in changes else sort.field
    sort_type = changes.get("type", sort.type)
    _check_sort(view, field, sort_type, exclude_id=sort.id)
    sort.field, sort.type = field, sort_type
    sort.order = changes.get("order", sort.order)
    sort.save()
    sort_indexes_sync(table)
    return _announce_change("view_sort_updated", sort, user=user)


@transaction.atomic
def sort_delete(*, user: User, sort_id: int) -> None:
    sort = sort_get_for_user(user=user, sort_id=sort_id)
    table = table_models.lock_table_schema(sort.view.table)
    _announce_deletion("view_sort_deleted", sort, user=user)
    sort_indexes_sync(table)


# Group-bys.


def _check_group_by(view: View, field: Field, sort_type: str, *, exclude_id: int | None) -> None:
    if not view_types.get(view.type).can_group_by:
        raise errors.ViewGroupByNotSupported()
    if ViewGroupBy.objects.filter(view=view, field=field).exclude(id=exclude_id).exists():
        raise errors.ViewGroupByFieldAlreadyExists()
    model = table_models.get_model(view.table)
    model_field = model._fields.get(field.id, field)
    if field_types.get(field.type).sorted_by(model_field, model, sort_type) is None:
        raise errors.ViewGroupByFieldNotSupported()


def group_bys_list(*, user: User, view_id: int) -> list[ViewGroupBy]:
    view = view_get_for_user(user=user, view_id=view_id)
    return list(ViewGroupBy.objects.filter(view=view).order_by("id"))


@transaction.atomic
def group_by_create(
    *,
    user: User,
    view_id: int,
    field: int,
    order: str = "ASC",
    width: int = 200,
    type: str = "default",
) -> ViewGroupBy:
    """Group a view's rows by a field (grouped rows come sorted by it, before the sorts)."""
    view = view_get_for_user(user=user, view_id=view_id)
    table = table_models.lock_table_schema(view.table)
    field_obj = _field_of_view(view, field)
    _check_group_by(view, field_obj, type, exclude_id=None)
    group_by = ViewGroupBy.objects.create(
        view=view, field=field_obj, order=order, width=width, type=type
    )
    sort_indexes_sync(table)
    return _announce_change("view_group_by_created", group_by, user=user)


@transaction.atomic
def group_by_update(*, user: User, group_by_id: int, **changes: Any) -> ViewGroupBy:
    group_by = group_by_get_for_user(user=user, group_by_id=group_by_id)
    view = group_by.view
    table = table_models.lock_table_schema(view.table)
    if "field" in changes or "type" in changes:
        if "field" in changes:
            group_by.field = _field_of_view(view, changes["field"])
        group_by.type = changes.get("type", group_by.type)
        _check_group_by(view, group_by.field, group_by.type, exclude_id=group_by.id)
    group_by.order = changes.get("order", group_by.order)
    group_by.width = changes.get("width", group_by.width)
    group_by.save()
    sort_indexes_sync(table)
    return _announce_change("view_group_by_updated", group_by, user=user)


@transaction.atomic
def group_by_delete(*, user: User, group_by_id: int) -> None:
    group_by = group_by_get_for_user(user=user, group_by_id=group_by_id)
    table = table_models.lock_table_schema(group_by.view.table)
    _announce_deletion("view_group_by_deleted", group_by, user=user)
    sort_indexes_sync(table)
