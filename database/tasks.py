"""Celery tasks of the database app (periodic, from Celery beat)."""

from celery import shared_task
from django.conf import settings

from database.rows.history import prune_history_beyond


@shared_task(name="database.tasks.prune_row_history")
def prune_row_history() -> int:
    """Delete row history older than ROW_HISTORY_RETENTION_DAYS; returns how many entries went."""
    return prune_history_beyond(days=settings.ROW_HISTORY_RETENTION_DAYS)
