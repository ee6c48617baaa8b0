"""Plain text fields: text and long_text."""

from typing import Any

from django.db import models
from django.db.models import F
from rest_framework import serializers

from database.fields.registry import NOT_QUICK, ColumnOutput, FieldType, field_types

TEXT_TYPES = {"text", "long_text", "url", "email", "phone_number"}


def quick_text(value: Any) -> Any:
    """Any string without NUL (which the input field refuses), kept as given; or null."""
    if value is None or (type(value) is str and "\x00" not in value):
        return value
    return NOT_QUICK


class TextFieldType(FieldType):
    type = "text"
    can_have_db_index = True
    trigram_searchable = True

    def option_fields(self):
        return {
            "text_default": serializers.CharField(
                default="", allow_blank=True, max_length=10_000, required=False
            )
        }

    def model_field(self, field, builder):
        return models.TextField(null=True, blank=True)

    def input_field(self, field):
        return serializers.CharField(
            required=False, allow_null=True, allow_blank=True, trim_whitespace=False
        )

    def quick_input(self, field, prepared):
        return quick_text

    def default_value(self, field) -> Any:
        return field.options.get("text_default") or None

    def sql_text(self, field):
        return F(field.db_column)

    def column_output(self, field):
        return ColumnOutput(field.db_column, text=True)

    def sql_conversion(self, old_field, new_field):
        # Text-like values are text already: copy them in one UPDATE; others when their type
        # writes its text in SQL.
        if old_field.type in TEXT_TYPES:
            return F(old_field.db_column)
        return field_types.get(old_field.type).sql_text(old_field)


class LongTextFieldType(TextFieldType):
    type = "long_text"
    can_be_primary = True
    history_options = ("long_text_enable_rich_text",)

    def option_fields(self):
        return {"long_text_enable_rich_text": serializers.BooleanField(default=False)}

    def openapi_schema(self, field, *, for_request):
        return {"type": "string", "nullable": True, "description": "Any text, of any length."}

    def example_value(self, field, *, for_request):
        return "A longer text,\nover two lines."

    def default_value(self, field) -> Any:
        return None


FIELD_TYPES = [TextFieldType(), LongTextFieldType()]
