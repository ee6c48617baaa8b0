"""Reads of fields."""

from django.db.models import QuerySet

from database.fields.errors import FieldDoesNotExist
from database.fields.models import Field
from database.tables.models import Table


def field_get(*, field_id: int) -> Field:
    """The field with its table, database and workspace, or FieldDoesNotExist."""
    field = (
        Field.objects.select_related("table__database__workspace")
        .filter(
            id=field_id,
            table__database__trashed=False,
            table__database__workspace__trashed=False,
        )
        .first()
    )
    if field is None:
        raise FieldDoesNotExist()
    return field


def fields_list(*, table: Table) -> QuerySet[Field]:
    return Field.objects.filter(table=table).select_related("table__database")
