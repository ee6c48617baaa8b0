"""Row writes."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Max

from database import table_models
from database.fields.registry import field_types
from database.rows.values import validate_values, writable_fields
from database.tables.models import Table


@transaction.atomic
def rows_create_unchecked(*, table: Table, rows: list[dict[str, Any]]) -> list[models.Model]:
    """Insert rows at the end of the table; values keyed `field_<id>`, validated per type.

    The caller has passed the permission gate. Omitted cells get their field's default.
    """
    table = table_models.lock_table_for_rows(table)
    model = table_models.get_model(table)
    fields = writable_fields(model)
    validated = [validate_values(model, values) for values in rows]
    highest = model.objects.aggregate(m=Max("order"))["m"] or 0
    instances = []
    for position, values in enumerate(validated, start=1):
        instance = model(order=int(highest) + position)
        for field in fields:
            field_type = field_types.get(field.type)
            if field.db_column in values and not _is_relation(model, field):
                setattr(instance, field.db_column, field_type.to_db(field, values[field.db_column]))
            elif not _is_relation(model, field) and field_type.has_column:
                setattr(instance, field.db_column, field_type.default_value(field))
        instances.append(instance)
    for field in model._fields.values():
        field_types.get(field.type).fill_new_rows(field, model, instances)
    created = model.objects.bulk_create(instances)
    for instance, values in zip(created, validated, strict=True):
        for field in fields:
            if _is_relation(model, field):
                value = values.get(
                    field.db_column, field_types.get(field.type).default_value(field)
                )
                field_types.get(field.type).set_relations(instance, field, value)
    return created


def _is_relation(model: type[models.Model], field) -> bool:
    try:
        return model._meta.get_field(field.db_column).many_to_many
    except FieldDoesNotExist:  # a type without storage of its own
        return False
