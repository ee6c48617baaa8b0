"""Celery tasks of undo/redo (periodic, from Celery beat)."""

from celery import shared_task

from actions.services import actions_clean_up


@shared_task(name="actions.tasks.clean_up_actions")
def clean_up_actions() -> int:
    """Delete the actions older than MINUTES_UNTIL_ACTION_CLEANED_UP; returns how many."""
    return actions_clean_up()
