"""With no broker (the embedded default), jobs run in threads of the web process."""

import time

import pytest
from django.urls import reverse

from jobs.models import Job, JobState
from jobs.progress import live_progress
from tests.jobs.helpers import polled, start_slow_job, wait_until
from workspaces.models import Workspace


@pytest.fixture
def in_threads(transactional_db, settings, tmp_path):
    """The embedded default: no broker, jobs in a thread pool (tests otherwise run them inline).

    Live state in a directory, as the default shares it between the processes of one machine.
    """
    settings.JOB_THREADS = 2
    jobs_cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    settings.CACHES = {**settings.CACHES, "jobs": {**jobs_cache, "LOCATION": str(tmp_path)}}


def test_a_job_starts_at_once_and_runs_in_a_thread(in_threads, user, user_client, workspace):
    began = time.monotonic()
    job = start_slow_job(user, workspace, steps=4, seconds=0.3)
    assert time.monotonic() - began < 0.3  # the caller does not wait for the job
    assert job.state == JobState.PENDING
    seen = set()
    while (state := polled(user_client, job))["state"] != "finished":
        seen.add(state["progress_percentage"])
        time.sleep(0.03)
    assert {25, 50, 75} <= seen
    assert state["progress_percentage"] == 100
    wait_until(lambda: not live_progress([job.id]), timeout=10, what="the runner to stop")
    assert Workspace.objects.get(id=workspace.id).name == "Step 4"


def test_cancel_stops_a_job_running_in_a_thread(in_threads, user, user_client, workspace):
    job = start_slow_job(user, workspace, steps=100, seconds=0.05)
    wait_until(lambda: polled(user_client, job)["progress_percentage"] >= 3, timeout=30, what="3%")
    response = user_client.post(reverse("api:jobs:cancel", kwargs={"job_id": job.id}))
    assert (response.status_code, response.json()["state"]) == (200, "cancelled")
    wait_until(lambda: not live_progress([job.id]), timeout=10, what="the runner to stop")
    assert Job.objects.get(id=job.id).state == JobState.CANCELLED
    assert Workspace.objects.get(id=workspace.id).name == workspace.name
