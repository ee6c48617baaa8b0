"""Celery tasks of jobs: run one job; fail the jobs whose worker was lost (periodic)."""

from celery import shared_task
from django.conf import settings

from jobs import services
from jobs.models import Job


@shared_task(name="jobs.tasks.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> None:
    """Run a pending job; a job already started, ended or gone is left alone."""
    job = Job.objects.filter(id=job_id).first()
    if job is not None:
        services.job_run(job=job)


@shared_task(name="jobs.tasks.fail_stale_jobs")
def fail_stale_jobs() -> int:
    """Fail the started jobs that stopped beating (their worker died), and the pending jobs
    that never started."""
    lost = services.jobs_fail_stale(stale_after=settings.JOB_STALE_SECONDS)
    return lost + services.jobs_fail_unstarted(pending_after=settings.JOB_PENDING_STALE_SECONDS)
