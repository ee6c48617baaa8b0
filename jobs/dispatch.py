"""Starting jobs: to the Celery workers through the broker, or in this process without one."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Task
from celery.result import EagerResult
from django.conf import settings
from django.db import connections, transaction

from baserow_clone.celery import app
from jobs.models import Job
from jobs.services import job_create
from jobs.tasks import run_job
from users.models import User

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def job_start(*, user: User, type: str, payload: dict[str, Any]) -> Job:
    """A pending job, handed to a worker once the caller's transaction commits."""
    job = job_create(user=user, type=type, payload=payload)
    transaction.on_commit(lambda: job_enqueue(job_id=job.id))
    return job


def job_enqueue(*, job_id: int) -> None:
    """Queue the job for a worker; with no broker, run it in a thread here (or at once if 0)."""
    if not app.conf.task_always_eager:
        run_job.delay(job_id)
    elif settings.JOB_THREADS:
        in_process_executor().submit(run_here, run_job, args=(job_id,))
    else:
        run_job.apply(args=(job_id,), throw=True)


def in_process_executor() -> ThreadPoolExecutor:
    """The web process's job threads (no broker): jobs and webhook calls share them."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(settings.JOB_THREADS, thread_name_prefix="job")
        return _executor


def run_here(task: Task, *, args: tuple = (), kwargs: dict[str, Any] | None = None) -> EagerResult:
    """Run a task in this thread as a worker would (its error kept in the result, not raised),
    then close the thread's database connections: for the web process's job threads."""
    try:
        return task.apply(args=args, kwargs=kwargs, throw=False)
    finally:
        connections.close_all()
