"""Booleans: never null, lenient about the truthy strings clients send."""

from typing import Any

from django.db import models
from rest_framework import serializers

from database.fields.registry import NOT_QUICK, ColumnOutput, FieldType

TRUE_TEXTS = {"t", "true", "y", "yes", "on", "1", "checked", "x", "\u2713", "\u2714"}


class BooleanInput(serializers.BooleanField):
    """DRF's boolean plus Baserow's extra truthy words; null is refused."""

    TRUE_VALUES = serializers.BooleanField.TRUE_VALUES | TRUE_TEXTS | {"Checked", "CHECKED"}

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().lower() in TRUE_TEXTS:
            return True
        if isinstance(data, str) and data.strip() == "":
            return False
        return super().to_internal_value(data)


# The words DRF's boolean takes for false (compared lowercased, not stripped).
FALSE_TEXTS = frozenset(
    value for value in serializers.BooleanField.FALSE_VALUES if isinstance(value, str)
)


def quick_boolean(value: Any) -> Any:
    """A boolean, or one of the texts `BooleanInput` reads, as it reads it."""
    if type(value) is bool:
        return value
    if type(value) is str:
        text = value.strip().lower()
        if text in TRUE_TEXTS:
            return True
        if text == "":
            return False
        if value.lower() in FALSE_TEXTS:
            return False
    return NOT_QUICK


class BooleanFieldType(FieldType):
    type = "boolean"
    can_have_db_index = True

    def option_fields(self):
        return {"boolean_default": serializers.BooleanField(default=False)}

    def model_field(self, field, builder):
        return models.BooleanField(null=True, blank=True)

    def input_field(self, field):
        return BooleanInput(required=False, allow_null=False)

    def quick_input(self, field, prepared):
        return quick_boolean

    def default_value(self, field) -> Any:
        return bool(field.options.get("boolean_default", False))

    def output_value(self, field, row) -> Any:
        return bool(getattr(row, field.db_column))

    def column_output(self, field):
        return ColumnOutput(field.db_column, choices={True: True, False: False}, default=False)

    def openapi_schema(self, field, *, for_request):
        description = "true or false."
        if for_request:
            description += ' Also accepts strings such as "yes", "1" or "checked" (true).'
        return {"type": "boolean", "description": description}

    def example_value(self, field, *, for_request):
        return True

    def search_q(self, field, term, model):
        return None  # "true"/"1" would match differently per engine

    def to_text(self, field, value):
        return "true" if value else "false"

    def sql_text(self, field):
        when = models.When(**{field.db_column: True}, then=models.Value("true"))
        return models.Case(when, default=models.Value("false"), output_field=models.TextField())

    def from_text(self, field, text):
        return text is not None and text.strip().lower() in TRUE_TEXTS


FIELD_TYPES = [BooleanFieldType()]
