"""single_select and multiple_select filters: by option id."""

from django.db.models import Exists, OuterRef, Q

from database.rows.filters.registry import ViewFilterType, match_none, negated, parse_int
from database.rows.filters.text import through_model


class SingleSelectEqualFilterType(ViewFilterType):
    type = "single_select_equal"
    compatible_field_types = frozenset({"single_select"})

    def build(self, cell, value):
        option_id = parse_int(value)
        return match_none() if option_id is None else cell.q("exact", option_id)


class SingleSelectIsAnyOfFilterType(ViewFilterType):
    type = "single_select_is_any_of"
    compatible_field_types = frozenset({"single_select"})

    def build(self, cell, value):
        ids = [parse_int(part) for part in value.split(",") if part.strip()]
        if not ids or None in ids:
            return match_none()
        return cell.q("in", ids)


class MultipleSelectHasFilterType(ViewFilterType):
    type = "multiple_select_has"
    compatible_field_types = frozenset({"multiple_select"})

    def build(self, cell, value):
        option_id = parse_int(value)
        if option_id is None:
            return match_none()
        chosen = through_model(cell).objects.filter(row_id=OuterRef("pk"), option_id=option_id)
        return Q(Exists(chosen))


_equal, _any_of = SingleSelectEqualFilterType(), SingleSelectIsAnyOfFilterType()
_has = MultipleSelectHasFilterType()
FILTER_TYPES = [
    _equal,
    negated("single_select_not_equal", _equal),
    _any_of,
    negated("single_select_is_none_of", _any_of),
    _has,
    negated("multiple_select_has_not", _has),
]
