"""Row bodies and query strings, and rows on the wire."""

import os
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from database.fields.models import Field
from database.rows.values import rows_to_json

BATCH_ROWS_SIZE_LIMIT = 200
ROW_PAGE_SIZE_LIMIT = int(os.environ.get("BASEROW_ROW_PAGE_SIZE_LIMIT", "200"))
MAX_ROW_ID = 2**63 - 1


def row_json(row: models.Model, fields: list[Field], *, user_field_names: bool) -> dict[str, Any]:
    """The contract's row: `id`, `order`, then a key per field (its name with user_field_names)."""
    return rows_to_json([row], fields, user_field_names=user_field_names)[0]


class RowSerializer(serializers.Serializer):
    """A row: `id`, `order` and one key per field (`field_<id>` or the field's name)."""

    id = serializers.IntegerField()
    order = serializers.DecimalField(max_digits=40, decimal_places=20)


class PageOfRowsSerializer(serializers.Serializer):
    """A page of rows; `exclude_count` leaves only `results`, a grid view's `count` only
    `count`."""

    count = serializers.IntegerField(required=False)
    next = serializers.URLField(allow_null=True, required=False)
    previous = serializers.URLField(allow_null=True, required=False)
    results = RowSerializer(many=True, required=False)


class BeforeQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ROW_ID)


class MoveQuerySerializer(serializers.Serializer):
    before_id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ROW_ID)


class RowValuesSerializer(serializers.Serializer):
    """Any cells of the table, keyed by field; validated per field type by the service."""


@extend_schema_field({"type": "object", "additionalProperties": {}})
class RowObjectField(serializers.DictField):
    """A JSON object, its values left as sent: the rows services validate every cell (the
    plain DictField runs a no-op validation per value, 2,000 calls for a batch of 200 rows)."""

    def to_internal_value(self, data: Any) -> dict:
        if html.is_html_input(data):
            data = html.parse_html_dict(data)
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        return dict(data)


class BatchRowsSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=RowObjectField(),
        min_length=1,
        max_length=BATCH_ROWS_SIZE_LIMIT,
    )


class BatchRowsOutSerializer(serializers.Serializer):
    items = RowSerializer(many=True)


class BatchDeleteSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ROW_ID),
        min_length=1,
        max_length=BATCH_ROWS_SIZE_LIMIT,
    )


# Baserow's search modes: both run the same substring search here.
SEARCH_MODES = ("full-text-with-count", "compat")


class SearchModeQuerySerializer(serializers.Serializer):
    search_mode = serializers.ChoiceField(choices=SEARCH_MODES, required=False)


class ListRowsQuerySerializer(SearchModeQuerySerializer):
    view_id = serializers.IntegerField(required=False)


class AdjacentQuerySerializer(SearchModeQuerySerializer):
    previous = serializers.BooleanField(required=False, default=False)
    view_id = serializers.IntegerField(required=False)


class RowHistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user_id", allow_null=True)
    name = serializers.CharField(source="user_name")


class RowHistorySerializer(serializers.Serializer):
    """One entry of a row's change history: the changed cells before and after."""

    id = serializers.IntegerField()
    action_type = serializers.CharField()
    user = RowHistoryUserSerializer(source="*")
    timestamp = serializers.DateTimeField(source="action_timestamp")
    before = serializers.DictField(source="before_values")
    after = serializers.DictField(source="after_values")
    fields_metadata = serializers.DictField()


class PageOfRowHistorySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RowHistorySerializer(many=True)
