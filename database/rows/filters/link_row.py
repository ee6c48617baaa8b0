"""link_row filters: by linked row id, or by the linked rows' primary text."""

from django.db.models import Exists, OuterRef, Q

from database.rows.filters.registry import ViewFilterType, match_none, negated, parse_int
from database.rows.filters.text import displayed_text_matches, linked_rows_match, through_model


class LinkRowHasFilterType(ViewFilterType):
    type = "link_row_has"
    compatible_field_types = frozenset({"link_row"})

    def build(self, cell, value):
        row_id = parse_int(value)
        if row_id is None:
            return match_none()
        links = through_model(cell).objects.filter(
            src=OuterRef("pk"), tgt_id=row_id, tgt__trashed=False
        )
        return Q(Exists(links))


class LinkRowContainsFilterType(ViewFilterType):
    type = "link_row_contains"
    compatible_field_types = frozenset({"link_row"})

    def build(self, cell, value):
        return linked_rows_match(
            cell, lambda primary: displayed_text_matches(primary, "icontains", value)
        )


_has, _contains = LinkRowHasFilterType(), LinkRowContainsFilterType()
FILTER_TYPES = [
    _has,
    negated("link_row_has_not", _has),
    _contains,
    negated("link_row_not_contains", _contains),
]
