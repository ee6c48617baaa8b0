"""The boolean filter: "" means false, unlike the value filters."""

from database.fields.types.boolean import TRUE_TEXTS
from database.rows.filters.registry import ViewFilterType, match_none

FALSE_TEXTS = {"", "0", "f", "false", "n", "no", "off", "unchecked"}


class BooleanFilterType(ViewFilterType):
    type = "boolean"
    compatible_field_types = frozenset({"boolean"})
    empty_is_noop = False

    def build(self, cell, value):
        text = value.strip().lower()
        if text in TRUE_TEXTS:
            return cell.q("exact", True)
        if text in FALSE_TEXTS:
            return ~cell.q("exact", True)  # NULL reads as false
        return match_none()


FILTER_TYPES = [BooleanFilterType()]
