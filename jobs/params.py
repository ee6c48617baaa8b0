"""What `POST /api/jobs/` takes after `type`, for each job type that endpoint starts."""

from typing import Any

from rest_framework import serializers

from database.export.serializers import ExportOptionsSerializer
from database.imports.serializers import TableImportSerializer
from database.tables.serializers import TableCreateSerializer
from jobs.registry import job_types

MAX_ID = 2**63 - 1


def id_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


def startable_job_types() -> list[str]:
    """The types `POST /api/jobs/` starts (also the schema's `JobTypeEnum`)."""
    return [job_type.type for job_type in job_types if job_type.params_serializer]


class JobCreateSerializer(serializers.Serializer):
    """The key every job creation has; the type's own keys are validated by its serializer."""

    type = serializers.ChoiceField(choices=[], help_text="The type of the job.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = startable_job_types()


class DuplicateTableParamsSerializer(serializers.Serializer):
    table_id = id_field("The table to duplicate.")


class DuplicateApplicationParamsSerializer(serializers.Serializer):
    application_id = id_field("The application to duplicate.")


class DuplicateFieldParamsSerializer(serializers.Serializer):
    field_id = id_field("The field to duplicate.")
    duplicate_data = serializers.BooleanField(
        default=False, help_text="Whether the cells of the field are copied too."
    )


class FileImportParamsSerializer(serializers.Serializer):
    """Either `database_id` with the new table's `name` and `data` (a table created from data,
    as `…/tables/database/{id}/async/`), or `table_id` with `data` or `file` (rows added to a
    table, as `…/tables/{id}/import/async/`)."""

    database_id = id_field("The database to create a table in from `data`.")
    table_id = id_field("The table to add the rows of `data` or `file` to.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("database_id" in attrs) == ("table_id" in attrs):
            raise serializers.ValidationError("Give either `database_id` or `table_id`.")
        rest = {key: value for key, value in self.initial_data.items() if key not in self.fields}
        target = "table_id" if "table_id" in attrs else "database_id"
        serializer_class = TableImportSerializer if target == "table_id" else TableCreateSerializer
        serializer = serializer_class(data=rest)
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        return {target: attrs[target], **serializer.validated_data}


class ExportTableParamsSerializer(ExportOptionsSerializer):
    table_id = id_field("The table to export (through its view `view_id`, if given).")
