"""Settings of a server process started by the embedded beat tests: one fast periodic task."""

from baserow_clone.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "fail-stale-jobs": {"task": "jobs.tasks.fail_stale_jobs", "schedule": 0.5},
}
