"""equal, contains, whole words and length: on text, and on the display text of other types."""

from django.db import models
from django.db.models import Exists, OuterRef, Q, lookups
from django.db.models.functions import Coalesce, Length

from database.fields.models import SelectOption
from database.rows.filters import sql
from database.rows.filters.display import date_text
from database.rows.filters.numeric import compare, number_of
from database.rows.filters.registry import (
    DATE_TYPES,
    INTEGER_TYPES,
    NUMBER_TYPES,
    TEXT_TYPES,
    Cell,
    ViewFilterType,
    match_none,
    negated,
    parse_int,
)

SHOWN_AS_NUMBER = frozenset({"number"}) | INTEGER_TYPES
_TEXT_LOOKUPS = {"icontains": lookups.IContains, "iregex": lookups.IRegex}


def through_model(cell: Cell):
    """The relation model of a multiple_select or link_row cell, reached from its row."""
    return cell.model._meta.get_field(cell.field.db_column).remote_field.through


def displayed_text_matches(cell: Cell, lookup: str, pattern: str) -> Q:
    """Whether the text the cell shows matches (`icontains` or `iregex`) the pattern."""
    if cell.type in TEXT_TYPES:
        return cell.q(lookup, pattern)
    if cell.type in SHOWN_AS_NUMBER:
        if cell.type == "number":
            text = sql.decimal_text(
                cell.value(), int(cell.field.options.get("number_decimal_places", 0))
            )
        else:
            text = sql.integer_text(cell.value())
        return Q(_TEXT_LOOKUPS[lookup](text, pattern)) & cell.not_null()
    if cell.type in DATE_TYPES:
        return Q(_TEXT_LOOKUPS[lookup](date_text(cell), pattern)) & cell.not_null()
    if cell.type == "single_select":
        options = SelectOption.objects.filter(
            field_id=cell.field.id, **{f"value__{lookup}": pattern}
        )
        return Q(**{f"{cell.path}__in": options.values("id")})
    if cell.type == "multiple_select":
        chosen = through_model(cell).objects.filter(
            row_id=OuterRef("pk"), **{f"option__value__{lookup}": pattern}
        )
        return Q(Exists(chosen))
    if cell.type == "link_row":
        return linked_rows_match(cell, lambda name: displayed_text_matches(name, lookup, pattern))
    return match_none()


def linked_rows_match(cell: Cell, condition) -> Q:
    """Whether some live linked row's primary field (as a Cell) satisfies `condition`."""
    through = through_model(cell)
    primary = through.primary_field
    # The linked table's model holds its primary's column only; relation-held values are absent.
    if primary is None or primary.type in ("multiple_select", "link_row", "lookup"):
        return match_none()
    inner = condition(Cell.of(through, primary, prefix="tgt__"))
    rows = through.objects.filter(src=OuterRef("pk"), tgt__trashed=False).filter(inner)
    return Q(Exists(rows))


class EqualFilterType(ViewFilterType):
    type = "equal"
    compatible_field_types = TEXT_TYPES | NUMBER_TYPES

    def build(self, cell, value):
        if cell.type in TEXT_TYPES:
            return cell.q("exact", value)
        number = number_of(cell, value)
        return match_none() if number is None else compare(cell, "exact", number)


class ContainsFilterType(ViewFilterType):
    type = "contains"
    compatible_field_types = (
        TEXT_TYPES | SHOWN_AS_NUMBER | DATE_TYPES | {"single_select", "multiple_select", "link_row"}
    )

    def build(self, cell, value):
        return displayed_text_matches(cell, "icontains", value)


class ContainsWordFilterType(ViewFilterType):
    type = "contains_word"
    compatible_field_types = TEXT_TYPES | {"single_select", "multiple_select"}

    def build(self, cell, value):
        return displayed_text_matches(cell, "iregex", sql.word_regex(value))


class LengthIsLowerThanFilterType(ViewFilterType):
    type = "length_is_lower_than"
    compatible_field_types = TEXT_TYPES

    def build(self, cell, value):
        limit = parse_int(value)
        if limit is None:
            return match_none()
        length = Coalesce(Length(cell.value()), 0, output_field=models.IntegerField())
        return Q(lookups.LessThan(length, limit))


_equal, _contains, _word = EqualFilterType(), ContainsFilterType(), ContainsWordFilterType()
FILTER_TYPES = [
    _equal,
    negated("not_equal", _equal),
    _contains,
    negated("contains_not", _contains),
    _word,
    negated("doesnt_contain_word", _word),
    LengthIsLowerThanFilterType(),
]
