"""Periodic work of the trash, run by the worker (Celery beat)."""

from celery import shared_task

from trash.services import trash_purge


@shared_task(name="trash.tasks.purge_trash")
def purge_trash() -> int:
    """Delete for good what stayed in the trash past HOURS_UNTIL_TRASH_PERMANENTLY_DELETED."""
    return trash_purge()
