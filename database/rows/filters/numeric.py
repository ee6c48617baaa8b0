"""Numeric comparisons, evenness, and the value of count fields as an SQL expression."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Mod

from database.fields.types import links
from database.fields.types.duration import parse_duration
from database.rows.filters.registry import (
    INTEGER_TYPES,
    MAX_SQL_INTEGER,
    NUMBER_TYPES,
    Cell,
    ViewFilterType,
    match_none,
    parse_decimal,
)


def count_expression(model: type[models.Model], field) -> models.Expression:
    """The number of live rows a count field's link points at, per row of `model`."""
    relation = links.relation_model(model, f"count_{field.id}_links")
    if relation is None:  # the link is gone: the count shows nothing
        return Value(0)
    return links.live_links_count(relation)


def number_of(cell: Cell, text: str) -> Decimal | None:
    """The filter value as a number of the cell's kind (seconds for durations)."""
    if cell.type == "duration":
        return parse_duration(text)
    return parse_decimal(text)


def compare(cell: Cell, lookup: str, number: Decimal) -> Q:
    """`cell <lookup> number`; whole-number cells compare with the nearest whole bound."""
    if cell.type in INTEGER_TYPES and number != number.to_integral_value():
        if lookup == "exact":
            return match_none()
        rounding = ROUND_FLOOR if lookup in {"gt", "lte"} else ROUND_CEILING
        number = number.to_integral_value(rounding=rounding)
    if cell.type in INTEGER_TYPES:
        # Beyond any stored whole number: clamped, so the SQL integer parameter fits.
        return cell.q(lookup, max(-MAX_SQL_INTEGER, min(int(number), MAX_SQL_INTEGER)))
    return cell.q(lookup, number)


class NumericCompareFilterType(ViewFilterType):
    compatible_field_types = NUMBER_TYPES
    lookup: str

    def build(self, cell, value):
        number = number_of(cell, value)
        return match_none() if number is None else compare(cell, self.lookup, number)


class HigherThanFilterType(NumericCompareFilterType):
    type = "higher_than"
    lookup = "gt"


class HigherThanOrEqualFilterType(NumericCompareFilterType):
    type = "higher_than_or_equal"
    lookup = "gte"


class LowerThanFilterType(NumericCompareFilterType):
    type = "lower_than"
    lookup = "lt"


class LowerThanOrEqualFilterType(NumericCompareFilterType):
    type = "lower_than_or_equal"
    lookup = "lte"


class IsEvenAndWholeFilterType(ViewFilterType):
    type = "is_even_and_whole"
    compatible_field_types = frozenset({"number", "rating", "autonumber", "count"})
    empty_is_noop = False

    def build(self, cell, value):
        remainder = Mod(cell.value(), Value(2), output_field=models.DecimalField())
        return Q(models.lookups.Exact(remainder, 0)) & cell.not_null()


FILTER_TYPES = [
    HigherThanFilterType(),
    HigherThanOrEqualFilterType(),
    LowerThanFilterType(),
    LowerThanOrEqualFilterType(),
    IsEvenAndWholeFilterType(),
]
