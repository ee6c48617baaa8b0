"""Celery beat's schedule, and the stale-job reaper it runs."""

import datetime

from celery.schedules import crontab
from django.utils import timezone

from baserow_clone.celery import app
from jobs.models import Job, JobState
from jobs.progress import JobProgress
from jobs.services import NOT_STARTED_ERROR, WORKER_LOST_ERROR
from jobs.tasks import fail_stale_jobs
from users.models import User
from workspaces.tasks import delete_expired_accounts


def test_beat_runs_the_daily_cleanups_and_the_reaper_every_minute():
    schedule = app.conf.beat_schedule
    assert {name: entry["task"] for name, entry in schedule.items()} == {
        "prune-row-history": "database.tasks.prune_row_history",
        "delete-expired-accounts": "workspaces.tasks.delete_expired_accounts",
        "fail-stale-jobs": "jobs.tasks.fail_stale_jobs",
        "purge-trash": "trash.tasks.purge_trash",
        "delete-expired-exports": "database.tasks.delete_expired_exports",
        "clean-up-actions": "actions.tasks.clean_up_actions",
        "resume-stalled-webhooks": "webhooks.tasks.resume_stalled",
        "reap-abandoned-conversions": "database.tasks.reap_abandoned_conversions",
    }
    app.loader.import_default_modules()  # what a worker or beat does first: finds the tasks
    assert all(entry["task"] in app.tasks for entry in schedule.values())
    for name, minute in (("prune-row-history", 17), ("delete-expired-accounts", 47)):
        daily = schedule[name]["schedule"]
        assert isinstance(daily, crontab)
        assert (daily.hour, daily.minute, len(daily.day_of_week)) == ({3}, {minute}, 7)
    assert schedule["fail-stale-jobs"]["schedule"] == 60.0
    hourly = schedule["purge-trash"]["schedule"]
    assert (len(hourly.hour), hourly.minute) == (24, {7})
    exports = schedule["delete-expired-exports"]["schedule"]
    assert (len(exports.hour), exports.minute) == (24, {37})
    assert schedule["clean-up-actions"]["schedule"] == 300.0
    assert schedule["resume-stalled-webhooks"]["schedule"] == 60.0
    assert schedule["reap-abandoned-conversions"]["schedule"] == 600.0


def test_the_account_expiry_task_deletes_accounts_past_their_grace_delay(
    user, other_user, client_for
):
    client_for(other_user).post("/api/user/schedule-account-deletion/")
    client_for(user).post("/api/user/schedule-account-deletion/")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    User.objects.filter(id=other_user.id).update(last_login=long_ago)
    assert delete_expired_accounts.apply().get() == 1  # what Celery beat runs daily
    assert list(User.objects.values_list("id", flat=True)) == [user.id]  # in its grace delay


def test_the_reaper_fails_only_started_jobs_that_stopped_beating(user, settings):
    long_ago = timezone.now() - datetime.timedelta(minutes=10)

    def job(state: JobState, updated_on: datetime.datetime) -> Job:
        made = Job.objects.create(user=user, type="duplicate_table", payload={"table_id": 1})
        Job.objects.filter(id=made.id).update(state=state, updated_on=updated_on)
        return made

    lost = job(JobState.STARTED, long_ago)
    beating = job(JobState.STARTED, long_ago)
    JobProgress(beating.id).beat()  # its heartbeat is recent, though its row is old
    fresh = job(JobState.STARTED, timezone.now())
    waiting = job(JobState.PENDING, long_ago)
    settings.JOB_STALE_SECONDS = 300
    assert fail_stale_jobs.apply().get() == 1
    states = dict(Job.objects.values_list("id", "state"))
    assert states == {
        lost.id: "failed",
        beating.id: "started",
        fresh.id: "started",
        waiting.id: "pending",
    }
    assert Job.objects.get(id=lost.id).human_readable_error == WORKER_LOST_ERROR
    assert fail_stale_jobs.apply().get() == 0


def test_the_reaper_fails_jobs_that_stayed_pending_too_long(user, settings):
    """A pending job whose message was lost (its web process stopped) holds up no new job."""
    old = timezone.now() - datetime.timedelta(hours=1)
    lost = Job.objects.create(user=user, type="duplicate_table", payload={"table_id": 1})
    Job.objects.filter(id=lost.id).update(created_on=old, updated_on=old)
    waiting = Job.objects.create(user=user, type="duplicate_table", payload={"table_id": 1})
    settings.JOB_PENDING_STALE_SECONDS = 1800
    assert fail_stale_jobs.apply().get() == 1
    assert Job.objects.get(id=lost.id).state == "failed"
    assert Job.objects.get(id=lost.id).human_readable_error == NOT_STARTED_ERROR
    assert Job.objects.get(id=waiting.id).state == "pending"
