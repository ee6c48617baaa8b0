"""`manage.py purge_trash`: delete for good what stayed in the trash past the retention.

Celery beat runs the same purge hourly (`trash.tasks.purge_trash`).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from trash.services import trash_purge


class Command(BaseCommand):
    help = "Delete trashed items older than HOURS_UNTIL_TRASH_PERMANENTLY_DELETED for good."

    def handle(self, *args, **options):
        deleted = trash_purge()
        hours = settings.HOURS_UNTIL_TRASH_PERMANENTLY_DELETED
        self.stdout.write(f"Deleted {deleted} trashed items older than {hours} hours for good.")
