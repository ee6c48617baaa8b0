"""Celery tasks of workspaces (periodic, from Celery beat)."""

from celery import shared_task

from workspaces.services import accounts_delete_expired


@shared_task(name="workspaces.tasks.delete_expired_accounts")
def delete_expired_accounts() -> int:
    """Delete the accounts whose deletion grace delay passed; returns how many went."""
    return accounts_delete_expired()
