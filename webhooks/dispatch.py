"""Queue webhook calls: Celery tasks through the broker, or this process's threads without one."""

import threading
from typing import Any

from django.conf import settings
from django.db import connections

from baserow_clone.celery import app
from jobs.dispatch import _in_process_executor


def call_later(*, countdown: float = 0, retries: int = 0, **call: Any) -> None:
    """Make the call in a worker (after `countdown` seconds); with no broker, in this process."""
    from webhooks.tasks import call_webhook

    kwargs = {**call, "retries": retries}
    if not app.conf.task_always_eager:
        call_webhook.apply_async(kwargs=kwargs, countdown=countdown or None)
    elif settings.JOB_THREADS:
        timer = threading.Timer(countdown, _in_process_executor().submit, (_run, kwargs))
        timer.daemon = True
        timer.start()
    else:
        call_webhook.apply(kwargs=kwargs, throw=True)


def _run(kwargs: dict[str, Any]) -> None:
    from webhooks.tasks import call_webhook

    try:
        call_webhook.apply(kwargs=kwargs, throw=False)
    finally:
        connections.close_all()
