"""Helpers of the job tests: start the slow test job, poll a job, wait for a condition."""

import time

from django.urls import reverse

from jobs.dispatch import job_start
from jobs.models import Job


def wait_until(condition, *, timeout: float, what: str, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def start_slow_job(user, workspace, *, steps: int, seconds: float) -> Job:
    payload = {"workspace_id": workspace.id, "steps": steps, "seconds": seconds}
    return job_start(user=user, type="slow_for_tests", payload=payload)


def polled(client, job: Job) -> dict:
    response = client.get(reverse("api:jobs:item", kwargs={"job_id": job.id}))
    assert response.status_code == 200
    return response.json()
