"""Job rules: create a job, run it, cancel it.

No worker is configured yet, so services run their jobs inline, in the request that starts
them. `job_run` is what a worker would call; everything a type does lives in its `run`.
"""

import logging
from typing import Any

from django.db import transaction

from jobs.errors import JobNotCancellable
from jobs.models import RUNNING_STATES, Job, JobState
from jobs.registry import job_types
from jobs.selectors import job_get
from users.models import User

logger = logging.getLogger(__name__)


def job_create(*, user: User, type: str, payload: dict[str, Any]) -> Job:
    """A pending job of a registered type. The caller has checked the user may start it."""
    job_types.get(type)
    return Job.objects.create(user=user, type=type, payload=payload)


def job_run(*, job: Job) -> Job:
    """Run a pending job to its end: finished with its result, or failed with a message."""
    if not Job.objects.filter(id=job.id, state=JobState.PENDING).update(state=JobState.STARTED):
        job.refresh_from_db()
        return job  # cancelled, or taken by another runner
    job.state = JobState.STARTED
    job_type = job_types.get(job.type)
    try:
        with transaction.atomic():
            result = job_type.run(job)
    except Exception as exc:
        logger.warning("%s job %s failed", job.type, job.id, exc_info=True)
        job.state = JobState.FAILED
        job.human_readable_error = job_type.human_readable_error(exc)
    else:
        job.state = JobState.FINISHED
        job.progress_percentage = 100
        job.result = result
    outcome = ["state", "progress_percentage", "human_readable_error", "result", "updated_on"]
    job.save(update_fields=outcome)
    return job


def job_create_and_run(*, user: User, type: str, payload: dict[str, Any]) -> Job:
    """Start a job and, as no worker is configured, run it before returning."""
    return job_run(job=job_create(user=user, type=type, payload=payload))


def job_cancel(*, user: User, job_id: int) -> Job:
    """Cancel one of the user's jobs that has not ended yet."""
    job = job_get(user=user, job_id=job_id)
    # Conditional on "still running", so a job that ends meanwhile is not marked cancelled.
    cancelled = Job.objects.filter(id=job.id, state__in=RUNNING_STATES).update(
        state=JobState.CANCELLED
    )
    if not cancelled:
        raise JobNotCancellable()
    job.refresh_from_db()
    return job
