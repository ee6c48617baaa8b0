"""`manage.py delete_expired_accounts`: delete the accounts whose deletion grace delay passed.

Celery beat runs the same daily (`workspaces.tasks.delete_expired_accounts`).
"""

from django.core.management.base import BaseCommand

from workspaces.services import accounts_delete_expired


class Command(BaseCommand):
    help = "Delete accounts scheduled for deletion longer ago than the grace delay (run daily)."

    def handle(self, *args, **options):
        deleted = accounts_delete_expired()
        self.stdout.write(f"Deleted {deleted} accounts.")
