"""Request bodies and the wire shapes of tables (04-tables.md)."""

from typing import Any, ClassVar

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from database.imports.serializers import ImportFileSerializer
from database.tables.models import Table
from jobs.serializers import JobSerializer

TABLE_NAME_MAX_LENGTH = Table._meta.get_field("name").max_length

# Input.


@extend_schema_field(OpenApiTypes.STR)
class CellTextField(serializers.Field):
    """A cell of initial table data: any JSON scalar, kept as text (null as empty text)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "A cell must be a string, a number, a boolean or null."
    }

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool):
            return "true" if data else "false"
        if not isinstance(data, str | int | float):
            self.fail("invalid")
        text = str(data)
        ProhibitNullCharactersValidator()(text)
        return text

    def to_representation(self, value: Any) -> str:
        return value


class TableNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=TABLE_NAME_MAX_LENGTH)


class TableCreateSerializer(TableNameSerializer):
    data = serializers.ListField(
        child=serializers.ListField(child=CellTextField()),
        required=False,
        allow_null=True,
        default=None,
        help_text="Rows of initial data, e.g. `[['Name', 'Age'], ['Ada', '36']]`.",
    )
    first_row_header = serializers.BooleanField(required=False, default=False)


class TableCreateAsyncSerializer(TableCreateSerializer):
    file = ImportFileSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Instead of `data` (an extension of this server): an uploaded file read on the "
        "server, one text field per column; its own `first_row_header` (default true) applies.",
    )

    def validate(self, attrs):
        if attrs.get("file") is not None and attrs.get("data") is not None:
            raise serializers.ValidationError("Give either `data` or `file`.")
        return attrs


class TablesOrderSerializer(serializers.Serializer):
    table_ids = serializers.ListField(child=serializers.IntegerField())


# Output.


class TableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    database_id = serializers.IntegerField()
    data_sync = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_data_sync(self, table: Table) -> None:
        return None  # tables are never synced from elsewhere on this server


class FileImportJobSerializer(JobSerializer):
    """For the OpenAPI spec: a file_import job."""

    database_id = serializers.IntegerField()
    name = serializers.CharField()
    table_id = serializers.IntegerField(allow_null=True)
    report = serializers.DictField()


class DuplicateTableJobSerializer(JobSerializer):
    """For the OpenAPI spec: a duplicate_table job."""

    original_table = TableSerializer(allow_null=True)
    duplicated_table = TableSerializer(allow_null=True)
