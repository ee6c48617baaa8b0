"""Wire shape of views, filters, filter groups, sorts and public views (07-views-filters.md)."""

from typing import Any, ClassVar

from rest_framework import serializers

from database.fields.models import Field
from database.fields.serializers import field_to_json
from database.rows.filters import register_builtin_filter_types
from database.rows.filters.registry import view_filter_types
from database.views.models import View, ViewFilter, ViewFilterGroup, ViewGroupBy, ViewSort
from database.views.registry import view_types

MAX_ID = 2**63 - 1
INCLUDES = ("filters", "sortings", "decorations", "group_bys")
# What public objects show instead of the ids of the table, database and workspace.
PUBLIC_PLACEHOLDER_ID = 0


def filter_json(item: ViewFilter) -> dict[str, Any]:
    return {
        "id": item.id,
        "view": item.view_id,
        "field": item.field_id,
        "type": item.type,
        "value": item.value,
        "preload_values": {},
        "group": item.group_id,
    }


def filter_group_json(group: ViewFilterGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "filter_type": group.filter_type,
        "view": group.view_id,
        "parent_group": group.parent_group_id,
    }


def sort_json(sort: ViewSort) -> dict[str, Any]:
    return {
        "id": sort.id,
        "view": sort.view_id,
        "field": sort.field_id,
        "order": sort.order,
        "type": sort.type,
    }


def group_by_json(group_by: ViewGroupBy) -> dict[str, Any]:
    return {
        "id": group_by.id,
        "view": group_by.view_id,
        "field": group_by.field_id,
        "order": group_by.order,
        "width": group_by.width,
        "type": group_by.type,
    }


def parse_includes(text: str | None) -> set[str]:
    return {part.strip() for part in (text or "").split(",")} & set(INCLUDES)


def view_to_json(view: View, include: set[str] = frozenset()) -> dict[str, Any]:
    """The view object: the keys every type has, the type's own, then what was asked for."""
    table = view.table
    data = {
        "id": view.id,
        "table_id": view.table_id,
        "name": view.name,
        "order": view.order,
        "type": view.type,
        "table": {
            "id": table.id,
            "name": table.name,
            "order": table.order,
            "database_id": table.database_id,
        },
        "filter_type": view.filter_type,
        "filters_disabled": view.filters_disabled,
        "public_view_has_password": bool(view.public_view_password),
        "show_logo": view.show_logo,
        "allow_public_export": view.allow_public_export,
        "ownership_type": view.ownership_type,
        "owned_by_id": view.owned_by_id,
        "public": view.public,
        "slug": view.slug,
        **view_types.get(view.type).response_options(view),
    }
    if "filters" in include:
        data["filters"] = [filter_json(f) for f in view.filters.order_by("id")]
        data["filter_groups"] = [filter_group_json(g) for g in view.filter_groups.order_by("id")]
    if "sortings" in include:
        data["sortings"] = [sort_json(s) for s in view.sortings.order_by("id")]
    if "decorations" in include:
        data["decorations"] = []
    if "group_bys" in include:
        data["group_bys"] = [group_by_json(g) for g in view.group_bys.order_by("id")]
    return data


def public_field_json(field: Field) -> dict[str, Any]:
    """A field as the public sees it: no ids of the table, database or workspace."""
    return {
        **field_to_json(field),
        "table_id": PUBLIC_PLACEHOLDER_ID,
        "database_id": PUBLIC_PLACEHOLDER_ID,
        "workspace_id": PUBLIC_PLACEHOLDER_ID,
    }


def public_view_json(view: View, fields: list[Field]) -> dict[str, Any]:
    """The view as the public sees it: addressed by slug, sorts on visible fields only."""
    shown = {field.id for field in fields}
    return {
        "id": view.slug,
        "table": {"id": PUBLIC_PLACEHOLDER_ID, "database_id": PUBLIC_PLACEHOLDER_ID},
        "name": view.name,
        "order": view.order,
        "type": view.type,
        "sortings": [
            {**sort_json(sort), "view": view.slug}
            for sort in view.sortings.order_by("id")
            if sort.field_id in shown
        ],
        "group_bys": [
            {**group_by_json(group_by), "view": view.slug}
            for group_by in view.group_bys.order_by("id")
            if group_by.field_id in shown
        ],
        "public": view.public,
        "slug": view.slug,
        "show_logo": view.show_logo,
        "allow_public_export": view.allow_public_export,
        **view_types.get(view.type).response_options(view),
    }


# Request bodies.


class RegisteredTypeField(serializers.CharField):
    """A registered type name; a plain string in the schema, since registries grow at runtime."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_choice": '"{input}" is not a valid choice.'
    }

    def __init__(self, names, **kwargs: Any) -> None:
        self.names = names
        super().__init__(max_length=64, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value not in self.names():
            self.fail("invalid_choice", input=value)
        return value


def _filter_type_names() -> list[str]:
    register_builtin_filter_types()
    return view_filter_types.names()


def view_type_field(**kwargs: Any) -> RegisteredTypeField:
    return RegisteredTypeField(view_types.names, **kwargs)


def filter_type_field(**kwargs: Any) -> RegisteredTypeField:
    return RegisteredTypeField(_filter_type_names, **kwargs)


FILTER_TYPE = ["AND", "OR"]


class ViewCreateSerializer(serializers.Serializer):
    """The keys every view type takes; type-specific keys are validated by the type."""

    name = serializers.CharField(max_length=255)
    type = view_type_field()
    ownership_type = serializers.ChoiceField(
        choices=["collaborative"], required=False, default="collaborative"
    )
    filter_type = serializers.ChoiceField(choices=FILTER_TYPE, required=False, default="AND")
    filters_disabled = serializers.BooleanField(required=False, default=False)
    public = serializers.BooleanField(required=False, default=False)


class ViewUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False)
    filter_type = serializers.ChoiceField(choices=FILTER_TYPE, required=False)
    filters_disabled = serializers.BooleanField(required=False)
    public = serializers.BooleanField(required=False)
    public_view_password = serializers.CharField(
        required=False, allow_blank=True, min_length=8, max_length=256, write_only=True
    )
    show_logo = serializers.BooleanField(required=False)
    allow_public_export = serializers.BooleanField(required=False)


class ViewSerializer(serializers.Serializer):
    """For the OpenAPI spec: the keys every view has (type-specific keys follow them)."""

    id = serializers.IntegerField()
    table_id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    type = serializers.CharField()
    table = serializers.DictField()
    filter_type = serializers.CharField()
    filters_disabled = serializers.BooleanField()
    public_view_has_password = serializers.BooleanField()
    show_logo = serializers.BooleanField()
    allow_public_export = serializers.BooleanField()
    ownership_type = serializers.CharField()
    owned_by_id = serializers.IntegerField(allow_null=True)
    public = serializers.BooleanField()
    slug = serializers.CharField()


class ViewsOrderSerializer(serializers.Serializer):
    view_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=10_000
    )


class FilterCreateSerializer(serializers.Serializer):
    field = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    type = filter_type_field()
    value = serializers.CharField(allow_blank=True, required=False, default="", max_length=100_000)
    group = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, default=None)


class FilterUpdateSerializer(serializers.Serializer):
    field = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    type = filter_type_field(required=False)
    value = serializers.CharField(allow_blank=True, required=False, max_length=100_000)


class FilterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    view = serializers.IntegerField()
    field = serializers.IntegerField()
    type = serializers.CharField()
    value = serializers.CharField()
    preload_values = serializers.DictField()
    group = serializers.IntegerField(allow_null=True)


class FilterGroupCreateSerializer(serializers.Serializer):
    filter_type = serializers.ChoiceField(choices=FILTER_TYPE, required=False, default="AND")
    parent_group = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, default=None
    )


class FilterGroupUpdateSerializer(serializers.Serializer):
    filter_type = serializers.ChoiceField(choices=FILTER_TYPE)


class FilterGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filter_type = serializers.CharField()
    view = serializers.IntegerField()
    parent_group = serializers.IntegerField(allow_null=True)


class SortCreateSerializer(serializers.Serializer):
    field = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    order = serializers.ChoiceField(choices=["ASC", "DESC"], required=False, default="ASC")
    type = serializers.CharField(max_length=32, required=False, default="default")


class SortUpdateSerializer(serializers.Serializer):
    field = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    order = serializers.ChoiceField(choices=["ASC", "DESC"], required=False)
    type = serializers.CharField(max_length=32, required=False)


class SortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    view = serializers.IntegerField()
    field = serializers.IntegerField()
    order = serializers.CharField()
    type = serializers.CharField()


class GroupByCreateSerializer(serializers.Serializer):
    field = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    order = serializers.ChoiceField(choices=["ASC", "DESC"], required=False, default="ASC")
    width = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, default=200)
    type = serializers.CharField(max_length=32, required=False, default="default")


class GroupByUpdateSerializer(serializers.Serializer):
    field = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    order = serializers.ChoiceField(choices=["ASC", "DESC"], required=False)
    width = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    type = serializers.CharField(max_length=32, required=False)


class GroupBySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    view = serializers.IntegerField()
    field = serializers.IntegerField()
    order = serializers.CharField()
    width = serializers.IntegerField()
    type = serializers.CharField()


class FieldOptionsSerializer(serializers.Serializer):
    field_options = serializers.DictField(child=serializers.DictField())


class GridRowsByIdSerializer(serializers.Serializer):
    row_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=200
    )
    field_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=10_000,
    )


class PublicAuthSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=256)


class PublicAuthResponseSerializer(serializers.Serializer):
    access_token = serializers.CharField()


class PublicInfoSerializer(serializers.Serializer):
    fields = serializers.ListField(child=serializers.DictField())
    view = serializers.DictField()
