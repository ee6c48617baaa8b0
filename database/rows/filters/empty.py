"""empty / not_empty: null, "", no items, false and unrated count as empty."""

from django.db.models import Exists, OuterRef, Q, lookups

from database.fields.models import SelectOption
from database.fields.types import links
from database.fields.types.file import FileCount
from database.rows.filters.registry import (
    DATE_TYPES,
    NUMBER_TYPES,
    TEXT_TYPES,
    Cell,
    ViewFilterType,
    match_none,
    negated,
)
from database.rows.filters.text import through_model


def lookup_relation(cell: Cell):
    """The relation model a lookup cell reads its items through, or None when it is broken."""
    return links.relation_model(cell.model, f"lookup_{cell.field.id}_links")


def is_empty(cell: Cell) -> Q:
    if cell.type in TEXT_TYPES:
        return cell.is_null() | cell.q("exact", "")
    if cell.type == "rating":
        return cell.is_null() | cell.q("exact", 0)
    if cell.type == "boolean":
        return ~cell.q("exact", True)
    if cell.type == "single_select":
        live = SelectOption.objects.filter(field_id=cell.field.id).values("id")
        return cell.is_null() | ~cell.q("in", live)
    if cell.type == "multiple_select":
        return Q(~Exists(through_model(cell).objects.filter(row_id=OuterRef("pk"))))
    if cell.type == "link_row":
        linked = through_model(cell).objects.filter(src=OuterRef("pk"), tgt__trashed=False)
        return Q(~Exists(linked))
    if cell.type == "file":
        return Q(lookups.Exact(FileCount(cell.path), 0))
    if cell.type == "lookup":
        relation = lookup_relation(cell)
        if relation is None:
            return ~match_none()
        linked = relation.objects.filter(src=OuterRef("pk"), tgt__trashed=False)
        return Q(~Exists(linked))
    return cell.is_null()  # numbers, durations, dates; never for timestamps and counts


class EmptyFilterType(ViewFilterType):
    type = "empty"
    compatible_field_types = (
        TEXT_TYPES
        | NUMBER_TYPES
        | DATE_TYPES
        | {"boolean", "single_select", "multiple_select", "link_row", "lookup", "file"}
    )
    empty_is_noop = False

    def build(self, cell, value):
        return is_empty(cell)


_empty = EmptyFilterType()
FILTER_TYPES = [_empty, negated("not_empty", _empty)]
