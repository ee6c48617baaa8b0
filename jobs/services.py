"""Job rules: create a job, run it (in the worker), cancel it, fail jobs whose worker died."""

import datetime
import logging
import time
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.context import request_context_from_json, request_context_to_json
from jobs import progress as live
from jobs.errors import JobCancelled, JobNotCancellable, MaxJobCountExceeded
from jobs.models import RUNNING_STATES, Job, JobState
from jobs.registry import job_types
from jobs.selectors import job_get
from users.models import User

logger = logging.getLogger(__name__)

WORKER_LOST_ERROR = "The job stopped because the worker running it was lost. Please try again."
NOT_STARTED_ERROR = "The job did not start in time. Please try again."


@transaction.atomic
def job_create(*, user: User, type: str, payload: dict[str, Any]) -> Job:
    """A pending job of a registered type, within the type's `max_count` of unended jobs per
    user. The caller has checked the user may start it."""
    job_type = job_types.get(type)
    if job_type.max_count is not None:
        # The user's row lock makes two concurrent starts count one after the other.
        User.objects.select_for_update().filter(id=user.id).exists()
        unended = Job.objects.filter(user=user, type=type, state__in=RUNNING_STATES)
        if unended.count() >= job_type.max_count:
            raise MaxJobCountExceeded()
    client = request_context_to_json()
    return Job.objects.create(user=user, type=type, payload=payload, client=client)


def job_run(*, job: Job) -> Job:
    """Run a pending job to its end: finished, failed with a message, or cancelled midway."""
    job_type = job_types.get(job.type)  # before the claim: an unknown type leaves it pending
    claimed = Job.objects.filter(id=job.id, state=JobState.PENDING).update(
        state=JobState.STARTED, updated_on=timezone.now()
    )
    if not claimed:
        job.refresh_from_db()
        if job.state != JobState.STARTED:
            live.forget(job.id)  # ended before it ran: no runner will read its live state
        return job  # cancelled, or taken by another runner
    progress = live.JobProgress(job.id)
    progress.beat()
    heartbeat = live.Heartbeat(progress, settings.JOB_HEARTBEAT_SECONDS)
    heartbeat.start()
    try:
        with (
            transaction.atomic() if job_type.atomic else nullcontext(),
            request_context_from_json(job.client),
        ):
            result = job_type.run(job, progress)
            # In an atomic job's transaction: a cancel that got in first rolls the work back.
            if not _job_end(job, state=JobState.FINISHED, progress_percentage=100, result=result):
                raise JobCancelled()
    except JobCancelled:
        logger.info("%s job %s cancelled", job.type, job.id)
    except Exception as exc:
        logger.warning("%s job %s failed", job.type, job.id, exc_info=True)
        error = job_type.human_readable_error(exc)
        _job_end(job, state=JobState.FAILED, human_readable_error=error)
    finally:
        heartbeat.stop()
    live.forget(job.id)
    job.refresh_from_db()
    return job


def _job_end(job: Job, **outcome: Any) -> bool:
    """Write a started job's outcome; False if it is not started any more (cancelled)."""
    ended = Job.objects.filter(id=job.id, state=JobState.STARTED)
    return bool(ended.update(updated_on=timezone.now(), **outcome))


def job_cancel(*, user: User, job_id: int) -> Job:
    """Cancel one of the user's unended jobs; a running one stops at its next step."""
    job = job_get(user=user, job_id=job_id)
    if job.state not in RUNNING_STATES:
        raise JobNotCancellable()
    live.request_cancel(job.id)
    # Conditional on "still running", so a job that ends meanwhile is not marked cancelled.
    cancelled = Job.objects.filter(id=job.id, state__in=RUNNING_STATES).update(
        state=JobState.CANCELLED, updated_on=timezone.now()
    )
    if not cancelled:
        live.forget(job.id)
        raise JobNotCancellable()
    job.refresh_from_db()
    return job


def jobs_fail_stale(*, stale_after: float) -> int:
    """Fail started jobs with no sign of life for `stale_after` seconds; returns how many."""
    started = dict(Job.objects.filter(state=JobState.STARTED).values_list("id", "updated_on"))
    beats = live.live_progress(list(started))
    deadline = time.time() - stale_after
    stale = [
        job_id
        for job_id, updated_on in started.items()
        if max(updated_on.timestamp(), beats.get(job_id, (0, 0.0))[1]) < deadline
    ]
    failed = Job.objects.filter(id__in=stale, state=JobState.STARTED).update(
        state=JobState.FAILED, human_readable_error=WORKER_LOST_ERROR, updated_on=timezone.now()
    )
    if failed:
        logger.warning("failed %s job(s) whose worker was lost: %s", failed, stale)
    return failed


def jobs_fail_unstarted(*, pending_after: float) -> int:
    """Fail pending jobs no runner took for `pending_after` seconds (their message was lost:
    the web process holding it stopped), so they hold up no new job (`max_count`)."""
    deadline = timezone.now() - datetime.timedelta(seconds=pending_after)
    # Read first: with none to fail, no write waits for a running job's lock (SQLite).
    waited = list(
        Job.objects.filter(state=JobState.PENDING, created_on__lt=deadline).values_list(
            "id", flat=True
        )
    )
    failed = Job.objects.filter(id__in=waited, state=JobState.PENDING).update(
        state=JobState.FAILED, human_readable_error=NOT_STARTED_ERROR, updated_on=timezone.now()
    )
    if failed:
        logger.warning("failed %s job(s) that never started", failed)
    return failed
