"""Cell values in and out: validate client values per field type, serialize rows to JSON."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import prefetch_related_objects
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from api.validation import serialize_errors
from database.fields.models import Field
from database.fields.registry import NOT_QUICK, field_types
from database.fields.types.links import order_text


def writable_fields(model: type[models.Model]) -> list[Field]:
    return [f for f in model._fields.values() if not field_types.get(f.type).read_only]


class CellsValidator:
    """Validates the writable cells (keyed `field_<id>`) of the rows of one write.

    Made once per write from all its items: each type first looks up once what validating
    their values needs (`prepare_batch`), so that any number of items is validated without
    queries of its own. A cell in a shape its type checks quickly (`quick_input`) skips DRF;
    an item with any other cell goes through the serializer, which words every error.
    """

    def __init__(self, model: type[models.Model], items: list[dict[str, Any]]) -> None:
        self.quick: dict[str, Any] = {}
        # (field, its type, what prepare_batch gave, whether values were given) per column.
        self._plan: list[tuple[Field, Any, Any, bool]] = []
        for field in writable_fields(model):
            field_type = field_types.get(field.type)
            column = field.db_column
            given = [item[column] for item in items if column in item]
            prepared = field_type.prepare_batch(field, given) if given else None
            self._plan.append((field, field_type, prepared, bool(given)))
            check = field_type.quick_input(field, prepared) if given else None
            if check is not None:
                self.quick[field.db_column] = check
        self._serializer: serializers.Serializer | None = None

    @property
    def serializer(self) -> serializers.Serializer:
        """Made on first use (when all cells are quick, never): one instance without data
        validates item after item, as a list serializer's child does, its fields copied once."""
        if self._serializer is None:
            attrs = {
                field.db_column: (
                    field_type.batch_input_field(field, prepared)
                    if given
                    else field_type.input_field(field)
                )
                for field, field_type, prepared, given in self._plan
            }
            serializer_class = type("RowValuesSerializer", (serializers.Serializer,), attrs)
            self._serializer = serializer_class()
        return self._serializer

    def validate(self, values: dict[str, Any]) -> dict[str, Any]:
        """The validated cells of one item, or the contract's body validation error."""
        validated = {}
        for key, value in values.items():
            check = self.quick.get(key)
            result = NOT_QUICK if check is None else check(value)
            if result is NOT_QUICK:
                break
            validated[key] = result
        else:
            return validated
        try:
            return dict(self.serializer.run_validation(values))
        except serializers.ValidationError as exc:
            raise RequestBodyValidationError(serialize_errors(exc.detail)) from None


# Row columns that only some field types show: not read unless one of the fields does, as
# parsing two timestamps per row is a good part of the time a page of rows takes.
ROW_TIMESTAMPS = ("created_on", "updated_on")


def rows_queryset(model: type[models.Model], fields: Iterable[Field] | None = None):
    """The rows with what their cells need prefetched, in a constant number of queries."""
    fields = list(fields if fields is not None else model._fields.values())
    queryset = model.objects.filter(trashed=False)
    shown = {name for field in fields for name in field_types.get(field.type).row_columns(field)}
    unread = [name for name in ROW_TIMESTAMPS if name not in shown]
    if unread:
        queryset = queryset.defer(*unread)
    for field in fields:
        queryset = field_types.get(field.type).prefetch(queryset, field)
    return queryset


def rows_with_cells(
    model: type[models.Model], rows: list[models.Model], fields: Iterable[Field] | None = None
) -> list[models.Model]:
    """Rows built from their own columns (as `INSERT … RETURNING` gives them), completed with
    what `rows_queryset` would have read for their cells: its prefetches run on them.

    When a field type annotates rows instead (a value computed in the rows query), the rows are
    read again through `rows_queryset`.
    """
    if fields is None:
        # The same for every write of the model: kept on its class, as made once.
        queryset = model.__dict__.get("_rows_queryset")
        if queryset is None:
            queryset = model._rows_queryset = rows_queryset(model)
    else:
        queryset = rows_queryset(model, fields)
    if queryset.query.annotations:
        by_id = {row.id: row for row in queryset.filter(id__in=[row.id for row in rows])}
        return [by_id[row.id] for row in rows]
    # The lookups the field types' `prefetch` added (QuerySet keeps them in this attribute).
    lookups = queryset._prefetch_related_lookups
    if lookups:
        prefetch_related_objects(rows, *lookups)
    return rows


def row_to_json(row: models.Model, fields: Iterable[Field] | None = None) -> dict[str, Any]:
    """`{"id", "order", "field_<id>": value, ...}` as the contract gives rows."""
    fields = list(fields if fields is not None else row._fields.values())
    return rows_to_json([row], fields)[0]


def rows_to_json(
    rows: Iterable[models.Model], fields: list[Field], *, user_field_names: bool = False
) -> list[dict[str, Any]]:
    """The rows as `row_to_json` gives them, keyed by field name with `user_field_names`.

    What each cell needs (its key, its type's serializer) is looked up once for all rows.
    """
    plan = [
        (field.name if user_field_names else field.db_column, field_types.get(field.type), field)
        for field in fields
    ]
    results = []
    for row in rows:
        data: dict[str, Any] = {"id": row.id, "order": order_text(row.order)}
        for key, field_type, field in plan:
            data[key] = field_type.output_value(field, row)
        results.append(data)
    return results
