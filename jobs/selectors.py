"""Reads of jobs: a user only ever sees their own."""

from django.db.models import QuerySet

from jobs.errors import JobDoesNotExist
from jobs.models import Job
from users.models import User


def job_get(*, user: User, job_id: int) -> Job:
    """One of the user's jobs, or JobDoesNotExist (also for the jobs of others)."""
    job = Job.objects.filter(id=job_id, user=user).first()
    if job is None:
        raise JobDoesNotExist()
    return job


def jobs_list(
    *,
    user: User,
    limit: int,
    states: list[str] | None = None,
    excluded_states: list[str] | None = None,
    job_ids: list[int] | None = None,
) -> QuerySet[Job]:
    """The user's jobs, newest first, filtered by state and id."""
    jobs = Job.objects.filter(user=user)
    if states:
        jobs = jobs.filter(state__in=states)
    if excluded_states:
        jobs = jobs.exclude(state__in=excluded_states)
    if job_ids:
        jobs = jobs.filter(id__in=job_ids)
    return jobs.order_by("-id")[:limit]
