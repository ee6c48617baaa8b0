"""Celery tasks of the database app (periodic, from Celery beat)."""

from celery import shared_task
from django.conf import settings

from database.rows.history import prune_history_beyond


@shared_task(name="database.tasks.prune_row_history")
def prune_row_history() -> int:
    """Delete row history older than ROW_HISTORY_RETENTION_DAYS; returns how many entries went."""
    return prune_history_beyond(days=settings.ROW_HISTORY_RETENTION_DAYS)


@shared_task(name="database.tasks.delete_expired_exports")
def delete_expired_exports() -> int:
    """Delete export files older than EXPORT_FILES_EXPIRE_HOURS; returns how many went."""
    from database.export.services import exports_delete_expired

    return exports_delete_expired()


@shared_task(name="database.tasks.reap_abandoned_conversions")
def reap_abandoned_conversions() -> int:
    """Drop the leftovers of type conversions whose request died mid-way (PostgreSQL)."""
    from database.fields.conversion_jobs import reap_abandoned_backfills

    return reap_abandoned_backfills()
