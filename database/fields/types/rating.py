"""Ratings: an integer from 0 to `max_value`, never null (0 means unrated)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from rest_framework import serializers

from database import table_models
from database.fields.registry import (
    NOT_QUICK,
    NUMBER_CHARACTERS,
    ColumnOutput,
    FieldType,
    SqlConversion,
)
from database.fields.types.text import TEXT_TYPES

STYLES = ["star", "heart", "thumbs-up", "flag", "smile"]

# Text that `from_text` reads as a plain decimal number (spaces around, `.` or `,` before the
# decimals): PostgreSQL converts exactly these in SQL, the rest goes through Python.
PLAIN_NUMBER = r"^ *[+-]?([0-9]{1,255}([.,][0-9]{0,255})?|[.,][0-9]{1,255}) *$"


def _max_value(field) -> int:
    return int(field.options.get("max_value", 5))


def _rating_or_zero(value: int | None) -> int:
    return value or 0


class RatingFieldType(FieldType):
    type = "rating"
    search_characters = NUMBER_CHARACTERS
    can_have_db_index = True

    def option_fields(self):
        return {
            "max_value": serializers.IntegerField(default=5, min_value=1, max_value=10),
            "color": serializers.CharField(default="dark-orange", max_length=50),
            "style": serializers.ChoiceField(choices=STYLES, default="star"),
        }

    def model_field(self, field, builder):
        # Nullable like every column (SQLite cannot add a NOT NULL one in place); NULL reads as 0.
        return models.SmallIntegerField(null=True, blank=True)

    def input_field(self, field):
        return serializers.IntegerField(
            required=False, allow_null=False, min_value=0, max_value=_max_value(field)
        )

    def quick_input(self, field, prepared):
        highest = _max_value(field)

        def check(value: Any) -> Any:
            # An integer, or the text of one in plain digits, within 0..max_value.
            if type(value) is str and 0 < len(value) <= 3 and value.isascii() and value.isdigit():
                value = int(value)
            return value if type(value) is int and 0 <= value <= highest else NOT_QUICK

        return check

    def default_value(self, field) -> Any:
        return 0

    def output_value(self, field, row) -> Any:
        return getattr(row, field.db_column) or 0

    def column_output(self, field):
        return ColumnOutput(field.db_column, convert=_rating_or_zero)

    def openapi_schema(self, field, *, for_request):
        highest = _max_value(field)
        return {
            "type": "integer",
            "minimum": 0,
            "maximum": highest,
            "description": f"A rating from 0 (none) to {highest}.",
        }

    def example_value(self, field, *, for_request):
        return min(3, _max_value(field))

    def to_text(self, field, value):
        return str(value or 0)

    def sql_text(self, field):
        return Cast(Coalesce(models.F(field.db_column), 0), models.TextField())

    def sql_conversion(self, old_field, new_field):
        # Numeric's ROUND goes half away from zero, as ROUND_HALF_UP does.
        if old_field.type not in TEXT_TYPES or connection.vendor != "postgresql":
            return None
        column = connection.ops.quote_name(old_field.db_column)
        rounded = f"ROUND(CAST(REPLACE(BTRIM({column}), ',', '.') AS numeric))"
        expression = RawSQL(f"LEAST(GREATEST({rounded}, 0), %s)", [_max_value(new_field)])
        plain = models.Q(**{f"{old_field.db_column}__regex": PLAIN_NUMBER})
        return SqlConversion(expression, plain)

    def from_text(self, field, text):
        """A number rounded to a whole rating and clamped into 0..max_value."""
        if text is None:
            return None
        try:
            number = Decimal(text.strip().replace(",", "."))
        except InvalidOperation:
            return None
        if not number.is_finite():
            return None
        whole = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return max(0, min(whole, _max_value(field)))

    def after_create(self, field, options):
        # Rows that existed before (or whose value did not convert) start unrated.
        model = table_models.build_model(field.table)
        model.objects.filter(**{f"{field.db_column}__isnull": True}).update(**{field.db_column: 0})
        return []

    def after_update(self, old_field, field, options):
        # A lower maximum caps the ratings above it.
        highest = _max_value(field)
        if highest < _max_value(old_field):
            model = table_models.build_model(field.table)
            model.objects.filter(**{f"{field.db_column}__gt": highest}).update(
                **{field.db_column: highest}
            )
        return []


FIELD_TYPES = [RatingFieldType()]
