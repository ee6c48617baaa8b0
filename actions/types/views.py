"""Undoable view actions: filters, sorts, field options and the view's own settings.

A filter or sort brought back is created anew with its old id.
"""

from typing import Any

from django.db import transaction

from actions.registry import ActionType, record, recording, view_scope
from database.views import filtering, selectors, services
from database.views.services import UPDATABLE, field_options_json, table_fields_of
from users.models import User


def _filter_state(item: Any) -> dict[str, Any]:
    return {"field": item.field_id, "type": item.type, "value": item.value, "group": item.group_id}


def _sort_state(sort: Any) -> dict[str, Any]:
    return {"field": sort.field_id, "order": sort.order, "type": sort.type}


def filter_create(*, user: User, view_id: int, **data: Any):
    """filtering.filter_create, logged as `create_view_filter`."""
    item = filtering.filter_create(user=user, view_id=view_id, **data)
    params = {"view_id": item.view_id, "filter_id": item.id, "state": _filter_state(item)}
    record(user=user, type="create_view_filter", scope=view_scope(item.view_id), params=params)
    return item


@transaction.atomic
def filter_update(*, user: User, filter_id: int, **changes: Any):
    """filtering.filter_update, logged as `update_view_filter` with the filter before it."""
    if not recording(user):
        return filtering.filter_update(user=user, filter_id=filter_id, **changes)
    before = _filter_state(selectors.filter_get_for_user(user=user, filter_id=filter_id))
    item = filtering.filter_update(user=user, filter_id=filter_id, **changes)
    params = {"view_id": item.view_id, "filter_id": item.id, "before": before}
    params["after"] = _filter_state(item)
    record(user=user, type="update_view_filter", scope=view_scope(item.view_id), params=params)
    return item


@transaction.atomic
def filter_delete(*, user: User, filter_id: int) -> None:
    """filtering.filter_delete, logged as `delete_view_filter` with what it was."""
    if not recording(user):
        return filtering.filter_delete(user=user, filter_id=filter_id)
    item = selectors.filter_get_for_user(user=user, filter_id=filter_id)
    params = {"view_id": item.view_id, "filter_id": item.id, "state": _filter_state(item)}
    filtering.filter_delete(user=user, filter_id=filter_id)
    record(user=user, type="delete_view_filter", scope=view_scope(params["view_id"]), params=params)


def sort_create(*, user: User, view_id: int, **data: Any):
    """filtering.sort_create, logged as `create_view_sort`."""
    sort = filtering.sort_create(user=user, view_id=view_id, **data)
    params = {"view_id": sort.view_id, "sort_id": sort.id, "state": _sort_state(sort)}
    record(user=user, type="create_view_sort", scope=view_scope(sort.view_id), params=params)
    return sort


@transaction.atomic
def sort_update(*, user: User, sort_id: int, **changes: Any):
    """filtering.sort_update, logged as `update_view_sort` with the sort before it."""
    if not recording(user):
        return filtering.sort_update(user=user, sort_id=sort_id, **changes)
    before = _sort_state(selectors.sort_get_for_user(user=user, sort_id=sort_id))
    sort = filtering.sort_update(user=user, sort_id=sort_id, **changes)
    params = {"view_id": sort.view_id, "sort_id": sort.id, "before": before}
    params["after"] = _sort_state(sort)
    record(user=user, type="update_view_sort", scope=view_scope(sort.view_id), params=params)
    return sort


@transaction.atomic
def sort_delete(*, user: User, sort_id: int) -> None:
    """filtering.sort_delete, logged as `delete_view_sort` with what it was."""
    if not recording(user):
        return filtering.sort_delete(user=user, sort_id=sort_id)
    sort = selectors.sort_get_for_user(user=user, sort_id=sort_id)
    params = {"view_id": sort.view_id, "sort_id": sort.id, "state": _sort_state(sort)}
    filtering.sort_delete(user=user, sort_id=sort_id)
    record(user=user, type="delete_view_sort", scope=view_scope(params["view_id"]), params=params)


@transaction.atomic
def field_options_update(*, user: User, view_id: int, field_options: dict[str, dict]) -> dict:
    """services.field_options_update, logged as `update_view_field_options`."""
    if not recording(user):
        return services.field_options_update(
            user=user, view_id=view_id, field_options=field_options
        )
    view = selectors.view_get_for_user(user=user, view_id=view_id)
    old = field_options_json(view, table_fields_of(view))
    before = {
        key: {name: old[key][name] for name in values if name in old.get(key, {})}
        for key, values in field_options.items()
        if key in old
    }
    options = services.field_options_update(user=user, view_id=view_id, field_options=field_options)
    after = {key: {name: options[key][name] for name in values} for key, values in before.items()}
    params = {"view_id": view.id, "before": before, "after": after}
    record(user=user, type="update_view_field_options", scope=view_scope(view.id), params=params)
    return options


@transaction.atomic
def view_update(*, user: User, view_id: int, options: dict | None = None, **changes: Any):
    """services.view_update, logged as `update_view` (a password change is not undoable)."""
    if not recording(user):
        return services.view_update(user=user, view_id=view_id, options=options, **changes)
    view = selectors.view_get_for_user(user=user, view_id=view_id)
    before = {name: getattr(view, name) for name in UPDATABLE if name in changes}
    old_options = {name: view.options.get(name) for name in options or {} if name in view.options}
    view = services.view_update(user=user, view_id=view_id, options=options, **changes)
    if "public_view_password" not in changes:
        params = {
            "view_id": view.id,
            "before": {"changes": before, "options": old_options},
            "after": {
                "changes": {name: changes[name] for name in before},
                "options": {name: view.options.get(name) for name in old_options},
            },
        }
        record(user=user, type="update_view", scope=view_scope(view.id), params=params)
    return view


class CreateViewFilterActionType(ActionType):
    type = "create_view_filter"

    def undo(self, *, user, params):
        filtering.filter_delete(user=user, filter_id=params["filter_id"])

    def redo(self, *, user, params):
        filtering.filter_create(
            user=user, view_id=params["view_id"], id=params["filter_id"], **params["state"]
        )


class DeleteViewFilterActionType(ActionType):
    type = "delete_view_filter"

    def undo(self, *, user, params):
        CreateViewFilterActionType().redo(user=user, params=params)

    def redo(self, *, user, params):
        CreateViewFilterActionType().undo(user=user, params=params)


class UpdateViewFilterActionType(ActionType):
    type = "update_view_filter"

    def undo(self, *, user, params):
        filtering.filter_update(user=user, filter_id=params["filter_id"], **params["before"])

    def redo(self, *, user, params):
        filtering.filter_update(user=user, filter_id=params["filter_id"], **params["after"])


class CreateViewSortActionType(ActionType):
    type = "create_view_sort"

    def undo(self, *, user, params):
        filtering.sort_delete(user=user, sort_id=params["sort_id"])

    def redo(self, *, user, params):
        filtering.sort_create(
            user=user, view_id=params["view_id"], id=params["sort_id"], **params["state"]
        )


class DeleteViewSortActionType(ActionType):
    type = "delete_view_sort"

    def undo(self, *, user, params):
        CreateViewSortActionType().redo(user=user, params=params)

    def redo(self, *, user, params):
        CreateViewSortActionType().undo(user=user, params=params)


class UpdateViewSortActionType(ActionType):
    type = "update_view_sort"

    def undo(self, *, user, params):
        filtering.sort_update(user=user, sort_id=params["sort_id"], **params["before"])

    def redo(self, *, user, params):
        filtering.sort_update(user=user, sort_id=params["sort_id"], **params["after"])


class UpdateFieldOptionsActionType(ActionType):
    type = "update_view_field_options"

    def undo(self, *, user, params):
        services.field_options_update(
            user=user, view_id=params["view_id"], field_options=params["before"]
        )

    def redo(self, *, user, params):
        services.field_options_update(
            user=user, view_id=params["view_id"], field_options=params["after"]
        )


class UpdateViewActionType(ActionType):
    type = "update_view"

    def undo(self, *, user, params):
        self._apply(user, params["view_id"], params["before"])

    def redo(self, *, user, params):
        self._apply(user, params["view_id"], params["after"])

    def _apply(self, user: User, view_id: int, state: dict) -> None:
        services.view_update(
            user=user, view_id=view_id, options=state["options"], **state["changes"]
        )


ACTION_TYPES = [
    CreateViewFilterActionType(),
    UpdateViewFilterActionType(),
    DeleteViewFilterActionType(),
    CreateViewSortActionType(),
    UpdateViewSortActionType(),
    DeleteViewSortActionType(),
    UpdateFieldOptionsActionType(),
    UpdateViewActionType(),
]
