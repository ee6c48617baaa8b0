"""Duplicate a field within its table (the `duplicate_field` job): the copy, then its cells."""

from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist as ModelFieldDoesNotExist
from django.db import connection, models, transaction

from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.selectors import field_get
from database.fields.services import MAX_NAME_LENGTH, field_create_unchecked, require_table_member
from database.tables.services import unused_name
from events import announce
from jobs.dispatch import job_start
from jobs.models import Job
from users.models import User


def _no_progress(percentage: int) -> None:
    """Progress reports go nowhere."""


def _row_column(model: type[models.Model], field: Field) -> str | None:
    """The column of the row itself holding the field's values, if the field has one."""
    try:
        model_field = model._meta.get_field(field.db_column)
    except ModelFieldDoesNotExist:
        return None
    return None if model_field.is_relation else model_field.column


def _copy_row_column(field: Field, copy: Field) -> None:
    """Every row's value of `field` into `copy`, in one UPDATE (trashed rows too)."""
    model = table_models.build_model(field.table)
    column, copy_column = _row_column(model, field), _row_column(model, copy)
    if column is None or copy_column is None:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(field.table.db_table)} SET {quote(copy_column)} = {quote(column)}"
        )


@transaction.atomic
def field_duplicate(
    *,
    user: User,
    field_id: int,
    duplicate_data: bool = False,
    progress: Callable[[int], None] = _no_progress,
) -> tuple[Field, list[Field]]:
    """Copy a field into its table as `<name> 2`, next to the others, with its cells if asked.

    Returns the copy and the other fields it changed (a link's new counterpart).
    """
    field = field_get(field_id=field_id)
    require_table_member(user=user, table=field.table)
    field_type = field_types.get(field.type)
    taken = Field.objects.filter(table_id=field.table_id).values_list("name", flat=True)
    progress(10)
    copy, related = field_create_unchecked(
        table=field.table,
        type=field.type,
        name=unused_name(name=field.name, taken=taken, max_length=MAX_NAME_LENGTH),
        options=field_type.copy_options(field, table_ids={}, field_ids={}),
        description=field.description,
        db_index=field.db_index,
    )
    progress(40)
    if duplicate_data:
        _copy_row_column(field, copy)
    field_type.copy_cells(field, copy, table_ids={}, field_ids={}, values=duplicate_data)
    table_models.bump_schema_version(copy.table)
    progress(90)
    copy = Field.objects.select_related("table__database__workspace").get(id=copy.id)
    announce("field_created", table_id=copy.table_id, user=user, field=copy, related_fields=related)
    return copy, related


def field_duplicate_async(*, user: User, field_id: int, duplicate_data: bool = False) -> Job:
    """Start a duplicate_field job; access is checked before it starts."""
    field = field_get(field_id=field_id)
    require_table_member(user=user, table=field.table)
    payload = {"field_id": field.id, "duplicate_data": duplicate_data}
    return job_start(user=user, type="duplicate_field", payload=payload)
