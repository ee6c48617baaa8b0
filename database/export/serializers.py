"""Wire shape of exports (09-other.md): the options asked for and the export job."""

from typing import Any

from rest_framework import serializers

from database.export.exporters import table_exporters
from database.export.services import export_file_path
from jobs.models import Job, JobState
from user_files.storage import storage_url

# The charsets the web frontend offers, and Python's name of each where it differs.
EXPORT_CHARSETS = {
    name: name
    for name in [
        "utf-8",
        "iso-8859-6",
        "windows-1256",
        "iso-8859-4",
        "windows-1257",
        "iso-8859-14",
        "iso-8859-2",
        "windows-1250",
        "gbk",
        "gb18030",
        "big5",
        "koi8-r",
        "koi8-u",
        "iso-8859-5",
        "windows-1251",
        "iso-8859-7",
        "windows-1253",
        "iso-8859-8",
        "windows-1255",
        "euc-jp",
        "iso-2022-jp",
        "shift-jis",
        "euc-kr",
        "macintosh",
        "iso-8859-10",
        "iso-8859-16",
        "windows-1254",
        "windows-1258",
        "iso-8859-1",
        "windows-1252",
        "iso-8859-3",
    ]
} | {"x-mac-cyrillic": "mac-cyrillic", "windows-874": "cp874"}
# The separators by the names clients send.
CSV_SEPARATORS = {",": ",", ";": ";", "|": "|", "tab": "\t"}
CSV_SEPARATORS |= {"record_separator": "\x1e", "unit_separator": "\x1f"}
# The export's state as Baserow names it, from the job's.
EXPORT_STATES = {JobState.STARTED: "exporting"}


class MappedChoiceField(serializers.ChoiceField):
    """A choice among a mapping's keys, validated to the key's value."""

    def __init__(self, mapping: dict[str, str], **kwargs) -> None:
        self.mapping = mapping
        super().__init__(choices=list(mapping), **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return self.mapping[super().to_internal_value(data)]


class ExportOptionsSerializer(serializers.Serializer):
    exporter_type = serializers.ChoiceField(choices=[])
    view_id = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    export_charset = MappedChoiceField(EXPORT_CHARSETS, default="utf-8")
    csv_column_separator = MappedChoiceField(CSV_SEPARATORS, default=",")
    csv_include_header = serializers.BooleanField(default=True)
    excel_include_header = serializers.BooleanField(default=True)
    filters = serializers.JSONField(required=False, allow_null=True)
    order_by = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    fields = serializers.ListField(
        child=serializers.IntegerField(), required=False, allow_null=True
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exporter_type"].choices = table_exporters.names()


class ExportJobSerializer(serializers.Serializer):
    """For the OpenAPI spec: the export job."""

    id = serializers.IntegerField()
    table = serializers.IntegerField()
    view = serializers.IntegerField(allow_null=True)
    exporter_type = serializers.CharField()
    state = serializers.CharField()
    status = serializers.CharField(help_text="Deprecated: the same as `state`.")
    exported_file_name = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    progress_percentage = serializers.IntegerField()
    url = serializers.URLField(allow_null=True)


_datetime = serializers.DateTimeField()


def export_job_to_json(job: Job) -> dict[str, Any]:
    """The export job object."""
    expired = bool(job.result.get("expired"))
    state = "expired" if expired else EXPORT_STATES.get(job.state, job.state)
    name = None if expired else job.result.get("exported_file_name")
    return {
        "id": job.id,
        "table": job.payload["table_id"],
        "view": job.payload.get("view_id"),
        "exporter_type": job.payload["exporter_type"],
        "state": state,
        "status": state,
        "exported_file_name": name,
        "created_at": _datetime.to_representation(job.created_on),
        "progress_percentage": job.progress_percentage,
        "url": storage_url(export_file_path(name)) if name else None,
    }
