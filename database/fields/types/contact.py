"""Text with a shape: url, email and phone_number. Empty cells are stored as NULL, sent as ""."""

import re
from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import NullIf
from rest_framework import serializers

from database.fields.registry import NOT_QUICK, ColumnOutput, FieldType


def _filled_or_empty(value: str | None) -> str:
    return value or ""


class PatternTextFieldType(FieldType):
    """A text column whose non-empty values must match `pattern` (and fit `max_length`)."""

    can_have_db_index = True
    trigram_searchable = True

    pattern: ClassVar[str]
    message: ClassVar[str]
    max_length: ClassVar[int | None] = None
    # For the API docs: what a value is, its OpenAPI format, an example.
    summary: ClassVar[str]
    openapi_format: ClassVar[str | None] = None
    example: ClassVar[str]

    def model_field(self, field, builder):
        return models.TextField(null=True, blank=True)

    def input_field(self, field):
        return serializers.CharField(
            required=False,
            allow_null=True,
            allow_blank=True,
            max_length=self.max_length,
            validators=[RegexValidator(self.pattern, self.message, code="invalid")],
        )

    def quick_input(self, field, prepared):
        regex, limit = re.compile(self.pattern), self.max_length

        def check(value: Any) -> Any:
            # Empty, or a string without surrounding spaces that fits and has the shape.
            if value is None or value == "":
                return value
            if (
                type(value) is str
                and value == value.strip()
                and "\x00" not in value
                and (limit is None or len(value) <= limit)
                and regex.search(value)
            ):
                return value
            return NOT_QUICK

        return check

    def to_db(self, field, value: Any) -> Any:
        return value or None

    def output_value(self, field, row) -> Any:
        return getattr(row, field.db_column) or ""

    def column_output(self, field):
        return ColumnOutput(field.db_column, convert=_filled_or_empty, text=True)

    def openapi_schema(self, field, *, for_request):
        schema: dict[str, Any] = {"type": "string", "description": self.summary}
        if self.openapi_format:
            schema["format"] = self.openapi_format
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if for_request:
            schema["description"] += " An empty string or null empties the cell."
            schema["nullable"] = True
        else:
            schema["description"] += " An empty cell is an empty string."
        return schema

    def example_value(self, field, *, for_request):
        return self.example

    def to_text(self, field, value):
        return value or None

    def sql_text(self, field):
        return NullIf(models.F(field.db_column), models.Value(""))

    def from_text(self, field, text):
        """The trimmed text when it has the type's shape; anything else is dropped."""
        if text is None:
            return None
        text = text.strip()
        if self.max_length is not None and len(text) > self.max_length:
            return None
        return text if re.fullmatch(self.pattern, text) else None


class URLFieldType(PatternTextFieldType):
    type = "url"
    pattern = r"^[^\s]{0,255}(?:\.|//)[^\s]{1,}$"
    message = "Enter a valid URL."
    summary = "A URL: text with a dot or `//`, without spaces."
    example = "https://example.com/page"


class EmailFieldType(PatternTextFieldType):
    type = "email"
    # Deliberately permissive: something, an @, something; RFC 5321 caps the length at 254.
    pattern = r"^[^@\s]+@[^@\s]+$"
    message = "Enter a valid email address."
    summary = "An email address."
    openapi_format = "email"
    example = "name@example.com"
    max_length = 254


class PhoneNumberFieldType(PatternTextFieldType):
    type = "phone_number"
    pattern = r"^[0-9NnXx,+._*()#=;/ -]+$"
    message = "Enter a valid phone number."
    summary = "A phone number: digits, spaces and `+-.,()*#/=;`, `x` or `n`."
    example = "+1 555 0100"
    max_length = 100


FIELD_TYPES = [URLFieldType(), EmailFieldType(), PhoneNumberFieldType()]
