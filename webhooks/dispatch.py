"""Queue webhook work: Celery tasks through the broker, or this process's threads without one."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Task
from django.conf import settings
from django.db import connections

from baserow_clone.celery import app
from jobs.dispatch import _in_process_executor

_publisher: ThreadPoolExecutor | None = None
_publisher_lock = threading.Lock()


def fan_out_later(**event: Any) -> None:
    """Have a worker find the webhooks that hear a committed event.

    With a broker, the message is published by one thread of this process in commit order,
    not by the request: a batch's rows make a large message, and its encoding and the round
    trip to Redis would add a few milliseconds to the write. The thread is joined at exit.
    """
    from webhooks.tasks import fan_out

    if app.conf.task_always_eager:
        _queue(fan_out, event, countdown=0)
    else:
        _background_publisher().submit(_queue, fan_out, event, countdown=0)


def _background_publisher() -> ThreadPoolExecutor:
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = ThreadPoolExecutor(1, thread_name_prefix="webhook-publisher")
        return _publisher


def call_later(*, countdown: float = 0, retries: int = 0, **call: Any) -> None:
    """Have a worker make a call (after `countdown` seconds)."""
    from webhooks.tasks import call_webhook

    _queue(call_webhook, {**call, "retries": retries}, countdown=countdown)


def _queue(task: Task, kwargs: dict[str, Any], *, countdown: float) -> None:
    """To the broker; with none, in this process's job threads (or at once if there are 0)."""
    if not app.conf.task_always_eager:
        # No `kwargsrepr`: Celery would otherwise repr the whole payload for its logs.
        task.apply_async(kwargs=kwargs, countdown=countdown or None, kwargsrepr="")
    elif settings.JOB_THREADS:
        timer = threading.Timer(countdown, _in_process_executor().submit, (_run, task, kwargs))
        timer.daemon = True
        timer.start()
    else:
        task.apply(kwargs=kwargs, throw=True)


def _run(task: Task, kwargs: dict[str, Any]) -> None:
    try:
        task.apply(kwargs=kwargs, throw=False)
    finally:
        connections.close_all()
