"""View rules: create, update, delete, order, duplicate, share; field options; table hooks."""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import F, Max
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from api.validation import serialize_errors
from database import table_models
from database.fields import errors as field_errors
from database.fields.models import Field
from database.tables.models import Table
from database.tables.selectors import table_get
from database.views import errors
from database.views.indexes import sort_indexes_sync
from database.views.models import (
    View,
    ViewFilter,
    ViewFilterGroup,
    ViewGroupBy,
    ViewSort,
    new_slug,
)
from database.views.registry import ViewType, view_types
from database.views.selectors import view_get_for_user
from events import announce
from events.signals import item_trashed
from users.models import User
from workspaces.permissions import require_member

DEFAULT_VIEW_NAME = "Grid"
VIEW_NAME_MAX_LENGTH = View._meta.get_field("name").max_length


def validated_options(view_type: ViewType, given: dict[str, Any], kept: dict[str, Any]) -> dict:
    """The type's properties: `given` over `kept`, defaults for the rest, checked by type."""
    option_fields = view_type.option_fields()
    serializer_class = type("ViewOptionsSerializer", (serializers.Serializer,), dict(option_fields))
    # Only what is given is validated: the kept values were, in their stored form.
    data = {name: value for name, value in given.items() if name in option_fields}
    serializer = serializer_class(data=data, partial=True)
    if not serializer.is_valid():
        raise RequestBodyValidationError(serialize_errors(serializer.errors))
    defaults = {name: field.get_default() for name, field in option_fields.items()}
    kept = {name: value for name, value in kept.items() if name in option_fields}
    return {**defaults, **kept, **serializer.validated_data}


def _check_options(view: View) -> None:
    cover = view.options.get("card_cover_image_field")
    if cover is not None and not Field.objects.filter(id=cover, table_id=view.table_id).exists():
        raise field_errors.FieldNotInTable()


# Views.


def view_create_unchecked(
    *, table: Table, type: str, name: str, options: dict[str, Any] | None = None, **values: Any
) -> View:
    """Add a view at the end of the table's views. The caller has passed the gate."""
    view_type = view_types.get(type)
    highest = View.objects.filter(table=table).aggregate(m=Max("order"))["m"] or 0
    view = View(table=table, type=type, name=name, order=highest + 1, **values)
    view.options = validated_options(view_type, options or {}, {})
    _check_options(view)
    view.save()
    return view


def view_create(
    *, user: User, table_id: int, type: str, name: str, options: dict | None = None, **values: Any
) -> View:
    """Create a view of a table for a member of its workspace."""
    table = table_get(table_id=table_id)
    require_member(user=user, workspace=table.database.workspace)
    if values.get("public") and not view_types.get(type).can_share:
        raise errors.CannotShareViewType()
    values.setdefault("ownership_type", "collaborative")
    view = view_create_unchecked(table=table, type=type, name=name, options=options, **values)
    announce("view_created", table_id=table.id, user=user, view=view)
    return view


def default_view_create(*, table: Table) -> View:
    """The grid view every new table starts with."""
    return view_create_unchecked(table=table, type="grid", name=DEFAULT_VIEW_NAME)


UPDATABLE = ("name", "filter_type", "filters_disabled", "public", "show_logo")
UPDATABLE += ("allow_public_export",)


@transaction.atomic
def view_update(
    *, user: User, view_id: int, options: dict[str, Any] | None = None, **changes: Any
) -> View:
    """Rename a view, change how it filters, share it (optionally with a password)."""
    view = view_get_for_user(user=user, view_id=view_id)
    for name in UPDATABLE:
        if name in changes:
            setattr(view, name, changes[name])
    if "public_view_password" in changes:
        password = changes["public_view_password"]
        view.public_view_password = make_password(password) if password else ""
    if options:
        view.options = validated_options(view_types.get(view.type), options, view.options)
        _check_options(view)
    view.save()
    announce("view_updated", table_id=view.table_id, user=user, view=view)
    return view


@transaction.atomic
def view_delete(*, user: User, view_id: int) -> None:
    """Move a view, with its filters, sorts and field options, to the trash."""
    view = view_get_for_user(user=user, view_id=view_id)
    table = table_models.lock_table_schema(view.table)
    View.objects.filter(id=view.id).update(trashed=True)
    item_trashed.send(
        sender=View,
        trash_item_type="view",
        item=view,
        user=user,
        workspace_id=table.database.workspace_id,
        application_id=table.database_id,
        name=view.name,
        parent_name=table.name,
    )
    announce("view_deleted", table_id=table.id, user=user, view_id=view.id)


@transaction.atomic
def view_restore(*, user: User | None, view: View) -> View:
    """Bring a trashed view back with its filters, sorts and field options."""
    table = table_models.lock_table_schema(view.table)
    View.objects_and_trash.filter(id=view.id).update(trashed=False)
    view = View.objects.get(id=view.id)
    sort_indexes_sync(table)
    announce("view_created", table_id=table.id, user=user, view=view)
    return view


@transaction.atomic
def view_delete_permanently(*, view: View) -> None:
    """Delete a trashed view for good; drop the sort indexes it alone used."""
    table = table_models.lock_table_schema(view.table)
    View.objects_and_trash.filter(id=view.id).delete()
    sort_indexes_sync(table)


@transaction.atomic
def views_order(*, user: User, table_id: int, view_ids: list[int]) -> None:
    """Give the table's views the listed positions (1..n)."""
    table = table_get(table_id=table_id)
    require_member(user=user, workspace=table.database.workspace)
    views = {view.id: view for view in View.objects.filter(table=table)}
    for view_id in view_ids:
        if view_id not in views:
            raise errors.ViewNotInTable(view_id)
    for position, view_id in enumerate(view_ids, start=1):
        views[view_id].order = position
    View.objects.bulk_update([views[view_id] for view_id in view_ids], ["order"])
    announce("views_reordered", table_id=table.id, user=user, order=view_ids)


@transaction.atomic
def view_rotate_slug(*, user: User, view_id: int) -> View:
    """Give a view a new public slug: the old address stops working."""
    view = view_get_for_user(user=user, view_id=view_id)
    if not view_types.get(view.type).can_share:
        raise errors.CannotShareViewType()
    view.slug = new_slug()
    view.save(update_fields=["slug"])
    announce("view_updated", table_id=view.table_id, user=user, view=view)
    return view


def unused_view_name(*, table: Table, name: str) -> str:
    from database.tables.services import unused_name

    taken = View.objects.filter(table=table).values_list("name", flat=True)
    return unused_name(name=name, taken=taken, max_length=VIEW_NAME_MAX_LENGTH)


@transaction.atomic
def view_duplicate(*, user: User, view_id: int) -> View:
    """A copy of the view right after it, named `<name> 2`, with filters, sorts, options."""
    view = view_get_for_user(user=user, view_id=view_id)
    table = table_models.lock_table_schema(view.table)
    View.objects.filter(table=table, order__gt=view.order).update(order=F("order") + 1)
    copy = _view_copy(view, table, name=unused_view_name(table=table, name=view.name))
    copy.order = view.order + 1
    copy.save(update_fields=["order"])
    sort_indexes_sync(table)
    announce("view_created", table_id=table.id, user=user, view=copy)
    return copy


def _view_copy(view: View, table: Table, *, name: str, field_ids: dict | None = None) -> View:
    """A new view of `table` like `view`; `field_ids` maps fields when the table is a copy."""

    def new_id(field_id: int) -> int:
        return field_ids[field_id] if field_ids is not None else field_id

    copy = View.objects.create(
        table=table,
        name=name,
        order=view.order,
        type=view.type,
        filter_type=view.filter_type,
        filters_disabled=view.filters_disabled,
        public=view.public,
        public_view_password=view.public_view_password,
        show_logo=view.show_logo,
        allow_public_export=view.allow_public_export,
        ownership_type=view.ownership_type,
        owned_by=view.owned_by,
        options=dict(view.options),
    )
    cover = copy.options.get("card_cover_image_field")
    if cover is not None and field_ids is not None:
        copy.options["card_cover_image_field"] = field_ids.get(cover)
        copy.save(update_fields=["options"])
    group_ids: dict[int, int] = {}
    for group in ViewFilterGroup.objects.filter(view=view).order_by("id"):  # parents first
        group_ids[group.id] = ViewFilterGroup.objects.create(
            view=copy,
            filter_type=group.filter_type,
            parent_group_id=group_ids.get(group.parent_group_id),
        ).id
    ViewFilter.objects.bulk_create(
        ViewFilter(
            view=copy,
            field_id=new_id(item.field_id),
            type=item.type,
            value=item.value,
            group_id=group_ids.get(item.group_id),
        )
        for item in ViewFilter.objects.filter(view=view).order_by("id")
    )
    ViewSort.objects.bulk_create(
        ViewSort(view=copy, field_id=new_id(sort.field_id), order=sort.order, type=sort.type)
        for sort in ViewSort.objects.filter(view=view).order_by("id")
    )
    ViewGroupBy.objects.bulk_create(
        ViewGroupBy(
            view=copy,
            field_id=new_id(group_by.field_id),
            order=group_by.order,
            width=group_by.width,
            type=group_by.type,
        )
        for group_by in ViewGroupBy.objects.filter(view=view).order_by("id")
    )
    options_model = view_types.get(view.type).field_options_model
    copied = []
    for options in options_model.objects.filter(view=view):
        options.pk = None
        options.view = copy
        options.field_id = new_id(options.field_id)
        copied.append(options)
    options_model.objects.bulk_create(copied)
    return copy


def views_copy_unchecked(*, source: Table, target: Table, field_ids: dict[int, int]) -> None:
    """Copy a table's views into its copy (table duplication), with the sort indexes."""
    for view in View.objects.filter(table=source).order_by("order", "id"):
        _view_copy(view, target, name=view.name, field_ids=field_ids)
    sort_indexes_sync(target)


# Field options.


def field_options_for(view: View, fields: list[Field]) -> dict[int, models.Model]:
    """The view's options of each field, made with the type's defaults where missing."""
    view_type = view_types.get(view.type)
    options_model = view_type.field_options_model
    existing = {o.field_id: o for o in options_model.objects.filter(view=view)}
    missing = [view_type.new_field_options(view, f) for f in fields if f.id not in existing]
    if missing:
        options_model.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {o.field_id: o for o in options_model.objects.filter(view=view)}
    by_field = {field.id: field for field in fields}
    for options in existing.values():
        if options.field_id in by_field:
            options.field = by_field[options.field_id]
    return {field.id: existing[field.id] for field in fields}


def field_options_json(view: View, fields: list[Field]) -> dict[str, dict[str, Any]]:
    """The contract's `field_options` map: one entry per field of the table."""
    view_type = view_types.get(view.type)
    options = field_options_for(view, fields)
    return {str(f.id): view_type.field_options_json(options[f.id]) for f in fields}


def table_fields_of(view: View) -> list[Field]:
    return list(Field.objects.filter(table_id=view.table_id).order_by("order", "id"))


def field_options_get(*, user: User, view_id: int) -> tuple[View, dict[str, dict[str, Any]]]:
    view = view_get_for_user(user=user, view_id=view_id)
    return view, field_options_json(view, table_fields_of(view))


@transaction.atomic
def field_options_update(
    *, user: User, view_id: int, field_options: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Change some options of some fields; returns the whole map."""
    view = view_get_for_user(user=user, view_id=view_id)
    view_type = view_types.get(view.type)
    fields = table_fields_of(view)
    known = {str(field.id): field for field in fields}
    for key in field_options:
        if key not in known:
            raise errors.UnrelatedField()
    options = field_options_for(view, fields)
    serializer_class = type(
        "FieldOptionsSerializer", (serializers.Serializer,), view_type.field_option_fields()
    )
    for key, values in field_options.items():
        serializer = serializer_class(data=values, partial=True)
        if not serializer.is_valid():
            raise RequestBodyValidationError(
                serialize_errors({"field_options": {key: serializer.errors}})
            )
        row = options[known[key].id]
        for name, value in view_type.clean_field_options(dict(serializer.validated_data)).items():
            setattr(row, name, value)
        row.save()
    options = field_options_json(view, fields)
    announce(
        "view_field_options_updated",
        table_id=view.table_id,
        user=user,
        view_id=view.id,
        field_options=options,
    )
    return options


def visible_fields(view: View, fields: list[Field]) -> list[Field]:
    """The fields the view shows (for a public view: the only ones anyone may see)."""
    options = field_options_for(view, fields)
    view_type = view_types.get(view.type)
    return [field for field in fields if view_type.shows_field(options[field.id])]


# Reactions to field changes (signals sent by the field services under the table's schema lock).


def views_before_field_storage_change(*, field: Field, **kwargs: Any) -> None:
    """Drop the sort indexes on a field's column before the column is dropped or converted."""
    sort_indexes_sync(field.table, without_field_ids=frozenset({field.id}))


def views_after_field_type_change(*, field: Field, **kwargs: Any) -> None:
    """Remove the filters, sorts and group-bys the new type cannot serve; index the rest."""
    from database.fields.registry import field_types
    from database.rows.filters import register_builtin_filter_types
    from database.rows.filters.registry import view_filter_types

    register_builtin_filter_types()
    stale_view_ids = set()
    for item in ViewFilter.objects.filter(field_id=field.id):
        if item.type not in view_filter_types or not view_filter_types.get(item.type).is_compatible(
            field
        ):
            item.delete()
            stale_view_ids.add(item.view_id)
    # Their rows change without any event of their own: pages showing them must fetch them again.
    for view_id in sorted(stale_view_ids):
        announce("force_view_rows_refresh", table_id=field.table_id, view_id=view_id)
    model = table_models.build_model(field.table)
    field = model._fields[field.id]
    field_type = field_types.get(field.type)
    # Those whose sort type the new type cannot sort by, as Baserow removes them.
    for ordering in (
        *ViewSort.objects.filter(field_id=field.id),
        *ViewGroupBy.objects.filter(field_id=field.id),
    ):
        if field_type.sorted_by(field, model, ordering.type) is None:
            ordering.delete()
    sort_indexes_sync(field.table)
