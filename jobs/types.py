"""The job types of this server: creating a table from data or a file, importing rows,
duplicating tables, databases and fields."""

from typing import Any, ClassVar

from database.applications.errors import ApplicationDoesNotExist
from database.applications.models import Application
from database.applications.selectors import TABLES_PREFETCH
from database.applications.serializers import ApplicationSerializer
from database.compose import applications as application_services
from database.compose import tables as table_services
from database.export.jobs import ExportTableJobType
from database.fields.conversion_jobs import ConvertFieldJobType
from database.fields.duplication import field_duplicate, field_duplicate_async
from database.fields.errors import FieldDoesNotExist
from database.fields.models import Field
from database.fields.serializers import field_to_json
from database.imports.errors import FileCannotMakeTable, InvalidImportFile
from database.imports.services import import_run, table_from_file_run, table_import_async
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from database.tables.serializers import TableSerializer
from jobs import params
from jobs.models import Job
from jobs.progress import JobProgress
from jobs.registry import ErrorMessages, JobType, job_types
from users.models import User
from workspaces.errors import UserNotInWorkspace, WorkspaceDoesNotExist

GONE_MESSAGES: ErrorMessages = {
    WorkspaceDoesNotExist: "The workspace does not exist any more.",
    UserNotInWorkspace: "You are not a member of the workspace any more.",
}


def _table_json(table_id: int | None) -> dict[str, Any] | None:
    if table_id is None:
        return None
    table = Table.objects.filter(id=table_id).first()
    return None if table is None else TableSerializer(table).data


def _application_json(application_id: int | None) -> dict[str, Any] | None:
    if application_id is None:
        return None
    # The original stays visible in the job even once it is trashed.
    application = (
        Application.objects_and_trash.select_related("workspace")
        .prefetch_related(TABLES_PREFETCH)
        .filter(id=application_id)
        .first()
    )
    return None if application is None else ApplicationSerializer(application).data


class FileImportJobType(JobType):
    """Creates a table from rows of data (the async form of table creation), or adds rows to
    an existing table (inline or from an uploaded file)."""

    type = "file_import"
    max_count = 1
    params_serializer = params.FileImportParamsSerializer
    error_messages: ClassVar[ErrorMessages] = {
        **GONE_MESSAGES,
        ApplicationDoesNotExist: "The database does not exist any more.",
        TableDoesNotExist: "The table does not exist any more.",
        InvalidImportFile: "The file could not be read.",
    }

    def human_readable_error(self, exc: Exception) -> str:
        if isinstance(exc, FileCannotMakeTable):
            return str(exc)
        return super().human_readable_error(exc)

    def start(self, *, user: User, **values: Any) -> Job:
        if "table_id" in values:
            return table_import_async(user=user, **values)
        return table_services.table_create_async(user=user, **values)

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        payload = job.payload
        if payload.get("table_id") is not None:  # rows into an existing table
            return import_run(job, progress)
        if payload.get("file"):  # a new table from an uploaded file
            return table_from_file_run(job, progress)
        table = table_services.table_create(
            user=job.user,
            database_id=payload["database_id"],
            name=payload["name"],
            data=payload["data"],
            first_row_header=payload["first_row_header"],
            progress=progress.set,
        )
        return {"table_id": table.id}

    def to_json(self, job: Job) -> dict[str, Any]:
        return {
            "database_id": job.payload["database_id"],
            "name": job.payload["name"],
            "table_id": job.result.get("table_id", job.payload.get("table_id")),
            "report": job.result.get("report", {"failing_rows": {}}),
        }


class DuplicateTableJobType(JobType):
    type = "duplicate_table"
    max_count = 1
    params_serializer = params.DuplicateTableParamsSerializer
    error_messages: ClassVar[ErrorMessages] = {
        **GONE_MESSAGES,
        TableDoesNotExist: "The table does not exist any more.",
    }

    def start(self, *, user: User, table_id: int) -> Job:
        return table_services.table_duplicate_async(user=user, table_id=table_id)

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        copy = table_services.table_duplicate(
            user=job.user, table_id=job.payload["table_id"], progress=progress.set
        )
        return {"duplicated_table_id": copy.id}

    def to_json(self, job: Job) -> dict[str, Any]:
        return {
            "original_table": _table_json(job.payload["table_id"]),
            "duplicated_table": _table_json(job.result.get("duplicated_table_id")),
        }


class DuplicateApplicationJobType(JobType):
    type = "duplicate_application"
    max_count = 1
    params_serializer = params.DuplicateApplicationParamsSerializer
    error_messages: ClassVar[ErrorMessages] = {
        **GONE_MESSAGES,
        ApplicationDoesNotExist: "The application does not exist any more.",
    }

    def start(self, *, user: User, application_id: int) -> Job:
        return application_services.application_duplicate_async(
            user=user, application_id=application_id
        )

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        copy = application_services.application_duplicate(
            user=job.user, application_id=job.payload["application_id"], progress=progress.set
        )
        return {"duplicated_application_id": copy.id}

    def to_json(self, job: Job) -> dict[str, Any]:
        return {
            "original_application": _application_json(job.payload["application_id"]),
            "duplicated_application": _application_json(
                job.result.get("duplicated_application_id")
            ),
        }


def _field_json(field_id: int | None, *, with_related: bool = False) -> dict[str, Any] | None:
    if field_id is None:
        return None
    # The original stays visible in the job even once it is trashed.
    field = Field.objects_and_trash.select_related("table__database").filter(id=field_id).first()
    if field is None:
        return None
    # As Baserow: the copy carries `related_fields`, always empty in the job.
    return {**field_to_json(field), "related_fields": []} if with_related else field_to_json(field)


class DuplicateFieldJobType(JobType):
    type = "duplicate_field"
    max_count = 1
    params_serializer = params.DuplicateFieldParamsSerializer
    error_messages: ClassVar[ErrorMessages] = {
        **GONE_MESSAGES,
        FieldDoesNotExist: "The field does not exist any more.",
    }

    def start(self, *, user: User, field_id: int, duplicate_data: bool = False) -> Job:
        return field_duplicate_async(user=user, field_id=field_id, duplicate_data=duplicate_data)

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        copy, _ = field_duplicate(
            user=job.user,
            field_id=job.payload["field_id"],
            duplicate_data=job.payload["duplicate_data"],
            progress=progress.set,
        )
        return {"duplicated_field_id": copy.id}

    def to_json(self, job: Job) -> dict[str, Any]:
        return {
            "original_field": _field_json(job.payload["field_id"]),
            "duplicated_field": _field_json(
                job.result.get("duplicated_field_id"), with_related=True
            ),
        }


JOB_TYPES = [
    FileImportJobType(),
    DuplicateTableJobType(),
    DuplicateApplicationJobType(),
    DuplicateFieldJobType(),
    ExportTableJobType(),
    ConvertFieldJobType(),
]


def register_builtin_job_types() -> None:
    """Register the job types above, once."""
    for job_type in JOB_TYPES:
        if job_type.type not in job_types:
            job_types.register(job_type)
