"""Row query parameters: field references, `order_by`, `include`/`exclude` and `search`."""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import models

from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.errors import OrderByFieldNotFound, OrderByFieldNotPossible

TRUE_FLAGS = {"", "y", "yes", "true", "t", "on", "1"}


def query_flag(value: str | None) -> bool:
    """A boolean query parameter: present and empty, or one of the truthy spellings."""
    return value is not None and value.strip().lower() in TRUE_FLAGS


def without_nul(text: str | None) -> str | None:
    """Query text without NUL characters, which no text column can hold (nor be searched for)."""
    return text.replace("\x00", "") if text is not None else None


def split_names(text: str) -> list[str]:
    """A comma list where double quotes protect commas and `\\"` is a literal quote."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and text[index + 1 : index + 2] == '"':
            current.append('"')
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def table_fields(model: type[models.Model]) -> list[Field]:
    """The fields of a table model in their display order."""
    return sorted(model._fields.values(), key=lambda field: (field.order, field.id))


def field_by_reference(
    fields: Iterable[Field], reference: str, *, user_field_names: bool
) -> Field | None:
    """`field_<id>` or `<id>`, or the field's name with `user_field_names`."""
    fields = list(fields)
    if user_field_names:
        return next((field for field in fields if field.name == reference), None)
    text = reference.removeprefix("field_")
    if not text.isdigit():
        return None
    return next((field for field in fields if field.id == int(text)), None)


def selected_fields(
    fields: list[Field], *, include: str | None, exclude: str | None, user_field_names: bool
) -> list[Field]:
    """The fields `include` keeps and `exclude` drops; unknown references are ignored.

    A selection that keeps no field at all gives every field, as Baserow does (its empty
    selection reads as none made): e.g. an `include` of a field deleted meanwhile.
    """
    every = fields
    if include is not None:
        wanted = {
            found.id
            for name in split_names(include)
            if (found := field_by_reference(fields, name, user_field_names=user_field_names))
        }
        fields = [field for field in fields if field.id in wanted]
    if exclude is not None:
        unwanted = {
            found.id
            for name in split_names(exclude)
            if (found := field_by_reference(fields, name, user_field_names=user_field_names))
        }
        fields = [field for field in fields if field.id not in unwanted]
    return fields or every


def order_by_expressions(
    model: type[models.Model],
    order_by: str | None,
    *,
    user_field_names: bool,
    fields: list[Field] | None = None,
) -> list:
    """The ORDER BY of `order_by`, then the row's `order` and `id` as tiebreakers.

    Only `fields` (default: all the table's) may be sorted on: a listing's `include` and
    `exclude` narrow them, as in Baserow.
    """
    expressions = []
    fields = table_fields(model) if fields is None else fields
    for entry in split_names(order_by or ""):
        descending = entry.startswith("-")
        reference = entry[1:] if entry[:1] in "-+" else entry
        sort_type = "default"
        if reference.endswith("]") and "[" in reference:
            reference, _, sort_type = reference[:-1].rpartition("[")
        field = field_by_reference(fields, reference, user_field_names=user_field_names)
        if field is None:
            raise OrderByFieldNotFound(entry)  # as given, sign and sort type included
        field_type = field_types.get(field.type)
        expression = field_type.sorted_by(field, model, sort_type)
        if expression is None:
            shown = field.name if user_field_names else field.db_column
            raise OrderByFieldNotPossible(shown, field.type, sort_type)
        # Empty cells come first ascending and last descending, on every engine.
        expressions.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_first=True)
        )
    return [*expressions, models.F("order").asc(), models.F("id").asc()]


def search_q(model: type[models.Model], term: str) -> models.Q:
    """Rows with a searchable cell containing `term`, case-insensitively, in SQL."""
    digits = term.strip()
    conditions = [models.Q(id=int(digits))] if digits.isdigit() and len(digits) < 19 else []
    for field in table_fields(model):
        condition = field_types.get(field.type).search_q(field, term, model)
        if condition is not None:
            conditions.append(condition)
    return reduce(or_, conditions) if conditions else models.Q(pk__in=[])
