"""created_on and last_modified: a row's own timestamps, shown with the date field's options."""

from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.db.models.functions import TruncDate
from rest_framework import serializers

from database import table_models
from database.fields.registry import ColumnOutput, field_types
from database.fields.types.date import DateFieldType, field_zone, include_time

COPY_BATCH = 2000


class RowTimestampFieldType(DateFieldType):
    """Reads the row column `source`; the field has no column of its own."""

    read_only = True
    has_column = False
    can_have_db_index = False
    source: ClassVar[str]

    def model_field(self, field, builder):
        return None

    def input_field(self, field):
        return serializers.DateTimeField(read_only=True)

    def output_value(self, field, row) -> Any:
        return self.wire_value(field, getattr(row, self.source))

    def row_columns(self, field):
        return (self.source,)

    def column_output(self, field):
        return ColumnOutput(self.source, convert=self.wire_values(field), text=True)

    def openapi_schema(self, field, *, for_request):
        schema = super().openapi_schema(field, for_request=for_request)
        what = "created" if self.source == "created_on" else "last changed"
        return {**schema, "nullable": False, "description": f"Read-only: when the row was {what}."}

    def sort_expression(self, field, model, sort_type="default"):
        return F(self.source)

    def from_text(self, field, text):
        return None  # the value is computed, never parsed

    def sql_conversion(self, old_field, new_field):
        return None

    def after_update(self, old_field, field, options):
        return []

    def after_type_change(self, old_field, field):
        """Keep the timestamps as data in the column of the field's new type."""
        new_type = field_types.get(field.type)
        if new_type.read_only:
            return []
        model = table_models.build_model(field.table)
        try:
            column = model._meta.get_field(field.db_column)
        except FieldDoesNotExist:
            return []
        if column.many_to_many:
            return []
        if field.type == "date":
            source = F(self.source)
            if not include_time(field):
                source = TruncDate(source, tzinfo=field_zone(old_field))
            model.objects.update(**{field.db_column: source})
            return []
        rows = model.objects.order_by("id").values_list("id", self.source)
        batch: list[tuple[int, Any]] = []
        for row in rows.iterator(chunk_size=COPY_BATCH):
            batch.append(row)
            if len(batch) >= COPY_BATCH:
                self._write_texts(model, old_field, field, batch)
                batch = []
        self._write_texts(model, old_field, field, batch)
        return []

    def _write_texts(self, model, old_field, field, batch: list[tuple[int, Any]]) -> None:
        texts = self.to_texts(old_field, [value for _, value in batch])
        values = field_types.get(field.type).from_texts(field, texts)
        objects = []
        for (row_id, _), value in zip(batch, values, strict=True):
            if value is not None:
                objects.append(model(id=row_id, **{field.db_column: value}))
        if objects:
            model.objects.bulk_update(objects, [field.db_column], batch_size=COPY_BATCH)


class CreatedOnFieldType(RowTimestampFieldType):
    type = "created_on"
    source = "created_on"


class LastModifiedFieldType(RowTimestampFieldType):
    type = "last_modified"
    source = "updated_on"


FIELD_TYPES = [CreatedOnFieldType(), LastModifiedFieldType()]
