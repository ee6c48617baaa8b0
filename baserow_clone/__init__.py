"""The project package; importing it sets up the Celery app, so `@shared_task`s bind to it."""

from baserow_clone.celery import app as celery_app

__all__ = ["celery_app"]
