"""The `export_table` job type: writes the export file of a table or a view."""

from typing import Any, ClassVar

from database.export.serializers import export_job_to_json
from database.export.services import EXPORT_JOB_TYPE, export_run, export_table
from database.tables.errors import TableDoesNotExist
from database.views.errors import ViewDoesNotExist
from jobs.models import Job
from jobs.params import ExportTableParamsSerializer
from jobs.progress import JobProgress
from jobs.registry import ErrorMessages, JobType
from users.models import User
from workspaces.errors import UserNotInWorkspace, WorkspaceDoesNotExist


class ExportTableJobType(JobType):
    type = EXPORT_JOB_TYPE
    params_serializer = ExportTableParamsSerializer
    error_messages: ClassVar[ErrorMessages] = {
        WorkspaceDoesNotExist: "The workspace does not exist any more.",
        UserNotInWorkspace: "You are not a member of the workspace any more.",
        TableDoesNotExist: "The table does not exist any more.",
        ViewDoesNotExist: "The view does not exist any more.",
    }

    def start(self, *, user: User, table_id: int, **options: Any) -> Job:
        return export_table(user=user, table_id=table_id, options=options)

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        return export_run(job, progress)

    def to_json(self, job: Job) -> dict[str, Any]:
        data = export_job_to_json(job)
        del data["id"]
        return data
