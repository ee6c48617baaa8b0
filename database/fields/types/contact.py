"""Text with a shape: url, email and phone_number. Empty cells are stored as NULL, sent as ""."""

import re
from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from rest_framework import serializers

from database.fields.registry import FieldType


class PatternTextFieldType(FieldType):
    """A text column whose non-empty values must match `pattern` (and fit `max_length`)."""

    can_have_db_index = True

    pattern: ClassVar[str]
    message: ClassVar[str]
    max_length: ClassVar[int | None] = None

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

    def to_db(self, field, value: Any) -> Any:
        return value or None

    def output_value(self, field, row) -> Any:
        return getattr(row, field.db_column) or ""

    def to_text(self, field, value):
        return value or None

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


class EmailFieldType(PatternTextFieldType):
    type = "email"
    # Deliberately permissive: something, an @, something; RFC 5321 caps the length at 254.
    pattern = r"^[^@\s]+@[^@\s]+$"
    message = "Enter a valid email address."
    max_length = 254


class PhoneNumberFieldType(PatternTextFieldType):
    type = "phone_number"
    pattern = r"^[0-9NnXx,+._*()#=;/ -]+$"
    message = "Enter a valid phone number."
    max_length = 100


FIELD_TYPES = [URLFieldType(), EmailFieldType(), PhoneNumberFieldType()]
