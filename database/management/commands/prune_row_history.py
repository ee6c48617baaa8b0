"""`manage.py prune_row_history`: drop row history older than the retention.

Celery beat runs the same pruning daily (`database.tasks.prune_row_history`).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from database.rows.history import prune_history_beyond


class Command(BaseCommand):
    help = "Delete row history entries older than ROW_HISTORY_RETENTION_DAYS (0: keep all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days to keep (default: the ROW_HISTORY_RETENTION_DAYS setting)",
        )

    def handle(self, *args, days: int | None = None, **options):
        days = settings.ROW_HISTORY_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 (keep everything) or more.")
        if days == 0:
            self.stdout.write("Row history is kept for ever (retention 0 days).")
            return
        deleted = prune_history_beyond(days=days)
        self.stdout.write(f"Deleted {deleted} row history entries older than {days} days.")
