"""Request of `POST /api/database/tables/{table_id}/import/async/`."""

import codecs

from rest_framework import serializers

from database.imports.parsers import file_parsers


class ImportFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The `name` of an uploaded user file.")
    type = serializers.CharField(help_text="How to read the file: csv, tsv, json or xml.")
    first_row_header = serializers.BooleanField(default=True)
    csv_column_separator = serializers.CharField(
        required=False, min_length=1, max_length=1, trim_whitespace=False
    )
    encoding = serializers.CharField(required=False, max_length=40)

    def validate_type(self, type_name: str) -> str:
        if type_name not in file_parsers:
            raise serializers.ValidationError(f"Choose one of {', '.join(file_parsers.names())}.")
        return type_name

    def validate_encoding(self, encoding: str) -> str:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise serializers.ValidationError("Unknown encoding.") from None
        return encoding


class ImportConfigurationSerializer(serializers.Serializer):
    skipped_fields = serializers.ListField(child=serializers.IntegerField(), required=False)


class TableImportSerializer(serializers.Serializer):
    data = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        required=False,
        allow_null=True,
        help_text="Rows: values in the order of the table's writable fields.",
    )
    file = ImportFileSerializer(required=False, allow_null=True)
    configuration = ImportConfigurationSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        if (attrs.get("data") is None) == (attrs.get("file") is None):
            raise serializers.ValidationError("Give either `data` or `file`.")
        return attrs
