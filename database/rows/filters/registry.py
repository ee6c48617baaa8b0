"""Filter types: each turns (field, value) into a Q over the rows of a table model.

A filter reads its field through a `Cell`: the ORM path of the field's column from the model
being filtered (a row's own column, or `tgt__<column>` inside a relation table when a lookup
or link filters on the linked rows), or an SQL expression for computed fields (count).

Every Q a filter type returns is two-valued (never SQL NULL), so a negated type is simply `~Q`.
An empty `Q()` means "no filter": it drops out of its AND/OR group, as Baserow drops empty ones.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q, lookups

from database.fields.models import Field
from database.fields.types.date import include_time
from database.registry import Registry

# Field types whose cell is a row's own timestamp column rather than `field_<id>`.
ROW_TIMESTAMPS = {"created_on": "created_on", "last_modified": "updated_on"}
TEXT_TYPES = frozenset({"text", "long_text", "url", "email", "phone_number"})
INTEGER_TYPES = frozenset({"rating", "autonumber", "count"})
NUMBER_TYPES = frozenset({"number", "duration"}) | INTEGER_TYPES
DATE_TYPES = frozenset({"date", "created_on", "last_modified"})
MAX_SQL_INTEGER = 2**63 - 1
MAX_DIGITS = 100

_LOOKUPS = {
    "exact": lookups.Exact,
    "gt": lookups.GreaterThan,
    "gte": lookups.GreaterThanOrEqual,
    "lt": lookups.LessThan,
    "lte": lookups.LessThanOrEqual,
    "in": lookups.In,
}


def match_none() -> Q:
    """A Q no row matches (Django compiles it to nothing, also inside OR groups)."""
    return Q(pk__in=[])


@dataclass(frozen=True)
class Cell:
    """Where a filter reads one field's value from, relative to `model`."""

    model: type[models.Model]
    field: Field
    path: str = ""
    expression: Any = None

    @classmethod
    def of(cls, model: type[models.Model], field: Field, prefix: str = "") -> "Cell":
        if field.type == "count":
            from database.rows.filters.numeric import count_expression

            return cls(model, field, expression=count_expression(model, field))
        column = ROW_TIMESTAMPS.get(field.type, field.db_column)
        return cls(model, field, path=f"{prefix}{column}")

    @property
    def type(self) -> str:
        return self.field.type

    @property
    def has_time(self) -> bool:
        return self.type in ROW_TIMESTAMPS or (self.type == "date" and include_time(self.field))

    def value(self) -> Any:
        """The cell as an expression."""
        return self.expression if self.expression is not None else models.F(self.path)

    def q(self, lookup: str, value: Any) -> Q:
        """`cell <lookup> value`, false (not NULL) where the cell is NULL."""
        if self.expression is not None:
            return Q(_LOOKUPS[lookup](self.expression, value))
        return Q(**{f"{self.path}__{lookup}": value}) & self.not_null()

    def not_null(self) -> Q:
        if self.expression is not None:
            return Q()
        return Q(**{f"{self.path}__isnull": False})

    def is_null(self) -> Q:
        if self.expression is not None:
            return match_none()
        return Q(**{f"{self.path}__isnull": True})


class ViewFilterType:
    """One kind of filter. A new one is a class plus an entry in its module's FILTER_TYPES."""

    type: ClassVar[str]
    compatible_field_types: ClassVar[frozenset[str]] = frozenset()
    # Whether an empty value filters nothing (most do; `empty`, `boolean` and friends do not).
    empty_is_noop: ClassVar[bool] = True

    def is_compatible(self, field: Field) -> bool:
        return field.type in self.compatible_field_types

    def get_filter(self, cell: Cell, value: str) -> Q:
        """The Q of this filter on the cell; called only for compatible fields."""
        if self.empty_is_noop and value.strip() == "":
            return Q()
        return self.build(cell, value.strip() if self.empty_is_noop else value)

    def build(self, cell: Cell, value: str) -> Q:
        raise NotImplementedError


class NegatedFilterType(ViewFilterType):
    """The opposite of another filter type: the rows it does not match."""

    positive: ClassVar[ViewFilterType]

    def is_compatible(self, field: Field) -> bool:
        return self.positive.is_compatible(field)

    def get_filter(self, cell: Cell, value: str) -> Q:
        q = self.positive.get_filter(cell, value)
        return ~q if q else q


def negated(name: str, positive: ViewFilterType) -> ViewFilterType:
    """A registered type named `name` matching what `positive` does not."""
    cls = type(
        f"Not{type(positive).__name__}",
        (NegatedFilterType,),
        {"type": name, "positive": positive},
    )
    return cls()


def parse_decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    # Far beyond any column's digits (and too big to turn into an int cheaply): unparseable.
    return number if number.is_finite() and number.adjusted() <= MAX_DIGITS else None


def parse_int(text: str) -> int | None:
    """A whole number that fits a 64-bit SQL integer (ids, counts, lengths), else None."""
    text = text.strip()
    if not text.lstrip("-").isdigit():
        return None
    number = int(text)
    return number if abs(number) <= MAX_SQL_INTEGER else None


view_filter_types: Registry[ViewFilterType] = Registry("view filter")
