"""Filter trees: read from a request's query parameters, compiled to one Q over a table model.

A tree is `{"filter_type": "AND"|"OR", "filters": [{"field", "type", "value"}], "groups": [...]}`
with groups nested to any depth up to MAX_DEPTH.
"""

import json
import re
from typing import Any

from django.db import models
from django.db.models import Q
from rest_framework import serializers

from api.validation import serialize_errors
from database.fields.models import Field
from database.rows.filters import register_builtin_filter_types
from database.rows.filters.errors import (
    FilterFieldNotFound,
    FiltersParamValidationError,
    ViewFilterTypeDoesNotExist,
    ViewFilterTypeUnsupportedField,
)
from database.rows.filters.registry import Cell, view_filter_types
from database.rows.params import without_nul

LEGACY_PREFIX = "filter__"
MAX_DEPTH = 16


def tree_from_query(query_params: Any, *, user_field_names: bool = False) -> dict | None:
    """The filter tree of the `filters` JSON parameter, else of `filter__<field>__<type>` ones.

    With `user_field_names`, the JSON's `field`s are names (else ids).
    """
    raw = query_params.get("filters")
    if raw is not None:
        try:
            data = json.loads(raw)
        except (TypeError, ValueError, RecursionError):  # RecursionError: nested too deeply
            raise FiltersParamValidationError(
                {"error": "The provided filters are not valid JSON.", "code": "invalid_json"}
            ) from None
        serializer = FilterGroupSerializer(
            data=data, context={"user_field_names": user_field_names, "depth": 0}
        )
        if not serializer.is_valid():
            raise FiltersParamValidationError(serialize_errors(serializer.errors))
        return serializer.validated_data
    filters = []
    for key in query_params:
        if not key.startswith(LEGACY_PREFIX):
            continue
        field, separator, type_name = key[len(LEGACY_PREFIX) :].rpartition("__")
        if not separator or not field or not type_name:
            continue
        if hasattr(query_params, "getlist"):
            values = query_params.getlist(key)
        else:
            values = [query_params[key]]
        filters += [
            {"field": field, "type": type_name, "value": without_nul(v), "legacy": True}
            for v in values
        ]
    if not filters:
        return None
    filter_type = "OR" if str(query_params.get("filter_type", "AND")).upper() == "OR" else "AND"
    return {"filter_type": filter_type, "filters": filters, "groups": []}


class FilterSerializer(serializers.Serializer):
    """One filter of the `filters` JSON: a field id (a name with user field names), a filter
    type and its value (text; NUL characters are dropped, as PostgreSQL text refuses them)."""

    field = serializers.IntegerField()
    type = serializers.CharField()
    value = serializers.CharField(allow_blank=True)

    def validate_value(self, value: str) -> str:
        return without_nul(value)


class NestedGroupField(serializers.Field):
    """A filter group inside a group, validated as the outer one is, one level deeper."""

    def to_internal_value(self, data: Any) -> dict:
        depth = self.context.get("depth", 0) + 1
        if depth > MAX_DEPTH:
            raise serializers.ValidationError(f"Filter groups nest at most {MAX_DEPTH} deep.")
        serializer = FilterGroupSerializer(data=data, context={**self.context, "depth": depth})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class FilterGroupSerializer(serializers.Serializer):
    """A group of the `filters` JSON, as Baserow validates it: `filter_type` is required."""

    filter_type = serializers.ChoiceField(choices=["AND", "OR"])
    filters = serializers.ListField(child=FilterSerializer(), required=False, default=list)
    groups = serializers.ListField(child=NestedGroupField(), required=False, default=list)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("user_field_names"):
            child = NamedFilterSerializer()
            self.fields["filters"] = serializers.ListField(
                child=child, required=False, default=list
            )


class NamedFilterSerializer(FilterSerializer):
    field = serializers.CharField()


def filters_q(*, model: type[models.Model], tree: dict, user_field_names: bool) -> Q:
    """One Q matching the rows of `model` that pass the tree (an empty Q when nothing filters)."""
    return compiled_filters(model=model, tree=tree, user_field_names=user_field_names)[0]


def compiled_filters(
    *, model: type[models.Model], tree: dict, user_field_names: bool
) -> tuple[Q, list[Field]]:
    """`filters_q`, and the fields its filters read (resolved once for both)."""
    register_builtin_filter_types()
    read: list[Field] = []
    return _group_q(model, tree, user_field_names, read), read


def _group_q(model, group: dict, user_field_names: bool, read: list[Field]) -> Q:
    parts = [_filter_q(model, item, user_field_names, read) for item in group.get("filters", ())]
    parts += [_group_q(model, sub, user_field_names, read) for sub in group.get("groups", ())]
    combined = Q()
    for part in parts:  # empty parts (no-op filters) drop out of the group
        combined = combined | part if group.get("filter_type") == "OR" else combined & part
    return combined


def _filter_q(model, item: dict, user_field_names: bool, read: list[Field]) -> Q:
    field = filter_target(model, item, user_field_names)
    if field is None:
        return Q()
    if field is ROW_IDS:
        ids = [int(part) for part in item["value"].split(",") if part.strip().isdigit()]
        return Q(id__in=[row_id for row_id in ids if row_id < 2**63]) if ids else Q()
    read.append(field)
    if item["type"] not in view_filter_types:
        raise ViewFilterTypeDoesNotExist(item["type"])
    filter_type = view_filter_types.get(item["type"])
    if not filter_type.is_compatible(field):
        raise ViewFilterTypeUnsupportedField(item["type"], field.type)
    return filter_type.get_filter(Cell.of(model, field), str(item.get("value", "")))


# The target of the legacy `filter__field_id__in=<ids>`: rows by id.
ROW_IDS = object()
_FIELD_REFERENCE = re.compile(r"(field_)?\d+")
# Legacy `filter__field_created_on__…` / `filter__field_updated_on__…` read the row's own
# timestamps, as fields of these types with their default options would (no field needed).
_ROW_TIMESTAMP_REFERENCES = {"field_created_on": "created_on", "field_updated_on": "last_modified"}


def filter_target(model, item: dict, user_field_names: bool) -> Field | object | None:
    """The field a filter names; for the legacy `filter__…` parameters, as Baserow reads them:
    `field_id` with `in` filters row ids (ROW_IDS), `field_created_on` / `field_updated_on`
    the row's timestamps, and a reference that is neither a field name (with user field
    names) nor a field id is ignored (None)."""
    ref = item["field"]
    if item.get("legacy"):
        if ref == "field_id" and item["type"] == "in":
            return ROW_IDS
        named = user_field_names and any(f.name == ref for f in model._fields.values())
        if not named and ref in _ROW_TIMESTAMP_REFERENCES:
            return Field(type=_ROW_TIMESTAMP_REFERENCES[ref], options={})
        if not named and not _FIELD_REFERENCE.fullmatch(ref):
            return None
    return resolve_field(model, ref, user_field_names)


def resolve_field(model, ref: int | str, user_field_names: bool) -> Field:
    """A field of the model by id, `field_<id>`, or (with user_field_names) by name."""
    fields: dict[int, Field] = model._fields
    if isinstance(ref, str) and user_field_names:
        for field in fields.values():
            if field.name == ref:
                return field
    field_id = None
    if isinstance(ref, int):
        field_id = ref
    elif ref.removeprefix("field_").isdigit():
        field_id = int(ref.removeprefix("field_"))
    field = fields.get(field_id)
    if field is None:
        raise FilterFieldNotFound(ref)
    return field
