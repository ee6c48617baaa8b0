"""Reads of jobs: a user only ever sees their own, with a running job's live progress."""

from collections.abc import Iterable

from jobs.errors import JobDoesNotExist
from jobs.models import Job, JobState
from jobs.progress import live_progress
from users.models import User


def with_live_progress(jobs: Iterable[Job]) -> list[Job]:
    """The jobs, a started one showing the progress its runner reported last (not yet saved)."""
    jobs = list(jobs)
    live = live_progress([job.id for job in jobs if job.state == JobState.STARTED])
    for job in jobs:
        if job.id in live:
            job.progress_percentage = live[job.id][0]
    return jobs


def job_get(*, user: User, job_id: int) -> Job:
    """One of the user's jobs, or JobDoesNotExist (also for the jobs of others)."""
    job = Job.objects.filter(id=job_id, user=user).first()
    if job is None:
        raise JobDoesNotExist()
    return with_live_progress([job])[0]


def jobs_list(
    *,
    user: User,
    limit: int,
    states: list[str] | None = None,
    excluded_states: list[str] | None = None,
    job_ids: list[int] | None = None,
) -> list[Job]:
    """The user's jobs, newest first, filtered by state and id."""
    jobs = Job.objects.filter(user=user)
    if states:
        jobs = jobs.filter(state__in=states)
    if excluded_states:
        jobs = jobs.exclude(state__in=excluded_states)
    if job_ids:
        jobs = jobs.filter(id__in=job_ids)
    return with_live_progress(jobs.order_by("-id")[:limit])
