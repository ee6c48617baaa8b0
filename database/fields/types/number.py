"""Numbers with fixed decimal places, stored as SQL decimals and sent as strings."""

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from django.db import connection, models
from django.db.models import F
from django.db.models.functions import Cast
from rest_framework import serializers

from database import table_models
from database.fields.registry import NOT_QUICK, NUMBER_CHARACTERS, ColumnOutput, FieldType

MAX_DIGITS = 50
SEPARATORS = ["", "SPACE_COMMA", "SPACE_PERIOD", "COMMA_PERIOD", "PERIOD_COMMA"]


def _places(field) -> int:
    return int(field.options.get("number_decimal_places", 0))


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _number_text(value: Any, places: int) -> str | None:
    """A stored number as the contract's string, with the field's decimal places."""
    return None if value is None else str(_quantize(Decimal(value), places))


def _number_texts(places: int) -> Callable[[Any], str | None]:
    """`_number_text` for one number of places, with its exponent made once."""
    exponent = Decimal(1).scaleb(-places)

    def text(value: Any) -> str | None:
        if value is None:
            return None
        if type(value) is not Decimal:
            value = Decimal(value)
        return str(value.quantize(exponent, rounding=ROUND_HALF_UP))

    return text


class NumberInput(serializers.DecimalField):
    """A number or numeric string; too many places or a forbidden sign are refused."""

    default_error_messages = {  # noqa: RUF012 (DRF merges these per class)
        "min_value": "Ensure this value is greater than or equal to 0.",
    }

    def __init__(self, *, places: int, negative: bool, **kwargs):
        super().__init__(
            max_digits=MAX_DIGITS,
            decimal_places=places,
            min_value=None if negative else Decimal(0),
            allow_null=True,
            required=False,
            **kwargs,
        )


class NumberFieldType(FieldType):
    type = "number"
    search_characters = NUMBER_CHARACTERS
    can_have_db_index = True
    history_options = (
        "number_decimal_places",
        "number_negative",
        "number_prefix",
        "number_suffix",
        "number_separator",
    )

    def option_fields(self):
        return {
            "number_decimal_places": serializers.IntegerField(default=0, min_value=0, max_value=10),
            "number_negative": serializers.BooleanField(default=False),
            "number_prefix": serializers.CharField(
                default="", allow_blank=True, max_length=10, required=False
            ),
            "number_suffix": serializers.CharField(
                default="", allow_blank=True, max_length=10, required=False
            ),
            "number_separator": serializers.ChoiceField(
                choices=SEPARATORS, default="", required=False
            ),
            "number_default": serializers.DecimalField(
                max_digits=MAX_DIGITS, decimal_places=10, allow_null=True, default=None
            ),
        }

    def response_options(self, field):
        options = super().response_options(field)
        if options["number_default"] is not None:
            options["number_default"] = str(options["number_default"])
        return options

    def model_field(self, field, builder):
        return models.DecimalField(
            max_digits=MAX_DIGITS, decimal_places=_places(field), null=True, blank=True
        )

    def input_field(self, field):
        return NumberInput(
            places=_places(field), negative=bool(field.options.get("number_negative"))
        )

    def quick_input(self, field, prepared):
        places, negative = _places(field), bool(field.options.get("number_negative"))
        # Plain decimal text within the field's digits and places: exactly what the input
        # field accepts unchanged but for the padding to `places`.
        shape = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS - places}}}(?:\.[0-9]{{0,{places}}})?")
        exponent, context = Decimal(1).scaleb(-places), Context(prec=MAX_DIGITS)

        def check(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is int:
                value = str(value)
            if type(value) is not str or not shape.fullmatch(value):
                return NOT_QUICK
            number = Decimal(value)
            if number < 0 and not negative:
                return NOT_QUICK
            return number.quantize(exponent, context=context)

        return check

    def default_value(self, field) -> Any:
        default = field.options.get("number_default")
        return None if default is None else _quantize(Decimal(str(default)), _places(field))

    def output_value(self, field, row) -> Any:
        return _number_text(getattr(row, field.db_column), _places(field))

    def column_output(self, field):
        return ColumnOutput(field.db_column, convert=_number_texts(_places(field)), text=True)

    def openapi_schema(self, field, *, for_request):
        places = _places(field)
        sign = "" if field.options.get("number_negative") else "non-negative "
        description = f"A {sign}decimal number with {places} decimal places, as a string."
        if for_request:
            description = description.replace("as a string", "as a string or a JSON number")
        return {"type": "string", "format": "decimal", "nullable": True, "description": description}

    def example_value(self, field, *, for_request):
        return str(_quantize(Decimal("12.345678901"), _places(field)))

    def after_update(self, old_field, field, options):
        if old_field.type == field.type and _places(old_field) != _places(field):
            # The column's scale changes: move the values through the conversion machinery.
            table_models.convert_field_storage(old_field, field)
        return []

    def sql_conversion(self, old_field, new_field):
        # PostgreSQL rounds numeric half away from zero, as ROUND_HALF_UP does; SQLite keeps
        # decimals as floats, so it goes through Python.
        if old_field.type == "number" and connection.vendor == "postgresql":
            target = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=_places(new_field))
            return Cast(F(old_field.db_column), target)
        return None

    def to_text(self, field, value):
        return None if value is None else str(_quantize(Decimal(value), _places(field)))

    def from_text(self, field, text):
        if text is None:
            return None
        cleaned = "".join(ch for ch in text.replace(",", ".") if ch.isdigit() or ch in ".-")
        try:
            number = _quantize(Decimal(cleaned), _places(field))
        except (InvalidOperation, ValueError):
            return None
        if number < 0 and not field.options.get("number_negative"):
            return None
        if len(number.as_tuple().digits) > MAX_DIGITS:
            return None
        return number


FIELD_TYPES = [NumberFieldType()]
