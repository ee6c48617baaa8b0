"""Aggregations of a grid view's footer: one value per field over the rows the view shows.

Counts of empty cells reuse the `empty` filter type, so "empty" means the same everywhere.
"""

from typing import Any, ClassVar

from django.db import models
from django.db.models import Avg, Count, Max, Min, StdDev, Sum, Variance
from django.db.models.functions import Cast

from database.fields.models import Field
from database.registry import Registry
from database.rows.filters import register_builtin_filter_types
from database.rows.filters.registry import DATE_TYPES, TEXT_TYPES, Cell, view_filter_types

NUMERIC = frozenset({"number", "rating", "autonumber"})
COLUMN_TYPES = NUMERIC | DATE_TYPES | TEXT_TYPES


class AggregationType:
    """One footer aggregation. A new one is a class plus an entry in AGGREGATION_TYPES."""

    type: ClassVar[str]
    compatible_field_types: ClassVar[frozenset[str]] = frozenset()

    def is_compatible(self, field: Field) -> bool:
        return field.type in self.compatible_field_types

    def compute(self, queryset: models.QuerySet, field: Field) -> Any:
        raise NotImplementedError


def _empty_q(queryset: models.QuerySet, field: Field) -> models.Q:
    register_builtin_filter_types()
    return view_filter_types.get("empty").get_filter(Cell.of(queryset.model, field), "")


def _column(queryset: models.QuerySet, field: Field) -> str:
    return Cell.of(queryset.model, field).path


class EmptyCount(AggregationType):
    type = "empty_count"
    negate: ClassVar[bool] = False

    def is_compatible(self, field):
        register_builtin_filter_types()
        return view_filter_types.get("empty").is_compatible(field)

    def compute(self, queryset, field):
        condition = _empty_q(queryset, field)
        matching = queryset.exclude(condition) if self.negate else queryset.filter(condition)
        return matching.count()


class NotEmptyCount(EmptyCount):
    type = "not_empty_count"
    negate = True


class EmptyPercentage(EmptyCount):
    type = "empty_percentage"

    def compute(self, queryset, field):
        total = queryset.count()
        return round(100 * super().compute(queryset, field) / total, 2) if total else 0


class NotEmptyPercentage(EmptyPercentage):
    type = "not_empty_percentage"
    negate = True


class CheckedCount(AggregationType):
    type = "checked_count"
    compatible_field_types = frozenset({"boolean"})
    checked: ClassVar[bool] = True

    def compute(self, queryset, field):
        return queryset.filter(**{_column(queryset, field): self.checked}).count()


class NotCheckedCount(CheckedCount):
    type = "not_checked_count"
    checked = False

    def compute(self, queryset, field):
        return queryset.count() - CheckedCount().compute(queryset, field)


class UniqueCount(AggregationType):
    type = "unique_count"
    compatible_field_types = COLUMN_TYPES | {"boolean", "single_select"}

    def compute(self, queryset, field):
        column = _column(queryset, field)
        distinct = Count(column, distinct=True)
        return queryset.order_by().aggregate(value=distinct)["value"]


class ColumnAggregate(AggregationType):
    """An SQL aggregate over the field's column, ignoring empty cells."""

    function: ClassVar[type[models.Aggregate]]
    compatible_field_types = NUMERIC
    # SQLite computes these in Python over floats; decimals would break it.
    as_float: ClassVar[bool] = False

    def compute(self, queryset, field):
        path = _column(queryset, field)
        column: Any = Cast(path, models.FloatField()) if self.as_float else path
        present = queryset.order_by().filter(**{f"{path}__isnull": False})
        value = present.aggregate(value=self.function(column))["value"]
        if isinstance(value, float):
            return round(value, 10)
        return value


def _aggregate(name: str, function, types=NUMERIC, as_float=False) -> AggregationType:
    return type(
        f"{function.__name__}Aggregation",
        (ColumnAggregate,),
        {"type": name, "function": function, "compatible_field_types": types, "as_float": as_float},
    )()


AGGREGATION_TYPES = [
    EmptyCount(),
    NotEmptyCount(),
    EmptyPercentage(),
    NotEmptyPercentage(),
    CheckedCount(),
    NotCheckedCount(),
    UniqueCount(),
    _aggregate("min", Min),
    _aggregate("max", Max),
    _aggregate("sum", Sum),
    _aggregate("average", Avg),
    _aggregate("std_dev", StdDev, as_float=True),
    _aggregate("variance", Variance, as_float=True),
    _aggregate("earliest_date", Min, DATE_TYPES),
    _aggregate("latest_date", Max, DATE_TYPES),
]

aggregation_types: Registry[AggregationType] = Registry("view aggregation")
for _aggregation in AGGREGATION_TYPES:
    aggregation_types.register(_aggregation)
