"""Queue webhook work: Celery tasks through the broker, or this process's threads without one."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Task
from django.conf import settings

from baserow_clone.celery import app
from jobs.dispatch import in_process_executor, run_here
from webhooks import queue

_fan_out_executor: ThreadPoolExecutor | None = None
_fan_out_lock = threading.Lock()


def fan_out_later(**event: Any) -> None:
    """Have a worker find the webhooks that hear a committed event: through the broker's Redis
    list (`webhooks.queue`), or without a broker in this process's fan-out thread (one at a
    time, so each webhook's calls are queued in commit order)."""
    from webhooks.tasks import fan_out

    if app.conf.task_always_eager and settings.JOB_THREADS:
        _fan_out_thread().submit(run_here, fan_out, kwargs=event)
    elif (client := queue.broker_redis()) is not None:
        queue.push(client, event)  # one Redis round trip, not a Celery message per event
    else:
        _queue(fan_out, event, countdown=0)


def _fan_out_thread() -> ThreadPoolExecutor:
    global _fan_out_executor
    with _fan_out_lock:
        if _fan_out_executor is None:
            _fan_out_executor = ThreadPoolExecutor(1, thread_name_prefix="webhooks-fan-out")
        return _fan_out_executor


def drain_later(*, webhook_id: int, countdown: float = 0) -> None:
    """Have a worker make the webhook's pending calls (after `countdown` seconds)."""
    from webhooks.tasks import drain

    _queue(drain, {"webhook_id": webhook_id}, countdown=countdown)


def _queue(task: Task, kwargs: dict[str, Any], *, countdown: float) -> None:
    """To the broker; with none, in this process's job threads (or here if there are 0)."""
    if not app.conf.task_always_eager:
        # No `kwargsrepr`: Celery would otherwise repr the whole payload for its logs.
        task.apply_async(kwargs=kwargs, countdown=countdown or None, kwargsrepr="")
    elif settings.JOB_THREADS:
        timer = threading.Timer(
            countdown, in_process_executor().submit, (run_here, task), {"kwargs": kwargs}
        )
        timer.daemon = True
        timer.start()
    else:
        time.sleep(countdown)
        task.apply(kwargs=kwargs, throw=True)
