"""has_* filters on lookups: whether any (or every) looked-up item passes a plain filter."""

from django.db.models import Exists, OuterRef, Q

from database.rows.filters.empty import lookup_relation
from database.rows.filters.errors import ViewFilterTypeUnsupportedField
from database.rows.filters.registry import (
    Cell,
    ViewFilterType,
    match_none,
    negated,
    view_filter_types,
)


class HasValueFilterType(ViewFilterType):
    """Some live item of the lookup passes the filter `inner` on the looked-up field."""

    compatible_field_types = frozenset({"lookup"})
    empty_is_noop = False  # the inner filter decides

    def __init__(self, name: str, inner: str) -> None:
        self.type, self.inner = name, inner

    def inner_type(self, target) -> ViewFilterType:
        name = self.inner
        if name == "equal" and target.type == "boolean":
            name = "boolean"
        elif name == "equal" and target.type == "single_select":
            name = "single_select_equal"
        inner = view_filter_types.get(name)
        if not inner.is_compatible(target):
            raise ViewFilterTypeUnsupportedField(self.type, f"lookup of {target.type}")
        return inner

    def get_filter(self, cell, value):
        relation = lookup_relation(cell)
        if relation is None:  # a broken lookup has no items
            return match_none()
        target = relation.target_field
        item = Cell.of(relation, target, prefix="tgt__")
        passes = self.inner_type(target).get_filter(item, value)
        if not passes:
            return Q()
        items = relation.objects.filter(src=OuterRef("pk"), tgt__trashed=False)
        return self.combine(items, passes)

    def combine(self, items, passes: Q) -> Q:
        return Q(Exists(items.filter(passes)))


class HasAllValuesFilterType(HasValueFilterType):
    """The lookup has items and every one passes the inner filter."""

    def combine(self, items, passes):
        return Q(Exists(items)) & Q(~Exists(items.filter(~passes)))


INNER = {
    "value_equal": "equal",
    "value_contains": "contains",
    "value_contains_word": "contains_word",
    "empty_value": "empty",
    "value_higher": "higher_than",
    "value_higher_or_equal": "higher_than_or_equal",
    "value_lower": "lower_than",
    "value_lower_or_equal": "lower_than_or_equal",
    "date_equal": "date_is",
    "date_before": "date_is_before",
    "date_on_or_before": "date_is_on_or_before",
    "date_after": "date_is_after",
    "date_on_or_after": "date_is_on_or_after",
    "date_within": "date_is_within",
}


def _build() -> list[ViewFilterType]:
    types: list[ViewFilterType] = []
    for suffix, inner in INNER.items():
        positive = HasValueFilterType(f"has_{suffix}", inner)
        types += [positive, negated(f"has_not_{suffix}", positive)]
    any_option = HasValueFilterType("has_any_select_option_equal", "single_select_is_any_of")
    types += [
        any_option,
        negated("has_none_select_option_equal", any_option),
        HasValueFilterType("has_value_length_is_lower_than", "length_is_lower_than"),
        HasAllValuesFilterType("has_all_values_equal", "equal"),
    ]
    return types


FILTER_TYPES = _build()
