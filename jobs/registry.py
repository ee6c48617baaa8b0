"""Job types: what a job of each type does, and the keys it adds to the job object."""

from typing import Any, ClassVar

from rest_framework import serializers

from database.registry import Registry
from jobs.models import Job
from jobs.progress import JobProgress
from users.models import User

# Messages shown to the user when a job's run raises one of these exceptions (or a subclass).
ErrorMessages = dict[type[Exception], str]


class JobType:
    """One kind of job. Its `run` is the whole work, the same in a worker and in-process."""

    type: ClassVar[str]
    error_messages: ClassVar[ErrorMessages] = {}
    # Whether `run` runs in one transaction; a type that commits as it goes sets it False.
    atomic: ClassVar[bool] = True
    # How many unended (pending or started) jobs of the type one user may have; None: any.
    max_count: ClassVar[int | None] = None
    # The parameters `POST /api/jobs/` takes after `type`; None: that endpoint cannot start it.
    params_serializer: ClassVar[type[serializers.Serializer] | None] = None

    def start(self, *, user: User, **params: Any) -> Job:
        """Check the user may start the job with these (validated) parameters, and start it."""
        raise NotImplementedError

    def run(self, job: Job, progress: JobProgress) -> dict[str, Any]:
        """Do the work, in a transaction (see `atomic`), reporting to `progress`; return what
        `job.result` keeps.

        `progress.set` raises JobCancelled once the job is cancelled: let it through.
        """
        raise NotImplementedError

    def to_json(self, job: Job) -> dict[str, Any]:
        """The type's own keys of the job object, after the keys every job has."""
        return {}

    def human_readable_error(self, exc: Exception) -> str:
        for cls in type(exc).__mro__:
            if cls in self.error_messages:
                return self.error_messages[cls]
        return f"Something went wrong during the {self.type} job execution."


job_types: Registry[JobType] = Registry("job")
